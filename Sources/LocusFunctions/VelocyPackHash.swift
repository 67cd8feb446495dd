// ArangoDB's HASH: VelocyPack's normalized hash of a value with the seed AQL values hash
// with (0xdeadbeef), keeping the low 51 bits so that the number survives as a double. Numbers
// hash as doubles; null, booleans and strings as their VelocyPack bytes; arrays by length and
// then member by member, each seeded with the hash so far; objects by length and then, for
// each attribute, name and value seeded from the length, XOR-combined so that attribute
// order does not matter. The bytes are hashed with XXH64, as VelocyPack is built for ArangoDB.

import LocusValues

/// VelocyPack's `normalizedHash` over Locus values.
enum VelocyPackHash {
    static let aqlSeed: UInt64 = 0xDEAD_BEEF

    /// HASH(value) as ArangoDB returns it.
    static func aqlHash(_ v: Value) -> UInt64 { normalized(v, seed: aqlSeed) & 0x0007_FFFF_FFFF_FFFF }

    static func normalized(_ v: Value, seed: UInt64) -> UInt64 {
        switch v {
        case .null: return XXHash64.hash([0x18], seed: seed)
        case .bool(let b): return XXHash64.hash([b ? 0x1A : 0x19], seed: seed)
        case .number(let d):
            var bits = d.bitPattern.littleEndian
            return withUnsafeBytes(of: &bits) { XXHash64.hash($0, seed: seed) }
        case .string(let s): return string(s, seed: seed)
        case .array(let members):
            var value = word(UInt64(members.count) ^ 0xBA_5BED_F00D, seed: seed)
            for m in members { value ^= normalized(m, seed: value) }
            return value
        case .object(let o):
            let lengthSeed = word(UInt64(o.count) ^ 0xF0_0BA4_4BA5, seed: seed)
            var value = lengthSeed
            for (name, member) in o {
                let nameHash = string(name, seed: lengthSeed)
                value ^= nameHash
                value ^= normalized(member, seed: nameHash)
            }
            return value
        }
    }

    /// A string's VelocyPack bytes: 0x40 plus the length for up to 126 bytes, else 0xBF and
    /// the length as 8 little-endian bytes; then the UTF-8.
    static func string(_ s: String, seed: UInt64) -> UInt64 {
        var bytes: [UInt8] = []
        let n = s.utf8.count
        bytes.reserveCapacity(n + 9)
        if n <= 126 {
            bytes.append(0x40 + UInt8(n))
        } else {
            bytes.append(0xBF)
            for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: UInt64(n) >> UInt64(8 * k))) }
        }
        bytes.append(contentsOf: s.utf8)
        return XXHash64.hash(bytes, seed: seed)
    }

    static func word(_ x: UInt64, seed: UInt64) -> UInt64 {
        var le = x.littleEndian
        return withUnsafeBytes(of: &le) { XXHash64.hash($0, seed: seed) }
    }
}
