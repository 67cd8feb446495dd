// Rows of a result as JSON texts, kept end to end in one buffer: what a caller that writes
// rows out (a server's cursor, the CLI) asks a query for, so that no row is built as values
// only to be encoded again.

/// A list of JSON texts in one buffer.
///
/// ```swift
/// var rows = JSONRows()
/// rows.append(.number(1))
/// rows.append(json: Array(#"{"a":2}"#.utf8))
/// rows.writeArray(into: &out)   // [1,{"a":2}]
/// ```
public struct JSONRows: Sendable, RandomAccessCollection, Equatable {
    /// The texts, one after another.
    public private(set) var bytes: [UInt8] = []
    /// Where each text ends in `bytes`.
    public private(set) var ends: [Int] = []

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    /// The JSON text of row `i`.
    public subscript(i: Int) -> ArraySlice<UInt8> {
        bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]]
    }

    /// Appends `v`, encoded.
    public mutating func append(_ v: Value) {
        if ends.isEmpty { reserveForFirstRow(bytes: 64) }
        JSONWriter.write(v, into: &bytes)
        ends.append(bytes.count)
    }

    /// Appends a text that is already valid JSON. (Of a concrete type: a generic one would
    /// copy element by element through an unspecialized call from other modules.)
    public mutating func append(json: [UInt8]) {
        if ends.isEmpty { reserveForFirstRow(bytes: json.count) }
        bytes.append(contentsOf: json)
        ends.append(bytes.count)
    }

    /// Room for a few rows at once, rather than growing through the smallest sizes.
    private mutating func reserveForFirstRow(bytes count: Int) {
        bytes.reserveCapacity(Swift.max(64, count))
        ends.reserveCapacity(8)
    }

    /// The rows decoded.
    public func values() throws -> [Value] {
        try indices.map { i in try self[i].withUnsafeBufferPointer { try JSONReader.parse($0) } }
    }

    /// Removes the first `k` rows (moving the rest to the front of the buffer).
    public mutating func removeFirst(_ k: Int) {
        guard k > 0 else { return }
        if k >= ends.count { self = JSONRows(); return }
        let cut = ends[k - 1]
        bytes.removeFirst(cut)
        ends.removeFirst(k)
        for i in ends.indices { ends[i] -= cut }
    }

    /// Writes `{"key":[rows range],` then the members of `rest`: an answer whose first member
    /// holds rows (`{"result": [...], "hasMore": false, ...}`).
    public func writeObject(key: String, _ range: Range<Int>? = nil, then rest: Object, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        JSONWriter.writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
        writeArray(range, into: &out)
        guard !rest.isEmpty else { return out.append(UInt8(ascii: "}")) }
        var members: [UInt8] = []
        JSONWriter.write(.object(rest), into: &members)
        members[0] = UInt8(ascii: ",")
        out.append(contentsOf: members)
    }

    /// Writes rows `range` as one JSON array.
    public func writeArray(_ range: Range<Int>? = nil, into out: inout [UInt8]) {
        let range = range ?? indices
        out.append(UInt8(ascii: "["))
        for i in range {
            if i > range.lowerBound { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: self[i])
        }
        out.append(UInt8(ascii: "]"))
    }
}
