// The statements of the hot row paths, one table of them: reading a document by key, writing
// and deleting a row, adding and removing an index entry. Their text depends only on the
// table, so the connection caches them by (statement, table number) and a point read or a
// single write neither builds nor hashes SQL text (`SQLiteConnection.prepare(_:id:table:)`).

/// A statement about one document table (`c<id>`) or one index table (`i<id>`).
enum TableStatement: Int, CaseIterable {
    // Document tables.
    case lookup, lookupLive, exists, existsLive
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
