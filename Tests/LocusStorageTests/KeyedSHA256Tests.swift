// The HMAC-SHA256 composition records are digested with must be HMAC-SHA256: equal to
// swift-crypto's `HMAC<SHA256>` for keys shorter than, as long as and longer than a block, and
// for messages given in any number of parts.

import Crypto
import Testing
@testable import LocusStorage

@Suite struct KeyedSHA256Tests {
    @Test func equalsSwiftCryptosHMAC() {
        var generator = SystemRandomNumberGenerator()
        for keyLength in [0, 1, 16, 32, 63, 64, 65, 100, 200] {
            let key = (0..<keyLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let keyed = KeyedSHA256(key: key)
            for messageLength in [0, 1, 55, 56, 64, 119, 300] {
                let message = (0..<messageLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let expected = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
                let cut = messageLength == 0 ? 0 : Int.random(in: 0...messageLength, using: &generator)
                let ours = message.withUnsafeBytes { m in
                    keyed.authenticate(
                        UnsafeRawBufferPointer(rebasing: m[..<cut]), UnsafeRawBufferPointer(rebasing: m[cut...])
                    ) {
                        Array($0)
                    }
                }
                #expect(ours == expected, "key \(keyLength) bytes, message \(messageLength) cut at \(cut)")
            }
        }
    }

    @Test func aRecordsDigestIsTheHMACOfItsName() {
        let salt = Array("fabric salt".utf8)
        let expected = HMAC<SHA256>.authenticationCode(
            for: Array("users".utf8) + [0] + Array("u1".utf8), using: SymmetricKey(data: salt))
        #expect(
            PlacementRecords.digest(collection: "users", key: "u1", salt: salt)
                == String(
                    Array(expected).prefix(16).map { String(format: "%02x", $0) }.joined()))
    }
}
