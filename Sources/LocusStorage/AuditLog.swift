// A PoP's audit log (`locus_audit`): what its placement enforcement did (evictions, records
// dropped or refused from peers, pages sent under a policy, policy changes), oldest first.
// Entries name collections, PoPs, counts and digests, never keys or values of records.

final class AuditLog {
    private let sql: SQLiteConnection

    init(sql: SQLiteConnection) { self.sql = sql }

    static let schema = """
        CREATE TABLE IF NOT EXISTS locus_audit(
            id INTEGER PRIMARY KEY, at REAL NOT NULL, event TEXT NOT NULL, peer TEXT, collection TEXT,
            count INTEGER NOT NULL, detail TEXT);
        """

    /// One entry of the log.
    typealias Entry = (at: Double, event: String, peer: String?, collection: String?, count: Int, detail: String?)

    /// Appends an entry.
    func append(_ entry: Entry) throws {
        let s = try sql.prepare(
            "INSERT INTO locus_audit(at, event, peer, collection, count, detail) VALUES (?, ?, ?, ?, ?, ?)")
        s.bind(1, entry.at)
        s.bind(2, entry.event)
        if let peer = entry.peer { s.bind(3, peer) } else { s.bindNull(3) }
        if let collection = entry.collection { s.bind(4, collection) } else { s.bindNull(4) }
        s.bind(5, entry.count)
        if let detail = entry.detail { s.bind(6, detail) } else { s.bindNull(6) }
        try s.run()
    }

    /// Every entry, oldest first (none before the PoP's tables exist).
    func entries() throws -> [Entry] {
        guard try sql.tableExists("locus_audit") else { return [] }
        let s = try sql.prepare("SELECT at, event, peer, collection, count, detail FROM locus_audit ORDER BY id")
        defer { s.reset() }
        var out: [Entry] = []
        while try s.step() { out.append((s.double(0), s.text(1)!, s.text(2), s.text(3), s.int(4), s.text(5))) }
        return out
    }
}
