// What a compliance audit reads from a PoP's file, below the engine's own bookkeeping: every
// record name found in a collection table, the clock table (change log and tombstones) or
// the placement table, index entries that point at no row, and the raw bytes of the
// database file and its WAL, free pages included. The audit itself (what is allowed where)
// is the caller's; this only reports what is there.

import LocusErrors
import LocusValues

/// One record name as a PoP's file holds it.
public struct AuditedRecord: Sendable {
    public var collection: String
    public var type: CollectionType
    public var key: String
    /// The row's user attributes, when a row exists.
    public var document: Object?
    /// The life in the clock table, when a clock exists (odd: live, even: tombstone).
    public var causalLength: Int?
    /// The placement stored for it, when one is.
    public var placement: SiteSet?
}

extension Storage {
    /// Every record name of every collection, from rows, clocks and placements alike, vertex
    /// collections first.
    public func auditedRecords(_ body: (AuditedRecord) throws -> Void) throws {
        try flushPendingInserts()
        let ordered = collections.filter { $0.type != .edge } + collections.filter { $0.type == .edge }
        let hasClocks = try sql.tableExists("locus_clock"), hasPlacements = try sql.tableExists("locus_placement")
        for c in ordered {
            var records: [String: AuditedRecord] = [:]
            let rows = try sql.prepare("SELECT key, doc FROM \(c.table)")
            while try rows.step() {
                let key = rows.text(0)!
                var document: Object? = nil
                if case .object(let o)? = try? rows.withBytes(1, { try JSONReader.parse($0) }) {
                    document = Storage.userAttributes(o)
                }
                records[key] = AuditedRecord(collection: c.name, type: c.type, key: key, document: document)
            }
            rows.reset()
            if hasClocks {
                let s = try sql.prepare("SELECT key, cl FROM locus_clock WHERE coll = ? AND attr = ''")
                s.bind(1, c.id)
                while try s.step() {
                    let key = s.text(0)!
                    records[key, default: AuditedRecord(collection: c.name, type: c.type, key: key)].causalLength = s.int(1)
                }
                s.reset()
            }
            if hasPlacements {
                let s = try sql.prepare("SELECT key, pin FROM locus_placement WHERE coll = ?")
                s.bind(1, c.id)
                while try s.step() {
                    let key = s.text(0)!
                    records[key, default: AuditedRecord(collection: c.name, type: c.type, key: key)].placement =
                        try? SiteSet(encoded: s.text(1)!)
                }
                s.reset()
            }
            for key in records.keys.sorted() { try body(records[key]!) }
        }
    }

    /// Index entries whose document key has no row: (collection, key, index name).
    public func orphanIndexEntries() throws -> [(collection: String, key: String, index: String)] {
        var out: [(String, String, String)] = []
        for c in collections {
            for ix in indexesByCollection[c.name] ?? [] {
                let s = try sql.prepare("SELECT DISTINCT i.key FROM \(ix.table) i WHERE NOT EXISTS (SELECT 1 FROM \(c.table) r WHERE r.key = i.key)")
                while try s.step() { out.append((c.name, s.text(0)!, ix.name)) }
                s.reset()
            }
        }
        return out
    }
}
