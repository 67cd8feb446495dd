// Digests and checksums of a value's string form: MD5, SHA1, SHA256, SHA512 (lower-case hex,
// from swift-crypto), CRC32 (Castagnoli, as ArangoDB) and FNV64 (FNV-1a) as upper-case hex
// without leading zeros, and HASH, a 51-bit structural hash that ignores object key order.

import Crypto
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

    static func fnv1a64(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    /// A hash of a value's structure: numbers by value, objects independent of key order.
    static func structuralHash(_ v: Value) -> UInt64 {
        func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        switch v {
        case .null: return mix(1)
        case .bool(let b): return mix(b ? 3 : 2)
        case .number(let n): return mix(4 ^ (n == 0 ? 0 : n.bitPattern))
        case .string(let s): return mix(5 ^ fnv1a64(s.utf8))
        case .array(let a): return a.reduce(mix(6)) { mix($0 ^ structuralHash($1)) }
        case .object(let o):
            var h = mix(7)
            for (k, value) in o { h = h &+ mix(fnv1a64(k.utf8) ^ structuralHash(value)) }
            return mix(h)
        }
    }

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
            .number(Double(structuralHash(a[0]) & 0x0007_FFFF_FFFF_FFFF))
        },
    ]
}
