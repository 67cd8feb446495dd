// A memcmp-ordered binary encoding of values, so that SQLite BLOB comparison on index keys
// follows AQL's order: type first (null < bool < number < string < array < object), then
// value. Concatenated encodings order multi-attribute keys attribute by attribute.

import LocusValues

/// Encodes values into order-preserving index keys.
public enum IndexKey {
    /// Appended to a prefix, sorts after every extension of that prefix.
    public static let high: UInt8 = 0xFF

    public static func encode(_ values: [Value]) -> [UInt8] {
        var out: [UInt8] = []
        for v in values { encode(v, into: &out) }
        return out
    }

    public static func encode(_ v: Value, into out: inout [UInt8]) {
        switch v {
        case .null: out.append(0x01)
        case .bool(let b): out.append(b ? 0x03 : 0x02)
        case .number(let d):
            out.append(0x04)
            var bits = (d == 0 ? 0.0 : d).bitPattern
            bits = d < 0 ? ~bits : bits | (1 << 63)
            for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(s))) }
        case .string(let s):
            // Primary part: bytes with ASCII letters lowercased; then one case mark per byte,
            // so that byte order equals Value.compareStrings (case decides only on a tie).
            out.append(0x05)
            for b in s.utf8 {
                out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
                if b == 0 { out.append(0xFF) }
            }
            out.append(0x00)
            out.append(0x01)
            for b in s.utf8 { out.append(b >= 0x41 && b <= 0x5A ? 0x02 : 0x01) }
            out.append(0x00)
        case .array(let a):
            out.append(0x06)
            for e in a { encode(e, into: &out) }
            out.append(0x00)
        case .object:
            // Objects are rarely indexed; their canonical JSON keeps keys distinct.
            out.append(0x07)
            encode(.string(JSONWriter.string(v)), into: &out)
        }
    }
}
