// The multi-row INSERTs of a bulk insert, one per table a queued batch fills: document rows,
// and at a PoP the keys' clocks, change-stream entries and placements. Each is numbered by
// its shape and row count, so that the connection finds a batch's statement by number instead
// of building and hashing its text (a hash of a 64-row statement's text cost more than a
// row's insert).

/// The shape of one multi-row INSERT; its number, with the row count and the table's, finds
/// the compiled statement (`SQLiteConnection.prepare(_:rows:id:table:)`).
enum MultiRowInsert: Int, CaseIterable {
    /// Document rows `(key, doc)` of a collection's table.
    case documents
    /// Markers `(coll, key, cl, hlc, site, seq)` of `locus_clock`.
    case clocks
    /// Insert entries `(coll, key, op, doc, origin)` of `locus_stream`.
    case streamEntries
    /// Placements `(coll, key, pin, digest)` of `locus_placement`.
    case placements

    /// The most rows one statement takes (the queues flush when they hold this many).
    static let maximumRows = 64

    /// The statement's text for `rows` rows; `table` names a collection's table.
    func sql(rows: Int, table: String) -> String {
        let (head, row) =
            switch self {
            case .documents: ("INSERT INTO \(table)(key, doc) VALUES ", "(?, ?)")
            case .clocks:
                (
                    "INSERT OR REPLACE INTO locus_clock(coll, key, attr, cl, hlc, site, seq) VALUES ",
                    "(?, ?, '', ?, ?, ?, ?)"
                )
            case .streamEntries: ("INSERT INTO locus_stream(coll, key, op, doc, origin) VALUES ", "(?, ?, ?, ?, ?)")
            case .placements: ("INSERT OR REPLACE INTO locus_placement(coll, key, pin, digest) VALUES ", "(?, ?, ?, ?)")
            }
        return head + Array(repeating: row, count: rows).joined(separator: ", ")
    }
}
