// The change stream of a PoP: every committed insert, update, replace and removal of a
// document, local or merged in from another PoP, in commit order, with the document as it
// was written. It lives in `locus_stream`, written in the write's own transaction, and keeps
// about the newest `retention` entries; how far it was pruned is the `stream-pruned` row of
// `locus_replica`. Sovereignty: when a record is evicted, its earlier entries are erased
// with it (secure_delete is on at PoPs) and one removal is left that names the record by its
// digest, never by its key, so neither its content nor its key is kept or served here again.
//
// `Storage` owns one and calls it from its writes, merges, evictions and commits; it knows
// collections only by their ids.

import LocusErrors
import LocusValues

/// One entry of a collection's change stream.
public struct StreamEntry: Sendable, Equatable {
    public enum Operation: String, Sendable {
        case insert, update, replace, remove
        /// A removal because the record may no longer live at this PoP (stored as `evict`).
        case evict
    }
    /// The stream position: increasing, unique per PoP.
    public var position: Int
    public var collection: String
    /// The record's key; for an eviction, its digest instead.
    public var key: String
    public var operation: Operation
    /// The document as written; nil for a removal.
    public var document: Value?
    /// The PoP whose write this was, when it was merged in from another PoP.
    public var origin: String?
}

final class ChangeStream {
    /// How many entries the stream keeps by default; older positions are refused.
    static let defaultRetention = 100_000
    static let schema = """
        CREATE TABLE IF NOT EXISTS locus_stream(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, coll INTEGER NOT NULL, key TEXT NOT NULL, op TEXT NOT NULL,
            doc TEXT, origin TEXT);
        CREATE INDEX IF NOT EXISTS locus_stream_key ON locus_stream(coll, key);
        """

    private let sql: SQLiteConnection
    /// How many entries to keep (about: pruning goes in steps).
    var retention = ChangeStream.defaultRetention
    /// Called after a commit that appended (it wakes subscribers).
    var onCommit: (@Sendable () -> Void)?
    /// True when the open transaction appended.
    private var appended = false

    init(sql: SQLiteConnection) { self.sql = sql }

    /// Appends one entry, in the current transaction: `json` is the document's text as its row
    /// holds it (written once, kept twice, never encoded again).
    func append(collection: Int, key: String, _ op: StreamEntry.Operation, json: [UInt8]?, origin: String? = nil)
        throws
    {
        let s = try sql.prepare(.appendToStream)
        s.bind(1, collection)
        s.bind(2, key)
        s.bind(3, op.rawValue)
        if let json { s.bindText(4, bytes: json) } else { s.bindNull(4) }
        if let origin { s.bind(5, origin) } else { s.bindNull(5) }
        try s.run()
        appended = true
        let seq = sql.lastInsertRowID
        try pruneIfDue(appended: seq...seq)
    }

    /// Appends an insert entry for each of `inserts` (collection id, key, the row's JSON text,
    /// origin), in their order, with one statement.
    func appendInserts(_ inserts: [CapturedInsert]) throws {
        guard !inserts.isEmpty else { return }
        let s = try sql.prepare(.streamEntries, rows: inserts.count)
        var i: Int32 = 1
        for insert in inserts {
            s.bind(i, insert.collection)
            sql.batchTexts.add(i + 1, insert.key)
            sql.batchTexts.add(i + 2, StreamEntry.Operation.insert.rawValue)
            sql.batchTexts.add(i + 3, insert.json)
            if let origin = insert.origin { sql.batchTexts.add(i + 4, origin) } else { s.bindNull(i + 4) }
            i += 5
        }
        try sql.batchTexts.run(s)
        appended = true
        let last = sql.lastInsertRowID
        try pruneIfDue(appended: (last - inserts.count + 1)...last)
    }

    /// Prunes the stream to about `retention` entries when the positions just appended
    /// passed a pruning step: pruned in steps, so that a write rarely pays for it.
    private func pruneIfDue(appended positions: ClosedRange<Int>) throws {
        let step = max(1, min(1024, retention / 8))
        let newest = positions.upperBound
        guard newest > retention, newest / step > (positions.lowerBound - 1) / step else { return }
        let prune = try sql.prepare("DELETE FROM locus_stream WHERE seq <= ?")
        prune.bind(1, newest - retention)
        try prune.run()
        let mark = try sql.prepare("INSERT OR REPLACE INTO locus_replica(name, value) VALUES ('stream-pruned', ?)")
        mark.bind(1, String(newest - retention))
        try mark.run()
    }

    /// Erases every entry of a record (its eviction), leaving one removal under its digest.
    func erase(collection: Int, key: String, digest: String) throws {
        let d = try sql.prepare("DELETE FROM locus_stream WHERE coll = ? AND key = ?")
        d.bind(1, collection)
        d.bind(2, key)
        try d.run()
        try append(collection: collection, key: digest, .evict, json: nil)
    }

    /// Erases a dropped collection's entries.
    func erase(collection: Int) throws {
        let d = try sql.prepare("DELETE FROM locus_stream WHERE coll = ?")
        d.bind(1, collection)
        try d.run()
    }

    /// The newest stream position (0 when the stream is empty).
    func position() throws -> Int {
        let s = try sql.prepare("SELECT coalesce(max(seq), 0) FROM locus_stream")
        defer { s.reset() }
        _ = try s.step()
        return s.int(0)
    }

    /// Up to `limit` entries of the collection with id `collection` (named `name` in the
    /// entries) after position `after`. A position older than the stream still holds is
    /// refused: entries after it are gone.
    func entries(collection: Int, name: String, after: Int, limit: Int) throws -> [StreamEntry] {
        if let pruned = try prunedThrough(), after < pruned {
            throw LocusError(
                code: .badParameter,
                message:
                    "stream position \(after) is older than the oldest change this PoP still holds (\(pruned + 1)); read the collection again and follow from \(try position())"
            )
        }
        let s = try sql.prepare(
            "SELECT seq, key, op, doc, origin FROM locus_stream WHERE seq > ? AND coll = ? ORDER BY seq LIMIT ?")
        defer { s.reset() }
        s.bind(1, after)
        s.bind(2, collection)
        s.bind(3, limit)
        var out: [StreamEntry] = []
        while try s.step() {
            // Value is nil-literal convertible: spell out the optional.
            let doc: Value? = s.isNull(3) ? Optional.none : try s.withBytes(3) { try JSONReader.parseStored($0) }
            out.append(
                StreamEntry(
                    position: s.int(0), collection: name, key: s.text(1) ?? "",
                    operation: StreamEntry.Operation(rawValue: s.text(2) ?? "") ?? .update,
                    document: doc, origin: s.isNull(4) ? nil : s.text(4)))
        }
        return out
    }

    /// The position through which entries were pruned, if any were.
    private func prunedThrough() throws -> Int? {
        let s = try sql.prepare("SELECT value FROM locus_replica WHERE name = 'stream-pruned'")
        defer { s.reset() }
        return try s.step() ? s.text(0).flatMap(Int.init) : nil
    }

    /// The transaction committed: wakes subscribers if it appended.
    func committed() {
        guard appended else { return }
        appended = false
        onCommit?()
    }

    /// The transaction rolled back: what it appended is gone with it.
    func rolledBack() { appended = false }
}
