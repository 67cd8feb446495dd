// The change stream of a PoP: every committed insert, update, replace and removal of a
// document, local or merged in from another PoP, in commit order, with the document as it
// was written. It lives in `locus_stream`, written in the write's own transaction, and keeps
// the newest `streamRetention` entries. Sovereignty: when a record is evicted, its earlier
// entries are erased with it (secure_delete is on at PoPs) and one removal is left that names
// the record by its digest (as the eviction journal and moved notices do), never by its key,
// so neither its content nor its key is kept or served here again.

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

extension Storage {
    /// How many entries the stream keeps by default; older positions are refused.
    public static let defaultStreamRetention = 100_000
    static let streamSchema = """
        CREATE TABLE IF NOT EXISTS locus_stream(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, coll INTEGER NOT NULL, key TEXT NOT NULL, op TEXT NOT NULL,
            doc TEXT, origin TEXT);
        CREATE INDEX IF NOT EXISTS locus_stream_key ON locus_stream(coll, key);
        """

    /// Appends one entry, in the current transaction: `json` is the document's text as its row
    /// holds it (written once, kept twice, never encoded again).
    func appendStream(
        _ c: CollectionInfo, key: String, _ op: StreamEntry.Operation, json: [UInt8]?, origin: String? = nil
    ) throws {
        let s = try sql.prepare("INSERT INTO locus_stream(coll, key, op, doc, origin) VALUES (?, ?, ?, ?, ?)")
        s.bind(1, c.id)
        s.bind(2, key)
        s.bind(3, op.rawValue)
        if let json { s.bindText(4, bytes: json) } else { s.bindNull(4) }
        if let origin { s.bind(5, origin) } else { s.bindNull(5) }
        try s.run()
        streamAppended = true
        let seq = sql.lastInsertRowID
        // Pruned in steps, so that a write rarely pays for it.
        if seq % max(1, min(1024, streamRetention / 8)) == 0, seq > streamRetention {
            let prune = try sql.prepare("DELETE FROM locus_stream WHERE seq <= ?")
            prune.bind(1, seq - streamRetention)
            try prune.run()
            try setReplicaSetting("stream-pruned", String(seq - streamRetention))
        }
    }

    /// Appends what a merge did to a record: the PoP of its newest write is the origin.
    func streamMerge(
        _ c: CollectionInfo, key: String, _ state: ReplicatedState, json: [UInt8]?, old: Object?, peer: String?
    ) throws {
        let origin = state.newestStamp.site.isEmpty ? peer : state.newestStamp.site
        if state.present {
            try appendStream(c, key: key, old == nil ? .insert : .update, json: json, origin: origin)
        } else if old != nil {
            try appendStream(c, key: key, .remove, json: nil, origin: origin)
        }
    }

    /// Erases every entry of a record (its eviction), leaving one removal under its digest.
    func eraseStream(_ c: CollectionInfo, key: String, digest: String) throws {
        let d = try sql.prepare("DELETE FROM locus_stream WHERE coll = ? AND key = ?")
        d.bind(1, c.id)
        d.bind(2, key)
        try d.run()
        try appendStream(c, key: digest, .evict, json: nil)
    }

    /// Erases a dropped collection's entries.
    func eraseStream(collection id: Int) throws {
        let d = try sql.prepare("DELETE FROM locus_stream WHERE coll = ?")
        d.bind(1, id)
        try d.run()
    }

    /// The newest stream position (0 when the stream is empty).
    public func streamPosition() throws -> Int {
        guard replica != nil else { throw Storage.notAStream() }
        let s = try sql.prepare("SELECT coalesce(max(seq), 0) FROM locus_stream")
        defer { s.reset() }
        _ = try s.step()
        return s.int(0)
    }

    /// Up to `limit` entries of `collection` after position `after`. A position older than
    /// the stream still holds is refused: entries after it are gone.
    public func streamEntries(collection: String, after: Int, limit: Int) throws -> [StreamEntry] {
        guard replica != nil else { throw Storage.notAStream() }
        let c = try requireCollection(collection)
        if let pruned = try replicaSetting("stream-pruned").flatMap(Int.init), after < pruned {
            throw LocusError(
                code: .badParameter,
                message:
                    "stream position \(after) is older than the oldest change this PoP still holds (\(pruned + 1)); read the collection again and follow from \(try streamPosition())"
            )
        }
        let s = try sql.prepare(
            "SELECT seq, key, op, doc, origin FROM locus_stream WHERE seq > ? AND coll = ? ORDER BY seq LIMIT ?")
        defer { s.reset() }
        s.bind(1, after)
        s.bind(2, c.id)
        s.bind(3, limit)
        var out: [StreamEntry] = []
        while try s.step() {
            // Value is nil-literal convertible: spell out the optional.
            let doc: Value? = s.isNull(3) ? Optional.none : try s.withBytes(3) { try JSONReader.parseStored($0) }
            out.append(
                StreamEntry(
                    position: s.int(0), collection: c.name, key: s.text(1) ?? "",
                    operation: StreamEntry.Operation(rawValue: s.text(2) ?? "") ?? .update,
                    document: doc, origin: s.isNull(4) ? nil : s.text(4)))
        }
        return out
    }

    static func notAStream() -> LocusError {
        LocusError(.badParameter, "change streams are kept by PoPs: this database is not part of a fabric")
    }
}
