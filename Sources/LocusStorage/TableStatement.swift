// The statements of the hot row paths, one table of them: reading a document by key, scanning
// and counting a table, writing and deleting a row, adding and removing an index entry, and
// reading an index range. Their text depends only on the table (and a range's shape), so the
// connection caches them by number and a point read, a range read or a single write neither
// builds nor hashes SQL text (`SQLiteConnection.prepare(_:id:table:)`).

/// A statement about one document table (`c<id>`) or one index table (`i<id>`).
enum TableStatement: Int, CaseIterable {
    // Document tables.
    case lookup, lookupLive, exists, existsLive
    case scan, scanLive, count, countLive
    case insertDocument, insertEdge, insertEntry
    case updateDocument, updateEdge, updateEntry
    case delete
    // Index tables.
    case addEntry, removeEntry, conflictingEntry

    /// The statement's text for `table`. A key-value entry is live until its `expire_at`,
    /// which the `…Live` reads take as their last parameter.
    func sql(_ table: String) -> String {
        switch self {
        case .lookup: "SELECT doc FROM \(table) WHERE key = ?"
        case .lookupLive: "SELECT doc FROM \(table) WHERE key = ? AND (expire_at IS NULL OR expire_at > ?)"
        case .exists: "SELECT 1 FROM \(table) WHERE key = ?"
        case .existsLive: "SELECT 1 FROM \(table) WHERE key = ? AND (expire_at IS NULL OR expire_at > ?)"
        case .scan: "SELECT doc FROM \(table)"
        case .scanLive: "SELECT doc FROM \(table) WHERE (expire_at IS NULL OR expire_at > ?)"
        case .count: "SELECT count(*) FROM \(table)"
        case .countLive: "SELECT count(*) FROM \(table) WHERE (expire_at IS NULL OR expire_at > ?)"
        case .insertDocument: "INSERT INTO \(table)(key, doc) VALUES (?, ?)"
        case .insertEdge: "INSERT INTO \(table)(key, doc, from_id, to_id) VALUES (?, ?, ?, ?)"
        case .insertEntry: "INSERT INTO \(table)(key, doc, expire_at) VALUES (?, ?, ?)"
        case .updateDocument: "UPDATE \(table) SET doc = ? WHERE key = ?"
        case .updateEdge: "UPDATE \(table) SET doc = ?, from_id = ?, to_id = ? WHERE key = ?"
        case .updateEntry: "UPDATE \(table) SET doc = ?, expire_at = ? WHERE key = ?"
        case .delete: "DELETE FROM \(table) WHERE key = ?"
        case .addEntry: "INSERT OR IGNORE INTO \(table)(k, key) VALUES (?, ?)"
        case .removeEntry: "DELETE FROM \(table) WHERE k = ? AND key = ?"
        case .conflictingEntry: "SELECT key FROM \(table) WHERE k = ? AND key != ? LIMIT 1"
        }
    }
}

/// A read of a range of one index table (`i<id>`) in key order: its entries, or the documents
/// they point to joined from the collection's table. Which bounds it has, its order and whether
/// it reads live key-value entries make 32 statements an index may need, numbered by `number`.
/// Parameters: the lower bound, the upper bound (each when present), then the time for `live`.
struct IndexRangeStatement {
    var documents: Bool
    var lower: Bool
    var upper: Bool
    var descending: Bool
    /// Only key-value entries not yet expired (documents of a key-value collection).
    var live: Bool

    static let count = 32

    var number: Int {
        (documents ? 1 : 0) | (lower ? 2 : 0) | (upper ? 4 : 0) | (descending ? 8 : 0) | (live ? 16 : 0)
    }

    /// The text for index table `index`, over document table `collection` when it reads documents.
    func sql(index: String, collection: String = "") -> String {
        var conditions: [String] = []
        if lower { conditions.append("i.k >= ?") }
        if upper { conditions.append("i.k < ?") }
        if live { conditions.append("(d.expire_at IS NULL OR d.expire_at > ?)") }
        let source =
            documents
            ? "SELECT d.doc FROM \(index) i JOIN \(collection) d ON d.key = i.key" : "SELECT i.k, i.key FROM \(index) i"
        return source + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY i.k \(descending ? "DESC" : "ASC")"
    }
}
