// The eviction journal (`locus_evicted`): each record evicted from this PoP, named only by its
// digest, with the life (causal length) and newest stamp it had, and whether its bytes have
// been erased from the file yet. It keeps later syncs from bringing back an older state of
// what was evicted, and lets a crash resume the erasure.

final class EvictionJournal {
    private let sql: SQLiteConnection
    /// Set when an eviction was journaled in the open transaction: its commit completes it
    /// physically.
    var erasurePending = false
    /// Whether the journal is empty, as learnt in the open transaction (nil: not asked, or no
    /// transaction). Only this connection can change it while the transaction lasts, so a
    /// write at a PoP that never evicted looks nothing up by digest.
    private var emptyInTransaction: Bool?

    init(sql: SQLiteConnection) { self.sql = sql }

    static let schema = """
        CREATE TABLE IF NOT EXISTS locus_evicted(
            digest TEXT PRIMARY KEY NOT NULL, coll INTEGER NOT NULL, cl INTEGER NOT NULL,
            hlc INTEGER NOT NULL, since REAL NOT NULL, erased INTEGER NOT NULL) WITHOUT ROWID;
        """

    /// Journals an eviction, or renews one (keeping the greater life and stamp); its erasure is
    /// pending from `at`.
    func record(digest: String, coll: Int, cl: Int, newest: UInt64, at: Double) throws {
        emptyInTransaction = false
        let j = try sql.prepare(
            """
            INSERT INTO locus_evicted(digest, coll, cl, hlc, since, erased) VALUES (?, ?, ?, ?, ?, 0)
            ON CONFLICT(digest) DO UPDATE SET cl = max(cl, excluded.cl), hlc = max(hlc, excluded.hlc),
                since = excluded.since, erased = 0
            """)
        j.bind(1, digest)
        j.bind(2, coll)
        j.bind(3, cl)
        j.bind(4, Int(Int64(bitPattern: newest)))
        j.bind(5, at)
        try j.run()
    }

    /// False when the journal holds no eviction at all; `inTransaction` says whether the
    /// answer may be kept until `transactionEnded`.
    func mayHoldEntries(inTransaction: Bool) throws -> Bool {
        if inTransaction, let empty = emptyInTransaction { return !empty }
        let q = try sql.prepare("SELECT EXISTS (SELECT 1 FROM locus_evicted)")
        defer { q.reset() }
        let empty = try q.step() && q.int(0) == 0
        if inTransaction { emptyInTransaction = empty }
        return !empty
    }

    /// Forgets what `mayHoldEntries` learnt: another connection may journal between transactions.
    func transactionEnded() {
        emptyInTransaction = nil
    }

    /// The life and newest stamp journaled for a record, if it was evicted.
    func entry(digest: String) throws -> (cl: Int, hlc: UInt64)? {
        let s = try sql.prepare("SELECT cl, hlc FROM locus_evicted WHERE digest = ?")
        defer { s.reset() }
        s.bind(1, digest)
        guard try s.step() else { return nil }
        return (s.int(0), UInt64(bitPattern: Int64(s.int(1))))
    }

    /// Raises what the journal remembers of a record to a newer life and stamp.
    func raise(digest: String, cl: Int, newest: UInt64) throws {
        let u = try sql.prepare("UPDATE locus_evicted SET cl = max(cl, ?), hlc = max(hlc, ?) WHERE digest = ?")
        u.bind(1, cl)
        u.bind(2, Int(Int64(bitPattern: newest)))
        u.bind(3, digest)
        try u.run()
    }

    /// Forgets a record's eviction (it may be held here again).
    func forget(digest: String) throws {
        let s = try sql.prepare("DELETE FROM locus_evicted WHERE digest = ?")
        s.bind(1, digest)
        try s.run()
    }

    /// How many evictions the policy itself decided (life 0, which blocks no later state).
    func countByPolicy() throws -> Int {
        try count("cl = 0")
    }

    /// Forgets the erased evictions the policy decided, which a new policy may allow again.
    func forgetErasedByPolicy() throws {
        try sql.execute("DELETE FROM locus_evicted WHERE cl = 0 AND erased = 1")
    }

    /// How many evictions still wait for their bytes to be erased.
    func countUnerased() throws -> Int {
        try count("erased = 0")
    }

    /// Marks every pending erasure done.
    func markErased() throws {
        try sql.execute("UPDATE locus_evicted SET erased = 1 WHERE erased = 0")
    }

    /// The evictions whose bytes are not erased yet, oldest first, with the time each started.
    func unerased() throws -> [(digest: String, since: Double)] {
        guard try sql.tableExists("locus_evicted") else { return [] }
        let s = try sql.prepare("SELECT digest, since FROM locus_evicted WHERE erased = 0 ORDER BY since")
        defer { s.reset() }
        var out: [(String, Double)] = []
        while try s.step() { out.append((s.text(0)!, s.double(1))) }
        return out
    }

    private func count(_ condition: String) throws -> Int {
        let q = try sql.prepare("SELECT count(*) FROM locus_evicted WHERE \(condition)")
        defer { q.reset() }
        _ = try q.step()
        return q.int(0)
    }
}
