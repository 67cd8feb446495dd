// What a compliance audit reads from a PoP's file, below the engine's own bookkeeping: every
// record name found in a collection table, the clock table (change log and tombstones) or
// the placement table, index entries that point at no row, and the raw bytes of the
// database file and its WAL, free pages included. The audit itself (what is allowed where)
// is the caller's; this only reports what is there. Also the PoP's audit log: transfers,
// evictions, writes that may be lost when a record leaves, and policy changes.

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
                    records[key, default: AuditedRecord(collection: c.name, type: c.type, key: key)].causalLength =
                        s.int(1)
                }
                s.reset()
            }
            if hasPlacements {
                for (key, pin) in try placements.placements(coll: c.id) {
                    records[key, default: AuditedRecord(collection: c.name, type: c.type, key: key)].placement = pin
                }
            }
            for key in records.keys.sorted() { try body(records[key]!) }
        }
    }

    /// Index entries (a view's among them, named `view:NAME`) whose document key has no row:
    /// (collection, key, index name).
    public func orphanIndexEntries() throws -> [(collection: String, key: String, index: String)] {
        var out: [(String, String, String)] = []
        for c in collections {
            for ix in catalog.indexes(of: c.name) {
                let s = try sql.prepare(
                    "SELECT DISTINCT i.key FROM \(ix.table) i WHERE NOT EXISTS (SELECT 1 FROM \(c.table) r WHERE r.key = i.key)"
                )
                while try s.step() { out.append((c.name, s.text(0)!, ix.name)) }
                s.reset()
            }
            // A view's entries are index entries of the collections it links.
            for (view, _) in try viewLinks(of: c.name) {
                let s = try sql.prepare(
                    "SELECT DISTINCT v.key FROM \(view.table) v WHERE v.coll = ? AND NOT EXISTS (SELECT 1 FROM \(c.table) r WHERE r.key = v.key)"
                )
                s.bind(1, c.id)
                while try s.step() { out.append((c.name, s.text(0)!, "view:" + view.name)) }
                s.reset()
            }
        }
        return out
    }

    // MARK: - The audit log

    /// Appends to the PoP's audit log. Entries name collections, PoPs, counts and digests,
    /// never keys or values of records.
    func audit(_ event: String, peer: String?, collection: String?, count: Int, detail: String?) throws {
        try auditTrail.append((now(), event, peer, collection, count, detail))
    }

    /// Records in the audit log that a page of the feed went to PoP `peer` (under a policy).
    public func noteTransfer(_ page: ChangeFeedPage, to peer: String) throws {
        guard policy.gate != nil, !page.changes.isEmpty || page.withheld > 0 else { return }
        try transaction(write: true) {
            try audit(
                "send", peer: peer, collection: nil, count: page.changes.count,
                detail: page.withheld > 0 ? "withheld \(page.withheld)" : nil)
        }
    }

    /// The audit log, oldest first.
    public func auditLog() throws -> [(
        at: Double, event: String, peer: String?, collection: String?, count: Int, detail: String?
    )] {
        guard replica != nil else { return [] }
        return try auditTrail.entries()
    }

    /// Before a record whose latest change was made here leaves this PoP: the attributes
    /// written here may not have reached where it now lives, and cannot follow it there (they
    /// would carry this jurisdiction's data out of it), so the audit log names them (never
    /// their values) as writes that may be lost. A record whose latest change came from
    /// elsewhere left with what that PoP had seen.
    func reportDrop(_ c: CollectionInfo, key: String, moving marker: ClockRow, peer: String?, to pin: SiteSet?) throws {
        guard let pop = replica?.pop else { return }
        let stamps = try attributeClocks(coll: c.id, key: key)
        let newest = stamps.values.reduce(marker.stamp) { max($0, $1) }
        guard newest.site == pop else { return }
        let own = stamps.filter { $0.value.site == pop }.keys.sorted()
        guard !own.isEmpty else { return }
        try audit(
            "drop", peer: peer, collection: c.name, count: own.count,
            detail: "writes made here to \(own.joined(separator: ", ")) may be lost: the record now lives "
                + (pin.map { "at \($0)" } ?? "elsewhere") + " (digest \(digest(collection: c.name, key: key)))")
    }
}
