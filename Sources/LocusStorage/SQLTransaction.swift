// The SQLite transaction of one connection: how it begins (a writer takes the write lock up
// front, a reader holds a snapshot), how it ends, and the savepoint each statement of a long
// transaction runs in, with the bytes written counted against the transaction's limit.
// Storage composes it and tells its other parts (catalog, caches, change stream) what happened.

import LocusErrors

/// One connection's transaction and statement savepoints.
final class SQLTransaction {
    private let sql: SQLiteConnection
    /// Whether a transaction is open.
    private(set) var isOpen = false
    /// A reader connection's snapshot (its transactions have no BEGIN).
    private var snapshot = ReaderSnapshot()
    /// The document bytes the open transaction wrote, against its limit.
    var size = TransactionSize()

    init(sql: SQLiteConnection) { self.sql = sql }

    /// Whether the open transaction reads through a reader's snapshot.
    var holdsSnapshot: Bool { snapshot.isOpen }

    /// Begins a transaction: a reader opens a snapshot and returns the schema version it sees;
    /// a writer takes the write lock up front (`write`) or begins a deferred one, and returns nil.
    func begin(write: Bool, reader: Bool) throws -> Int? {
        if write && reader { throw LocusError(.readOnly) }
        var version: Int? = nil
        if reader {
            version = try snapshot.begin(sql)
        } else {
            try sql.execute(write ? .beginImmediate : .begin)
        }
        isOpen = true
        size.beginTransaction()
        return version
    }

    /// Commits. Until this succeeds, the caller's state in memory is still undone by a rollback.
    func commit() throws {
        // A statement left stepping would keep its read snapshot open past the transaction.
        sql.resetAll()
        if !snapshot.end() { try sql.execute(.commit) }
        isOpen = false
    }

    /// Rolls back whatever the transaction did; never fails (a connection whose transaction
    /// SQLite already ended has nothing to roll back).
    func rollback() {
        sql.resetAll()
        if !snapshot.end() { try? sql.execute(.rollback) }
        isOpen = false
    }

    /// Ends a reader's snapshot taken by `begin` whose set-up then failed.
    func abandonSnapshot() {
        _ = snapshot.end()
        isOpen = false
    }

    // MARK: - Statements

    /// Marks the start of one statement inside the open transaction.
    func beginStatement() throws {
        try sql.execute(.savepoint)
        size.beginStatement()
    }

    /// Keeps what the statement wrote.
    func endStatement() throws {
        try sql.execute(.releaseSavepoint)
    }

    /// Undoes everything since `beginStatement`, leaving the transaction open.
    func rollbackStatement() {
        sql.resetAll()
        try? sql.execute(.rollbackToSavepoint)
        try? sql.execute(.releaseSavepoint)
        size.rollbackStatement()
    }
}
