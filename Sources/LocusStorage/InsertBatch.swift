// Document rows queued for one multi-row INSERT into one collection's table: a bulk insert
// pays for one statement per batch instead of one per row. The queue is only the rows; when
// to flush it (before any other use of the connection) is storage's rule.

/// Rows waiting to be inserted into one collection.
struct InsertBatch {
    /// Rows per INSERT statement.
    static let capacity = MultiRowInsert.maximumRows

    private(set) var collection: CollectionInfo?
    private(set) var rows: [(key: String, json: [UInt8])] = []

    var isEmpty: Bool { rows.isEmpty }
    var isFull: Bool { rows.count >= InsertBatch.capacity }

    /// Whether a row of `c` must wait for the queued rows of another collection to be written.
    func belongsElsewhere(_ c: CollectionInfo) -> Bool { collection.map { $0 != c } ?? false }

    mutating func append(_ c: CollectionInfo, key: String, json: [UInt8]) {
        collection = c
        rows.append((key, json))
    }

    /// Empties the queue, returning what it held.
    mutating func take() -> (collection: CollectionInfo, rows: [(key: String, json: [UInt8])])? {
        defer { discard() }
        guard let collection, !rows.isEmpty else { return nil }
        return (collection, rows)
    }

    mutating func discard() {
        rows = []
        collection = nil
    }
}
