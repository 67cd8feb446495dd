// Rows of a result as JSON texts: what a caller that writes rows out (a server's cursor, the
// CLI) asks a query for, so that no row is built as values only to be encoded again. Rows
// encoded from values lie end to end in one buffer; a text that already exists as an array
// (a document as stored) is kept by reference, not copied.

/// A list of JSON texts.
///
/// ```swift
/// var rows = JSONRows()
/// rows.append(.number(1))
/// rows.append(json: Array(#"{"a":2}"#.utf8))
/// rows.writeArray(into: &out)   // [1,{"a":2}]
/// ```
public struct JSONRows: Sendable, RandomAccessCollection, Equatable {
    /// Where a row's text is.
    enum Row: Sendable, Equatable {
        /// In `encoded`, at this range.
        case encoded(start: Int, end: Int)
        /// A text of its own.
        case kept([UInt8])
    }

    /// The texts of rows encoded here, end to end.
    private var encoded: [UInt8] = []
    private var rows: [Row] = []
    /// The bytes of all rows' texts.
    public private(set) var byteCount = 0

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { rows.count }

    /// The JSON text of row `i`.
    public subscript(i: Int) -> ArraySlice<UInt8> {
        switch rows[i] {
        case .encoded(let start, let end): encoded[start..<end]
        case .kept(let text): text[...]
        }
    }

    /// Appends `v`, encoded.
    public mutating func append(_ v: Value) {
        if rows.isEmpty { reserveForFirstRow() }
        let start = encoded.count
        JSONWriter.write(v, into: &encoded)
        rows.append(.encoded(start: start, end: encoded.count))
        byteCount += encoded.count - start
    }

    /// Appends a text that is already valid JSON, keeping the array rather than copying it.
    public mutating func append(json: [UInt8]) {
        if rows.isEmpty { rows.reserveCapacity(8) }
        rows.append(.kept(json))
        byteCount += json.count
    }

    /// Room for a few rows at once, rather than growing through the smallest sizes.
    private mutating func reserveForFirstRow() {
        encoded.reserveCapacity(64)
        rows.reserveCapacity(8)
    }

    /// Removes the first `k` rows (moving the encoded texts of the rest to the front).
    public mutating func removeFirst(_ k: Int) {
        guard k > 0 else { return }
        if k >= rows.count { self = JSONRows(); return }
        for row in rows[..<k] { byteCount -= JSONRows.length(row) }
        rows.removeFirst(k)
        // Encoded rows are in order: the first one left starts what stays of the buffer.
        guard let cut = rows.lazy.compactMap({ if case .encoded(let s, _) = $0 { s } else { nil } }).first else {
            encoded = []
            return
        }
        encoded.removeFirst(cut)
        for i in rows.indices {
            if case .encoded(let s, let e) = rows[i] { rows[i] = .encoded(start: s - cut, end: e - cut) }
        }
    }

    static func length(_ row: Row) -> Int {
        switch row {
        case .encoded(let start, let end): end - start
        case .kept(let text): text.count
        }
    }

    /// The rows decoded.
    public func values() throws -> [Value] {
        try indices.map { i in try self[i].withUnsafeBufferPointer { try JSONReader.parse($0) } }
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
