// Eviction, the sovereignty half that removes: a record this PoP may no longer hold loses its
// row, index entries and clocks in the transaction that decided it, and is journaled by
// digest; the commit then erases it physically (secure_delete, a truncating WAL checkpoint,
// and the unallocated space of the file zeroed in place).
// The journal lets a crash resume the erasure and keeps later syncs from resurrecting what
// was evicted; move notices from peers evict here what they evicted there.

import LocusErrors
import LocusValues

extension Storage {
    /// Removes every trace of a record this PoP may no longer hold (row, index entries,
    /// clocks, placement) and journals the eviction under the record's digest, with the life
    /// and newest stamp it had, so that no older state of it is ever accepted again.
    func evict(_ c: CollectionInfo, key: String, cl: Int, newest: UInt64) throws {
        if let old = try rawStored(c, key: key) {
            try purgeRow(c, old: old, key: key)
        }
        let d = try sql.prepare("DELETE FROM locus_clock WHERE coll = ? AND key = ?")
        d.bind(1, c.id)
        d.bind(2, key)
        try d.run()
        try placements.forget(coll: c.id, key: key)
        let digest = digest(collection: c.name, key: key)
        try stream.erase(collection: c.id, key: key, digest: digest)
        try journalEviction(digest: digest, coll: c.id, cl: cl, newest: newest)
        try audit("evict", peer: nil, collection: c.name, count: 1, detail: digest)
        if c.type != .edge { try rejudgeEdges(touching: "\(c.name)/\(key)") }
    }

    /// Journals an eviction; the commit then erases its bytes.
    func journalEviction(digest: String, coll: Int, cl: Int, newest: UInt64) throws {
        try evictions.record(digest: digest, coll: coll, cl: cl, newest: newest, at: now())
        evictions.erasurePending = true
    }

    /// The eviction journaled for a record, if any: the life and newest stamp it had.
    func eviction(collection: String, key: String) throws -> (cl: Int, hlc: UInt64)? {
        guard try evictions.mayHoldEntries(inTransaction: inTransaction) else { return nil }
        return try evictions.entry(digest: digest(collection: collection, key: key))
    }

    func forgetEviction(collection: String, key: String) throws {
        try evictions.forget(digest: digest(collection: collection, key: key))
    }

    /// A peer's notice that the record named by `digest` has moved away from this PoP.
    func applyMoveNotice(_ c: CollectionInfo, digest: String, cl: Int, newest: UInt64, peer: String? = nil) throws
        -> Bool
    {
        guard let key = try placements.key(coll: c.id, digest: digest) else {
            // Not held here: remember it anyway, so that a lagging peer cannot bring it back,
            // and raise what an earlier move remembered to this newer state. (An eviction by
            // policy, cl 0, stays as it is: a widening lets the same state back in.)
            if let known = try evictions.entry(digest: digest) {
                if known.cl > 0, cl > known.cl || (cl == known.cl && newest > known.hlc) {
                    try evictions.raise(digest: digest, cl: cl, newest: newest)
                }
            } else {
                try journalEviction(digest: digest, coll: c.id, cl: cl, newest: newest)
            }
            try rejudgeEdgesWaiting(for: digest)
            return false
        }
        guard let m = try clockRow(coll: c.id, key: key, attr: ""), m.cl <= cl else { return false }
        // The sender judged the state it had. A state here with writes newer than that (a
        // concurrent re-pin here, say) is not what it judged: it stays, judged by its own
        // content, until the merge of both decides where the record lives.
        let local = try newestStamp(coll: c.id, key: key)
        if m.cl == cl && local > newest { return false }
        try reportDrop(c, key: key, moving: m, peer: peer, to: nil)
        try evict(c, key: key, cl: cl, newest: max(newest, local))
        return true
    }

    /// Completes journaled evictions physically: statistics rebuilt from what remains, the
    /// write-ahead log folded into the file and truncated, and the file's unallocated space
    /// erased in place (`FreeSpaceScrubber`). Runs after the evicting transaction commits, and
    /// again at open after a crash. Returns false when another connection kept it from
    /// completing (a reader's snapshot, a writer); the eviction then stays pending.
    @discardableResult
    public func completeEvictions() throws -> Bool {
        guard replica != nil, !isReader, !inTransaction else { return false }
        let pending = try evictions.countUnerased()
        evictions.erasurePending = false
        guard pending > 0 else { return true }
        if try sql.tableExists("sqlite_stat1") { try sql.execute("ANALYZE") }
        guard try eraseFreeSpace() else {
            evictions.erasurePending = true
            return false
        }
        _ = try withoutWaiting(checkpoint)
        return true
    }

    /// Erases every byte of the file that no live row owns, and marks the journaled evictions
    /// erased in the same transaction; false when another connection kept it from starting.
    private func eraseFreeSpace() throws -> Bool {
        if path == ":memory:" {
            // No file: rebuilding every page is the only way to reach what SQLite left behind.
            try sql.execute("VACUUM")
            try evictions.markErased()
            return true
        }
        // The file must be the whole database, and stay so: the log empty, the write lock held.
        guard try withoutWaiting(checkpoint) else { return false }
        do {
            try withoutWaiting { _ = try transaction.begin(write: true, reader: false) }
        } catch let error as LocusError where error.code == .lockTimeout {
            return false
        }
        do {
            guard sql.logIsEmpty else {
                transaction.rollback()
                return false
            }
            // This connection's cached pages are about to be stale copies: none may be written
            // back. The journal's rows are then read from the erased file, and their commit
            // moves the log's header, so every other connection drops its cache too.
            sql.releaseCachedPages()
            var scrubber = try FreeSpaceScrubber(connection: sql)
            _ = try scrubber.scrub(roots: try sql.rootPages())
            sql.releaseCachedPages()
            try evictions.markErased()
            try transaction.commit()
        } catch {
            transaction.rollback()
            throw error
        }
        sql.releaseCachedPages()
        return true
    }

    /// `PRAGMA wal_checkpoint(TRUNCATE)`; true when it completed.
    func checkpoint() throws -> Bool {
        guard path != ":memory:" else { return true }
        let s = try sql.prepare("PRAGMA wal_checkpoint(TRUNCATE)")
        defer { s.reset() }
        guard try s.step() else { return false }
        return s.int(0) == 0
    }

    /// Runs `body` without waiting for another connection's lock: a reader's snapshot would
    /// block a checkpoint, and a writer the write lock, for the whole busy timeout. The
    /// eviction stays pending instead and the next commit or open retries.
    private func withoutWaiting<R>(_ body: () throws -> R) throws -> R {
        let wait = sql.busyTimeout
        sql.setBusyTimeout(milliseconds: 0)
        defer { sql.setBusyTimeout(milliseconds: wait) }
        return try body()
    }

    /// Evictions journaled but not yet physically complete, with the time they started.
    public func pendingEvictions() throws -> [(digest: String, since: Double)] {
        guard replica != nil else { return [] }
        return try evictions.unerased()
    }
}
