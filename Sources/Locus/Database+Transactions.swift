// Transactions that span several queries: a write session on the database's writer (one
// transaction, several statements, each undone alone when it fails), and stream
// transactions (ArangoDB's `/_api/transaction/begin`), which hold a connection of their own
// and the file's write lock from begin to commit or abort.

import LocusErrors
import LocusPlanner
import LocusStorage
import LocusSyntax
import LocusValues
import Synchronization

/// Queries run inside one open transaction; each statement either happens whole or, when it
/// fails, leaves no trace while the transaction goes on.
///
/// ```swift
/// try db.withWriteTransaction { tx in
///     try tx.query("INSERT {_key: 'a'} INTO users")
///     _ = try? tx.query("INSERT {_key: 'a'} INTO users")  // 1210, undone alone
/// }
/// ```
public final class TransactionSession {
    let database: Database
    let storage: Storage

    init(database: Database, storage: Storage) {
        self.database = database
        self.storage = storage
    }

    /// Runs one statement inside the transaction.
    @discardableResult
    public func query(_ text: String, bindVars: [String: Value] = [:], options: QueryOptions = QueryOptions()) throws
        -> QueryResult
    {
        try database.runStatement(text, bindVars: bindVars, options: options, storage: storage)
    }
}

extension Database {
    /// Runs `body` in one write transaction on the writer connection: committed when `body`
    /// returns, rolled back when it throws.
    public func withWriteTransaction<R: Sendable>(_ body: (TransactionSession) throws -> R) throws -> R {
        try store.withLock { storage in
            try storage.transaction(write: true) {
                try body(TransactionSession(database: self, storage: storage))
            }
        }
    }

    /// One statement inside an open transaction, bracketed so that its failure undoes it alone.
    func runStatement(_ text: String, bindVars: [String: Value], options: QueryOptions, storage: Storage) throws
        -> QueryResult
    {
        let (keys, ast, cached, writes) = try prepare(text, bindVars: bindVars, options: options)
        var plain = options
        plain.rollback = false
        try storage.beginStatement()
        do {
            let result = try run(
                keys, ast, cached, writes: writes, bindVars: bindVars, options: plain, storage: storage)
            try storage.endStatement()
            return result
        } catch {
            storage.rollbackStatement()
            throw error
        }
    }

    /// Begins a stream transaction on a connection of its own. With `write`, it takes the
    /// file's write lock now, waiting at most `lockTimeout` seconds for another writer
    /// (error 18 past that); without, it reads one snapshot.
    public func beginTransaction(write: Bool, lockTimeout: Double = 10, maxTransactionSize: Int = 0) throws
        -> StreamTransaction
    {
        guard path != ":memory:" else {
            throw LocusError(.badParameter, "stream transactions need a database file, not :memory:")
        }
        let storage = try Database.open(path: path, reader: false)
        storage.setLockTimeout(seconds: lockTimeout)
        storage.transactionSizeLimit = max(0, maxTransactionSize)
        try storage.begin(write: write)
        return StreamTransaction(database: self, storage: storage)
    }
}

/// A transaction that outlives one call: queries run in it see its own writes, and nothing
/// it wrote is visible to others until `commit`. `abort` (or dropping it) leaves nothing.
public final class StreamTransaction: Sendable {
    let database: Database
    /// The transaction's own connection; nil once committed or aborted.
    let connection: Mutex<Storage?>

    init(database: Database, storage: Storage) {
        self.database = database
        connection = Mutex(storage)
    }

    deinit { abort() }

    /// True until `commit` or `abort`.
    public var isOpen: Bool { connection.withLock { $0 != nil } }

    /// Runs one statement in the transaction; a failing statement is undone alone.
    @discardableResult
    public func query(_ text: String, bindVars: [String: Value] = [:], options: QueryOptions = QueryOptions()) throws
        -> QueryResult
    {
        try connection.withLock { storage in
            guard let storage else { throw LocusError(.transactionAborted, "the transaction is no longer running") }
            return try database.runStatement(text, bindVars: bindVars, options: options, storage: storage)
        }
    }

    /// Runs `body` with a session on the transaction (several statements, one lock hold).
    public func withSession<R: Sendable>(_ body: (TransactionSession) throws -> R) throws -> R {
        try connection.withLock { storage in
            guard let storage else { throw LocusError(.transactionAborted, "the transaction is no longer running") }
            return try body(TransactionSession(database: database, storage: storage))
        }
    }

    /// Makes the transaction's writes durable and visible.
    public func commit() throws {
        try connection.withLock { storage in
            guard let s = storage else { throw LocusError(.transactionAborted, "the transaction is no longer running") }
            storage = nil
            do { try s.commit() } catch {
                s.rollback()
                throw error
            }
        }
    }

    /// Rolls the transaction back; nothing it wrote remains.
    public func abort() {
        connection.withLock { storage in
            storage?.rollback()
            storage = nil
        }
    }
}

extension Database {
    /// The entries of one namespace of the database's system table (not a collection:
    /// queries, replication and export never see it).
    public func systemEntries(_ namespace: String) throws -> [(key: String, value: String)] {
        try store.withLock { try $0.systemEntries(namespace) }
    }

    /// Sets, or with nil removes, one system entry.
    public func setSystemEntry(_ namespace: String, key: String, value: String?) throws {
        try store.withLock { try $0.setSystemEntry(namespace, key: key, value: value) }
    }

    /// Whether a query writes (INSERT, UPDATE, REPLACE, REMOVE, UPSERT); throws its parse error.
    public static func queryWrites(_ text: String) throws -> Bool {
        try Parser.parse(text).containsWrites
    }

    /// Whether a query writes, as `queryWrites`, answered from memory for a text seen lately:
    /// a server asks before every query it runs, and parsing again cost as much as running a
    /// cached plan.
    public func writes(query text: String) throws -> Bool {
        if let known = writingTexts.withLock({ $0[text] }) { return known }
        let writes = try Database.queryWrites(text)
        if text.utf8.count <= PlanCache.largestKey {
            writingTexts.withLock { known in
                if known.count >= PlanCache.capacity { known.removeAll(keepingCapacity: true) }
                known[text] = writes
            }
        }
        return writes
    }
}

extension Database {
    /// What `POST /_api/query` reports of a query without running it: the collections it names
    /// (sorted), the bind parameters it declares (`@@c` as `"@c"`), and its syntax tree in
    /// ArangoDB's AST JSON shape. Throws the parse error (1501, with line and column) of an
    /// invalid query.
    ///
    /// ```swift
    /// let p = try Database.parse("FOR u IN users FILTER u.age > @min RETURN u")
    /// // p.collections == ["users"], p.bindVars == ["min"]
    /// ```
    public static func parse(_ text: String) throws -> (collections: [String], bindVars: [String], ast: Value) {
        let tree = SyntaxTreeJSON(try Parser.parse(text))
        return (tree.collections, tree.bindParameters, tree.ast)
    }
}
