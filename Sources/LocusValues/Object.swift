// An AQL object: attributes in insertion order with unique names. Documents are small, so
// lookups scan linearly until an object grows large enough to deserve a hash index.

/// An ordered map from attribute name to value.
public struct Object: Sendable, Sequence {
    public private(set) var keys: [String]
    public private(set) var values: [Value]
    private var index: [String: Int]?

    private static let indexThreshold = 24

    public init() {
        keys = []
        values = []
    }

    public init(minimumCapacity n: Int) {
        keys = []
        values = []
        keys.reserveCapacity(n)
        values.reserveCapacity(n)
    }

    /// An object of `keys`, which the caller guarantees unique, and their `values`. Objects
    /// of one shape can share one array of names this way.
    public init(uniqueKeys keys: [String], values: [Value]) {
        precondition(keys.count == values.count, "one value per name")
        self.keys = keys
        self.values = values
        if keys.count >= Self.indexThreshold { buildIndex() }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    @inlinable public func position(of name: String) -> Int? { slot(name) }

    @usableFromInline func slot(_ name: String) -> Int? {
        if let index { return index[name] }
        // Names of other lengths are passed over without String comparison, which is costly
        // for names that differ (JSON parsing checks every name against those before it).
        let length = name.utf8.count
        for i in keys.indices where keys[i].utf8.count == length && keys[i] == name { return i }
        return nil
    }

    public subscript(name: String) -> Value? {
        get { slot(name).map { values[$0] } }
        set {
            if let i = slot(name) {
                if let newValue { values[i] = newValue } else { remove(at: i) }
            } else if let newValue {
                append(name, newValue)
            }
        }
    }

    /// This object with `other`'s attributes set over it (MERGE's order: later names win,
    /// first positions stay).
    public func merging(_ other: Object) -> Object {
        var out = self
        for (k, v) in other { out[k] = v }
        return out
    }

    /// Appends without checking for an existing name; callers guarantee uniqueness.
    public mutating func appendUnique(_ name: String, _ value: Value) {
        keys.append(name)
        values.append(value)
        if index != nil { index![name] = keys.count - 1 } else if keys.count == Self.indexThreshold { buildIndex() }
    }

    private mutating func append(_ name: String, _ value: Value) { appendUnique(name, value) }

    private mutating func remove(at i: Int) {
        keys.remove(at: i)
        values.remove(at: i)
        if index != nil { buildIndex() }
    }

    private mutating func buildIndex() {
        var d = [String: Int](minimumCapacity: keys.count * 2)
        for (i, k) in keys.enumerated() { d[k] = i }
        index = d
    }

    public func makeIterator() -> Zip2Sequence<[String], [Value]>.Iterator {
        zip(keys, values).makeIterator()
    }
}

extension Object: Equatable {
    /// Equal when both hold the same names with equal values, in any order.
    public static func == (a: Object, b: Object) -> Bool {
        guard a.count == b.count else { return false }
        for (k, v) in a {
            guard let w = b[k], w == v else { return false }
        }
        return true
    }
}

extension Object: ExpressibleByDictionaryLiteral {
    /// An object from a literal; a repeated name keeps its last value.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(minimumCapacity: elements.count)
        for (k, v) in elements { self[k] = v }
    }
}
