// AQL's total order over values (type order first, then value), truthiness, and the implicit
// conversions of the arithmetic operators (TO_NUMBER, TO_STRING, TO_BOOL rules).

extension Value {
    /// Three-way comparison in AQL order: negative, zero or positive.
    ///
    /// Strings compare in ArangoDB's collation (`compareStrings`). Arrays compare element by element,
    /// padding the shorter with null. Objects compare over the sorted union of their attribute
    /// names, a missing attribute counting as null.
    public func compare(_ other: Value) -> Int {
        switch (self, other) {
        case (.null, .null): return 0
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.number(let a), .number(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.string(let a), .string(let b)): return Value.compareStrings(a, b)
        case (.array(let a), .array(let b)):
            let n = max(a.count, b.count)
            for i in 0..<n {
                let x = i < a.count ? a[i] : .null
                let y = i < b.count ? b[i] : .null
                let c = x.compare(y)
                if c != 0 { return c }
            }
            return 0
        case (.object(let a), .object(let b)):
            let names = Set(a.keys).union(b.keys).sorted { Value.compareStrings($0, $1) < 0 }
            for k in names {
                let c = (a[k] ?? .null).compare(b[k] ?? .null)
                if c != 0 { return c }
            }
            return 0
        default:
            return typeRank < other.typeRank ? -1 : 1
        }
    }

    /// String order as ArangoDB's: ICU collation with uppercase first (`"a" < "B"`,
    /// `"A" < "a"`, punctuation before digits before letters); see `Collation`.
    public static func compareStrings(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in Collation.compare(x, y) } }
    }

    /// AQL truthiness: null, false, 0 and "" are false; arrays and objects are always true.
    @inlinable public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let b): b
        case .number(let n): n != 0
        case .string(let s): !s.isEmpty
        case .array, .object: true
        }
    }

    /// TO_NUMBER: the conversion every arithmetic operator applies to its operands.
    public var toNumber: Double {
        switch self {
        case .null: return 0
        case .bool(let b): return b ? 1 : 0
        case .number(let n): return n
        case .string(let s): return Value.parseNumericString(s) ?? 0
        case .array(let a): return a.count == 1 ? a[0].toNumber : 0
        case .object: return 0
        }
    }

    /// The number a string denotes, with surrounding whitespace allowed, or nil.
    public static func parseNumericString(_ s: String) -> Double? {
        let t = s.trimmingWhitespace()
        if t.isEmpty { return nil }
        // Reject forms Double(String) accepts but AQL does not (hex floats, "inf", "nan").
        for u in t.utf8 {
            switch u {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                continue
            default: return nil
            }
        }
        guard let d = Double(t), d.isFinite else { return nil }
        return d
    }

    /// TO_STRING: null is "", numbers in their shortest form, arrays and objects as JSON.
    public var toStringValue: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return JSONWriter.formatNumber(n)
        case .string(let s): return s
        case .array, .object: return JSONWriter.string(self)
        }
    }

    /// TO_ARRAY: null is [], an array is itself, an object gives its values, a scalar wraps.
    public var toArray: [Value] {
        switch self {
        case .null: return []
        case .array(let a): return a
        case .object(let o): return o.values
        default: return [self]
        }
    }
}

extension String {
    /// The string without leading or trailing ASCII whitespace.
    public func trimmingWhitespace() -> String {
        let ws: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !ws($0) }) else { return "" }
        let last = lastIndex(where: { !ws($0) })!
        return String(self[first...last])
    }
}

extension Double {
    /// The value truncated toward zero and clamped to Int's range; NaN is 0. Never traps.
    @inlinable public var clampedInt: Int {
        if isNaN { return 0 }
        if self >= 9.2e18 { return Int.max }
        if self <= -9.2e18 { return Int.min }
        return Int(self)
    }
}
