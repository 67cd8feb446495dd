// The AQL value model: null, bool, number (a double), string, array and object with its
// attributes kept in insertion order. Everything above this module speaks in Values.

/// An AQL value.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([Value])
    case object(Object)

    /// The AQL type name, as `TYPENAME()` reports it.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Position in AQL's type order: null < bool < number < string < array < object.
    @inlinable public var typeRank: Int {
        switch self {
        case .null: 0
        case .bool: 1
        case .number: 2
        case .string: 3
        case .array: 4
        case .object: 5
        }
    }

    public var isNull: Bool { if case .null = self { true } else { false } }
    public var arrayValue: [Value]? { if case .array(let a) = self { a } else { nil } }
    public var objectValue: Object? { if case .object(let o) = self { o } else { nil } }
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var numberValue: Double? { if case .number(let n) = self { n } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }

    /// A number value; non-finite doubles become null, as AQL never holds NaN or infinities.
    @inlinable public static func num(_ d: Double) -> Value { d.isFinite ? .number(d) : .null }
    public static func int(_ i: Int) -> Value { .number(Double(i)) }

    /// Attribute access with AQL's rules: a missing attribute or a non-object reads as null.
    @inlinable public subscript(attribute name: String) -> Value {
        if case .object(let o) = self { return o[name] ?? .null }
        return .null
    }

    /// Index access with AQL's rules: negative positions count from the end; out of range is null.
    public subscript(index i: Int) -> Value {
        guard case .array(let a) = self else { return .null }
        let j = i < 0 ? a.count + i : i
        return j >= 0 && j < a.count ? a[j] : .null
    }

    public static func == (a: Value, b: Value) -> Bool { a.compare(b) == 0 }
    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .number(let n): h.combine(n == 0 ? 0 : n)
        case .string(let s): h.combine(s)
        case .array(let a):
            // Arrays compare as if padded with nulls, so trailing nulls must not change the hash.
            let end = (a.lastIndex { !$0.isNull } ?? -1) + 1
            h.combine(end)
            for v in a[..<end] { v.hash(into: &h) }
        case .object(let o):
            // Objects compare equal regardless of attribute order, so hash order-independently;
            // a missing attribute equals null, so null attributes do not contribute.
            var acc = 0
            for (k, v) in o where !v.isNull {
                var hk = Hasher(); hk.combine(k); v.hash(into: &hk); acc ^= hk.finalize()
            }
            h.combine(acc)
        }
    }
}

extension Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral b: Bool) { self = .bool(b) }
    public init(integerLiteral i: Int) { self = .number(Double(i)) }
    public init(floatLiteral d: Double) { self = .number(d) }
    public init(stringLiteral s: String) { self = .string(s) }
    public init(arrayLiteral a: Value...) { self = .array(a) }
    public init(dictionaryLiteral pairs: (String, Value)...) {
        var o = Object()
        for (k, v) in pairs { o[k] = v }
        self = .object(o)
    }
}
