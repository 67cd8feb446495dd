// MinHash signatures: for each of `count` seeded 64-bit hashes, the smallest hash of any item,
// written as 16 hex digits. The MINHASH function and the `minhash` analyzer both use them, so
// that a signature made by one matches the other's. The hashes are Locus's own (FNV-1a with a
// seed and a finalizer), not the numbers ArangoDB's produce.

/// MinHash signatures and the hash they are made of.
public enum MinHash {
    /// FNV-1a, 64 bits.
    public static func fnv1a64(_ bytes: some Sequence<UInt8>, seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }

    static func seededHash(_ bytes: [UInt8], seed: UInt64) -> UInt64 {
        var h = fnv1a64(bytes, seed: 0xCBF2_9CE4_8422_2325 ^ (seed &* 0x9E37_79B9_7F4A_7C15))
        h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 33)
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// The signature of `items`: `count` hex strings, one per seed.
    public static func signature(of items: [[UInt8]], count: Int) -> [String] {
        (0..<count).map { seed in
            let m = items.map { seededHash($0, seed: UInt64(seed)) }.min() ?? 0
            var out: [UInt8] = []
            out.reserveCapacity(16)
            for shift in stride(from: 60, through: 0, by: -4) { out.append(hexDigits[Int((m >> UInt64(shift)) & 0xF)]) }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
