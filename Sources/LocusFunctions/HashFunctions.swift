// Digests and checksums of a value's string form: MD5, SHA1, SHA256, SHA512 (lower-case hex,
// from swift-crypto), CRC32 (Castagnoli, as ArangoDB) and FNV64 (FNV-1a) as upper-case hex
// without leading zeros, and HASH (`VelocyPackHash`).

import Crypto
import LocusAnalysis
import LocusValues

enum HashFunctions {
    static let crc32cTable: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    static func crc32c(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crc32cTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 { MinHash.fnv1a64(bytes) }

    static func digest(_ name: String, _ f: @escaping @Sendable ([UInt8]) -> [UInt8]) -> FunctionDefinition {
        FunctionDefinition(name, 1, 1, signature: "\(name)(text)") { a, _ in
            .string(JSONWriter.hexString(f(Array(a[0].toStringValue.utf8))))
        }
    }

    static func upperHex(_ v: some BinaryInteger) -> String { String(v, radix: 16, uppercase: true) }

    static let rows: [FunctionDefinition] = [
        digest("MD5") { Array(Insecure.MD5.hash(data: $0)) },
        digest("SHA1") { Array(Insecure.SHA1.hash(data: $0)) },
        digest("SHA256") { Array(SHA256.hash(data: $0)) },
        digest("SHA512") { Array(SHA512.hash(data: $0)) },
        FunctionDefinition("CRC32", 1, 1, signature: "CRC32(text)") { a, _ in
            .string(upperHex(crc32c(a[0].toStringValue.utf8)))
        },
        FunctionDefinition("FNV64", 1, 1, signature: "FNV64(text)") { a, _ in
            .string(upperHex(fnv1a64(a[0].toStringValue.utf8)))
        },
        FunctionDefinition("HASH", 1, 1, signature: "HASH(value)") { a, _ in
            .number(Double(VelocyPackHash.aqlHash(a[0])))
        },
    ]
}
