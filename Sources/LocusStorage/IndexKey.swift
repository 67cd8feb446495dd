// A memcmp-ordered binary encoding of values, so that SQLite BLOB comparison on index keys
// follows AQL's order: type first (null < bool < number < string < array < object), then
// value, strings by their collation sort key. Concatenated encodings order multi-attribute
// keys attribute by attribute. `formatVersion` names the encoding a database file holds.

import LocusValues

/// Encodes values into order-preserving index keys.
public enum IndexKey {
    /// The encoding in use, kept in the file's `PRAGMA user_version`: 0 ordered strings by an
    /// ASCII approximation of the collation, 1 by ICU sort keys.
    public static let formatVersion = 1

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
            // Eight bytes in one append: byte by byte, a short key grows its buffer three times.
            withUnsafeBytes(of: bits.bigEndian) { out.append(contentsOf: $0) }
        case .string(let s):
            // The collation's sort key, which orders; then the string itself, which the key
            // cannot give back (zero bytes escaped as 0x00 0xFF, ended by 0x00 0x01).
            out.append(0x05)
            Collation.appendSortKey(of: s, to: &out)
            out.append(0x00)
            for b in s.utf8 {
                out.append(b)
                if b == 0 { out.append(0xFF) }
            }
            out.append(0x00)
            out.append(0x01)
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

    /// Decodes the values of an index key (the inverse of `encode`).
    public static func decode(_ key: UnsafeBufferPointer<UInt8>) -> [Value]? {
        var pos = 0
        var out: [Value] = []
        while pos < key.count {
            guard let v = decodeOne(key, &pos) else { return nil }
            out.append(v)
        }
        return out
    }

    static func decodeOne(_ k: UnsafeBufferPointer<UInt8>, _ pos: inout Int) -> Value? {
        guard pos < k.count else { return nil }
        let tag = k[pos]
        pos += 1
        switch tag {
        case 0x01: return .null
        case 0x02: return .bool(false)
        case 0x03: return .bool(true)
        case 0x04:
            guard pos + 8 <= k.count else { return nil }
            var bits: UInt64 = 0
            for i in 0..<8 { bits = bits << 8 | UInt64(k[pos + i]) }
            pos += 8
            bits = bits & (1 << 63) != 0 ? bits & ~(1 << 63) : ~bits
            return .number(Double(bitPattern: bits))
        case 0x05:
            while pos < k.count && k[pos] != 0x00 { pos += 1 }  // the sort key
            pos += 1
            var bytes: [UInt8] = []
            while pos < k.count {
                let b = k[pos]
                if b == 0x00 {
                    guard pos + 1 < k.count else { return nil }
                    pos += 2
                    if k[pos - 1] == 0xFF { bytes.append(0) } else { break }
                    continue
                }
                bytes.append(b)
                pos += 1
            }
            return String(validating: bytes, as: UTF8.self).map { .string($0) }
        case 0x06:
            var items: [Value] = []
            while pos < k.count && k[pos] != 0x00 {
                guard let v = decodeOne(k, &pos) else { return nil }
                items.append(v)
            }
            pos += 1
            return .array(items)
        case 0x07:
            guard case .string(let json)? = decodeOne(k, &pos) else { return nil }
            return try? JSONReader.parse(json)
        default:
            return nil
        }
    }
}
