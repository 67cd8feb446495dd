// Stream transactions by id (`/_api/transaction`): each holds a connection of its own and,
// when it writes, the database file's write lock until it is committed, aborted, or idle
// past its timeout, when it is aborted and leaves nothing behind.

import Locus
import LocusValues
import Synchronization

final class TransactionStore: Sendable {
    struct Entry: Sendable {
        var database: String
        var user: String
        var transaction: StreamTransaction
        var idleTimeout: Double
        var lastUsed: Double
    }

    /// The status ArangoDB reports for a transaction that is no longer running.
    enum Ended: String, Sendable { case committed, aborted }

    private let open = Mutex<[String: Entry]>([:])
    /// How recently ended transactions ended, so that status and a repeated commit answer.
    private let ended = Mutex<[String: Ended]>([:])
    private let nextId = Atomic<Int>(1)
    /// A transaction unused this long is aborted.
    static let defaultIdleTimeout = 60.0

    func begin(database: String, user: String, transaction: StreamTransaction, idleTimeout: Double, now: Double)
        -> String
    {
        let id = String(nextId.wrappingAdd(1, ordering: .relaxed).oldValue)
        open.withLock {
            $0[id] = Entry(
                database: database, user: user, transaction: transaction, idleTimeout: idleTimeout, lastUsed: now)
        }
        return id
    }

    /// The running transaction `id` in `database`; 1655 when there is none.
    func get(_ id: String, database: String, now: Double) throws -> StreamTransaction {
        try open.withLock { all in
            guard var e = all[id], e.database == database else { throw LocusError(.transactionNotFound, id) }
            e.lastUsed = now
            all[id] = e
            return e.transaction
        }
    }

    /// The status of `id`: running, committed or aborted.
    func status(_ id: String, database: String) throws -> String {
        if open.withLock({ $0[id]?.database == database }) { return "running" }
        if let e = ended.withLock({ $0[id] }) { return e.rawValue }
        throw LocusError(.transactionNotFound, id)
    }

    /// Ends `id` by committing or aborting it.
    func end(_ id: String, database: String, commit: Bool) throws -> String {
        guard
            let entry = open.withLock({ all -> Entry? in
                guard let e = all[id], e.database == database else { return nil }
                return all.removeValue(forKey: id)
            })
        else {
            if let e = ended.withLock({ $0[id] }) {
                if (e == .committed) == commit { return e.rawValue }
                throw LocusError(.transactionAborted, "transaction \(id) was already \(e.rawValue)")
            }
            throw LocusError(.transactionNotFound, id)
        }
        if commit {
            do { try entry.transaction.commit() } catch {
                remember(id, .aborted)
                throw error
            }
            remember(id, .committed)
            return Ended.committed.rawValue
        }
        entry.transaction.abort()
        remember(id, .aborted)
        return Ended.aborted.rawValue
    }

    private func remember(_ id: String, _ how: Ended) {
        ended.withLock { e in
            if e.count > 10_000 { e.removeAll() }
            e[id] = how
        }
    }

    /// The running transactions of `database`.
    func running(database: String) -> [String] {
        open.withLock {
            $0.filter { $0.value.database == database }.map(\.key).sorted { (Int($0) ?? 0) < (Int($1) ?? 0) }
        }
    }

    /// Aborts transactions idle past their timeout.
    func expire(now: Double) {
        let stale = open.withLock { all -> [(String, Entry)] in
            let old = all.filter { now - $0.value.lastUsed > $0.value.idleTimeout }
            for (id, _) in old { all.removeValue(forKey: id) }
            return Array(old)
        }
        for (id, e) in stale {
            e.transaction.abort()
            remember(id, .aborted)
        }
    }

    /// Aborts every running transaction (shutdown).
    func abortAll() {
        let all = open.withLock { all -> [Entry] in
            defer { all.removeAll() }
            return Array(all.values)
        }
        for e in all { e.transaction.abort() }
    }
}
