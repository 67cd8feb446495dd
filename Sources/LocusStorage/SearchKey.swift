// The byte layout of a view's entries, ordered so that SQLite's BLOB order is ArangoSearch's
// term order: strings compare byte by byte (not by collation, as ArangoSearch ranges do),
// numbers, booleans and null by AQL's order. Every entry starts with its kind and field path,
// so one field's tokens, values or lengths are one key range; a token's position follows its
// term, so one term's postings are one range too.
//
//   token   'T' path 00 01 analyzer 00 01 term 00 01 position(u32) start(u32) end(u32)
//   length  'L' path 00 01 analyzer 00 01 count(u32)
//   value   'V' path 00 01 IndexKey(value)
//
// A zero byte inside a name or term is written 00 FF, so the 00 01 terminator sorts a string
// before all its extensions.

import LocusAnalysis
import LocusValues

/// Encodes and decodes view entries.
public enum SearchKey {
    static let token = UInt8(ascii: "T")
    static let length = UInt8(ascii: "L")
    static let value = UInt8(ascii: "V")

    static func appendString(_ s: String, to out: inout [UInt8]) {
        for b in s.utf8 {
            out.append(b)
            if b == 0 { out.append(0xFF) }
        }
    }

    static func appendTerminated(_ s: String, to out: inout [UInt8]) {
        appendString(s, to: &out)
        out.append(0x00)
        out.append(0x01)
    }

    static func appendUInt32(_ n: Int, to out: inout [UInt8]) {
        let v = UInt32(clamping: n)
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    /// The key of an entry.
    public static func encode(_ e: SearchEntry) -> [UInt8] {
        var out: [UInt8] = []
        switch e {
        case .token(let path, let analyzer, let term, let position, let start, let end):
            out.append(token)
            appendTerminated(path, to: &out)
            appendTerminated(analyzer, to: &out)
            appendTerminated(term, to: &out)
            appendUInt32(position, to: &out)
            appendUInt32(start, to: &out)
            appendUInt32(end, to: &out)
        case .length(let path, let analyzer, let count):
            out.append(length)
            appendTerminated(path, to: &out)
            appendTerminated(analyzer, to: &out)
            appendUInt32(count, to: &out)
        case .value(let path, let v):
            out.append(value)
            appendTerminated(path, to: &out)
            IndexKey.encode(v, into: &out)
        }
        return out
    }

    /// The range of the keys of `kind` that start with the terminated `names`, then `open`
    /// (a prefix, not terminated).
    private static func range(_ kind: UInt8, _ names: [String], open: String = "") -> IndexRange {
        var lower: [UInt8] = [kind]
        for n in names { appendTerminated(n, to: &lower) }
        appendString(open, to: &lower)
        return IndexRange(lower: lower, upper: lower + [IndexKey.high])
    }

    /// One term's postings.
    public static func tokens(path: String, analyzer: String, term: String) -> IndexRange {
        range(token, [path, analyzer, term])
    }

    /// One field's terms that start with `prefix` (all of them for "").
    public static func tokens(path: String, analyzer: String, prefix: String) -> IndexRange {
        range(token, [path, analyzer], open: prefix)
    }

    /// One field's lengths by one analyzer.
    public static func lengths(path: String, analyzer: String) -> IndexRange { range(length, [path, analyzer]) }

    /// A field's typed values between two bounds (nil: open), each inclusive or not.
    public static func values(path: String, from low: (Value, inclusive: Bool)?, to high: (Value, inclusive: Bool)?)
        -> IndexRange
    {
        var prefix: [UInt8] = [value]
        appendTerminated(path, to: &prefix)
        var lower = prefix
        if let low {
            IndexKey.encode(low.0, into: &lower)
            if !low.inclusive { lower.append(IndexKey.high) }
        }
        var upper = prefix
        if let high {
            IndexKey.encode(high.0, into: &upper)
            if high.inclusive { upper.append(IndexKey.high) }
        } else {
            upper.append(IndexKey.high)
        }
        return IndexRange(lower: lower, upper: upper)
    }

    /// Every entry of a field (`path` exactly), of any kind: three ranges.
    public static func field(_ path: String) -> [IndexRange] { [token, length, value].map { range($0, [path]) } }

    /// Decodes an entry's key.
    public static func decode(_ k: UnsafeBufferPointer<UInt8>) -> SearchEntry? {
        var i = 1
        func string() -> String? {
            var bytes: [UInt8] = []
            while i < k.count {
                let b = k[i]
                guard b == 0 else {
                    bytes.append(b)
                    i += 1
                    continue
                }
                guard i + 1 < k.count else { return nil }
                i += 2
                if k[i - 1] == 0x01 { return String(decoding: bytes, as: UTF8.self) }
                bytes.append(0)
            }
            return nil
        }
        func uint32() -> Int? {
            guard i + 4 <= k.count else { return nil }
            var v = 0
            for j in 0..<4 { v = v << 8 | Int(k[i + j]) }
            i += 4
            return v
        }
        guard let kind = k.first, let path = string() else { return nil }
        switch kind {
        case token:
            guard let analyzer = string(), let term = string(), let position = uint32(), let start = uint32(),
                let end = uint32()
            else { return nil }
            return .token(path: path, analyzer: analyzer, term: term, position: position, start: start, end: end)
        case length:
            guard let analyzer = string(), let count = uint32() else { return nil }
            return .length(path: path, analyzer: analyzer, count: count)
        case value:
            guard let v = IndexKey.decode(UnsafeBufferPointer(rebasing: k[i...]))?.first else { return nil }
            return .value(path: path, v)
        default:
            return nil
        }
    }
}
