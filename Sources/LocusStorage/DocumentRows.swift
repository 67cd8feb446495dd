// The rows of document, edge and key-value tables: one row per document, its JSON text in
// `doc`, an edge's endpoints in columns of their own, a key-value entry's expiry in
// `expire_at`. Rows of a bulk insert wait in a queue for one multi-row INSERT; every other
// use of the connection flushes it first (storage's rule), so reads and later writes see them.

import LocusErrors
import LocusValues

/// Writes and deletes table rows.
final class DocumentRows {
    private let sql: SQLiteConnection
    /// Document rows queued for one multi-row INSERT.
    private var pending = InsertBatch()

    init(sql: SQLiteConnection) { self.sql = sql }

    /// Error 1210 for a key the primary index already holds.
    static func duplicateKey(_ key: String) -> LocusError {
        LocusError(
            code: .uniqueConstraintViolated,
            message:
                "unique constraint violated - in index primary of type primary over '_key'; conflicting key: \(key)")
    }

    /// Writes the row of `doc` (whose JSON text is `json`): a new row, or the stored row updated
    /// in place, so that a scan in progress never meets it twice.
    func write(_ c: CollectionInfo, key: String, doc: Object, json: [UInt8], insert: Bool) throws {
        switch (c.type, insert) {
        case (.document, true):
            try insertDocument(c, key: key, json: json)
        case (.document, false):
            let s = try sql.prepare(.updateDocument, id: c.id, table: c.table)
            s.bindText(1, bytes: json)
            s.bind(2, key)
            try s.run()
        case (.edge, true):
            let s = try sql.prepare(.insertEdge, id: c.id, table: c.table)
            s.bind(1, key)
            s.bindText(2, bytes: json)
            s.bind(3, doc["_from"]?.stringValue ?? "")
            s.bind(4, doc["_to"]?.stringValue ?? "")
            try s.run()
        case (.edge, false):
            let s = try sql.prepare(.updateEdge, id: c.id, table: c.table)
            s.bindText(1, bytes: json)
            s.bind(2, doc["_from"]?.stringValue ?? "")
            s.bind(3, doc["_to"]?.stringValue ?? "")
            s.bind(4, key)
            try s.run()
        case (.kv, true):
            let s = try sql.prepare(.insertEntry, id: c.id, table: c.table)
            s.bind(1, key)
            s.bindText(2, bytes: json)
            if let t = DocumentRows.expiry(doc) { s.bind(3, t) } else { s.bindNull(3) }
            try s.run()
        case (.kv, false):
            let s = try sql.prepare(.updateEntry, id: c.id, table: c.table)
            s.bindText(1, bytes: json)
            if let t = DocumentRows.expiry(doc) { s.bind(2, t) } else { s.bindNull(2) }
            s.bind(3, key)
            try s.run()
        }
    }

    /// Inserts the row of a document (not an edge or key-value entry) from its JSON text.
    func insertDocument(_ c: CollectionInfo, key: String, json: [UInt8]) throws {
        let s = try sql.prepare(.insertDocument, id: c.id, table: c.table)
        s.bind(1, key)
        s.bindText(2, bytes: json)
        try s.run()
    }

    /// Deletes the row of `key`.
    func delete(_ c: CollectionInfo, key: String) throws {
        let d = try sql.prepare(.delete, id: c.id, table: c.table)
        d.bind(1, key)
        try d.run()
    }

    /// When a key-value entry expires, in seconds since the epoch: its numeric `expireAt`.
    /// Macrometa's `-1` (any negative number) and a missing or non-numeric one mean never.
    static func expiry(_ doc: Object) -> Double? {
        guard case .number(let t)? = doc["expireAt"], t >= 0 else { return nil }
        return t
    }

    // MARK: - Queued inserts

    /// Queues a document row for a multi-row INSERT. A key conflict, within the queue or with
    /// a stored row, fails the flush, which names the key.
    func queue(_ c: CollectionInfo, key: String, json: [UInt8]) throws {
        if pending.belongsElsewhere(c) { try flush() }
        pending.append(c, key: key, json: json)
        if pending.isFull { try flush() }
    }

    /// Writes the queued rows with one statement; on a key conflict, finds the culprit row by row.
    func flush() throws {
        guard let (c, rows) = pending.take() else { return }
        let s = try sql.prepare(.documents, rows: rows.count, id: c.id, table: c.table)
        var i: Int32 = 1
        for (key, json) in rows {
            sql.batchTexts.add(i, key)
            sql.batchTexts.add(i + 1, json)
            i += 2
        }
        do {
            try sql.batchTexts.run(s)
        } catch let e as LocusError where e.code == .uniqueConstraintViolated {
            // The failed statement left nothing behind; replay row by row to name the key.
            for (key, json) in rows {
                do { try insertDocument(c, key: key, json: json) } catch let e as LocusError
                    where e.code == .uniqueConstraintViolated
                {
                    throw DocumentRows.duplicateKey(key)
                }
            }
            throw e
        }
    }

    /// Drops the queued rows (their transaction or statement is undone).
    func discard() { pending.discard() }
}
