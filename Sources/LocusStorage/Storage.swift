// The multi-model store on SQLite: one file per database in WAL mode. Storage composes the
// parts that each own one job (the catalog, the connection's transaction, table rows, index
// entries, the read cache, placements, the eviction journal, the audit log, the change
// stream) and runs each write and read through them in order. It knows documents and keys,
// not the query language: callers get scans, lookups, index ranges and writes.

import LocusErrors
import LocusValues

/// A Locus database file.
///
/// Not safe for concurrent use: the engine owns each Storage behind one lock, which is why the
/// type is marked `@unchecked Sendable` (it may move between tasks, never be shared by them).
public final class Storage: @unchecked Sendable {
    public let path: String
    let sql: SQLiteConnection
    /// The collections and indexes, as this connection last read them.
    let catalog: Catalog
    /// The ticks of revisions, generated keys and (at a PoP) change stamps.
    var revisions = RevisionClock()
    /// The physical clock; simulations replace it.
    public var wallClock: any WallClock = SystemClock()
    /// Set when this database is a PoP of a fabric: every write is then captured as changes.
    public internal(set) var replica: ReplicaIdentity?
    var replicaSequence = 0
    /// True while merging changes from another PoP: their clocks are kept, not re-stamped.
    var applyingRemote = false
    /// PoP names as the clock table numbers them.
    let sites: SiteNumbers
    /// The document, edge and key-value rows, with inserts queued for multi-row INSERTs.
    let rows: DocumentRows
    /// At a PoP, the clocks and change-stream entries of queued document rows.
    var capturedInserts = CapturedInsertBatch()
    /// The secondary index entries of those rows.
    let indexes: IndexMaintenance
    /// The placement policy this PoP enforces.
    var policy = PolicyInForce()
    /// Compiles a placement policy (JSON text, with the fabric description) into the gate
    /// storage enforces; the policy module provides it, since storage knows no query language.
    public var policyCompiler: PolicyCompiler? { policy.compiler }
    /// Where each record held here may be stored, and edges waiting on news of an endpoint.
    let placements: PlacementRecords
    /// What this PoP evicted, by digest, and whether its bytes are erased yet.
    let evictions: EvictionJournal
    /// What placement enforcement did here.
    let auditTrail: AuditLog
    /// The PoP's change stream (kept only when `replica` is set).
    let stream: ChangeStream
    /// How many change-stream entries a PoP keeps (about; pruning goes in steps).
    public var streamRetention: Int {
        get { stream.retention }
        set { stream.retention = newValue }
    }
    /// The connection's transaction and statement savepoints.
    let transaction: SQLTransaction
    /// The most document bytes one transaction may write (ArangoDB's `maxTransactionSize`);
    /// 0 for no limit.
    public var transactionSizeLimit: Int {
        get { transaction.size.limit }
        set { transaction.size.limit = newValue }
    }
    /// Called after a commit that appended to the change stream (it wakes subscribers).
    public var onStreamCommit: (@Sendable () -> Void)? {
        get { stream.onCommit }
        set { stream.onCommit = newValue }
    }
    /// Whether a transaction is open on this connection.
    public var inTransaction: Bool { transaction.isOpen }
    /// Neighbourhoods, key answers and documents kept across read transactions while the file
    /// is unchanged.
    var readCache = ReadCache()
    /// The views, as this connection last read them.
    var viewRegistry = ViewRegistry()
    /// Whether the read cache may answer now: in a read transaction that has not written
    /// (should anything write in one, the cache is dropped rather than trusted).
    var readCacheUsable: Bool { readCache.usable(changes: sql.totalChanges) }

    /// Opens or creates the database at `path` (`:memory:` for a private in-memory one).
    /// Opens or creates the database. A `reader` connection only reads: it neither creates
    /// the schema nor writes, and it follows schema changes made by other connections.
    public init(path: String, reader: Bool = false) throws {
        self.path = path
        self.isReader = reader
        sql = try SQLiteConnection(path: path)
        stream = ChangeStream(sql: sql)
        sites = SiteNumbers(sql: sql)
        evictions = EvictionJournal(sql: sql)
        placements = PlacementRecords(sql: sql)
        auditTrail = AuditLog(sql: sql)
        catalog = Catalog(sql: sql)
        transaction = SQLTransaction(sql: sql)
        rows = DocumentRows(sql: sql)
        indexes = IndexMaintenance(sql: sql, catalog: catalog)
        try sql.execute(
            """
            PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;
            PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824;
            """)
        if reader {
            try catalog.load()
            try migrateIndexKeys()
            try loadReplica()
            return
        }
        if path != ":memory:" {
            try sql.execute("PRAGMA journal_mode=WAL")
        }
        try catalog.createTables()
        try catalog.load()
        try migrateIndexKeys()
        try loadReplica()
    }

    /// True for connections that only read.
    public let isReader: Bool
    /// The state of the catalog as every connection to the file sees it, read when a
    /// transaction begins: SQLite's schema version, which collection, index and graph
    /// definitions all change. Plans made under one value stay valid while it holds.
    public var catalogVersion: Int64 { catalog.version }

    /// Reads the catalog version; reloads the catalog when another connection changed the
    /// schema since it was read.
    func refreshCatalogIfChanged() throws {
        let s = try sql.prepare(.schemaVersion)
        defer { s.reset() }
        guard try s.step() else { return }
        try catalog.adopt(schemaVersion: s.int(0), shared: path != ":memory:")
    }

    // MARK: - Transactions

    /// Starts a transaction; writers take the write lock up front.
    public func begin(write: Bool) throws {
        if let version = try transaction.begin(write: write, reader: isReader) {
            do {
                try catalog.adopt(schemaVersion: version, shared: path != ":memory:")
            } catch {
                transaction.abandonSnapshot()
                throw error
            }
        }
        // The catalog must describe this transaction's snapshot, whoever changed the schema.
        // (A private in-memory database has no other connection to have changed anything, but
        // its catalog version still tells plans apart.)
        do {
            if !transaction.holdsSnapshot { try refreshCatalogIfChanged() }
            if path != ":memory:" && write && replica != nil { try refreshFeedPosition() }
            // A write must never be hidden from its own transaction by what was cached before it.
            if write {
                readCache.clear()
            } else if let version = sql.dataVersion {
                readCache.beginRead(dataVersion: version, changes: sql.totalChanges)
            }
        } catch {
            rollback()
            throw error
        }
    }

    public func commit() throws {
        try flushPendingInserts()
        readCache.endTransaction()
        // Until COMMIT succeeds, what the transaction changed in memory (catalog, policy) is
        // still undone by a rollback.
        try transaction.commit()
        catalog.committed()
        policy.changedInTransaction = false
        stream.committed()
        evictions.transactionEnded()
        // The transaction is durable: a failure to erase evicted records physically (a disk
        // error in the checkpoint or the erasure) must not report it as failed, nor undo its state
        // in memory. The eviction stays journaled; the next commit or open completes it.
        if evictions.erasurePending {
            do { try completeEvictions() } catch { evictions.erasurePending = true }
        }
    }

    public func rollback() {
        discardPendingInserts()
        readCache.endTransaction()
        transaction.rollback()
        evictions.erasurePending = false
        evictions.transactionEnded()
        stream.rolledBack()
        // A rolled-back DDL statement may have changed what we cached.
        catalog.undone(endingTransaction: true)
        viewRegistry.invalidate()
        // So may a policy installed in the transaction (set here or received from a peer).
        if policy.changedInTransaction {
            policy.changedInTransaction = false
            try? installPolicy()
        }
        // PoP numbers handed out in the rolled-back transaction are gone with it.
        sites.forget()
    }

    /// Sets this connection up for one long sequential read (a stream cursor): each page is
    /// read once, so it keeps neither a memory map of the file nor a large page cache, and
    /// its memory stays small however much it reads.
    public func useSequentialReads() throws {
        try sql.execute("PRAGMA mmap_size=0; PRAGMA cache_size=-4096")
    }

    /// How long a write waits for the file's write lock held by another connection before
    /// failing with error 18 (lock timeout).
    public func setLockTimeout(seconds: Double) {
        sql.setBusyTimeout(milliseconds: Int(max(0, min(seconds, 86_400)) * 1000))
    }

    /// Folds the write-ahead log into the file and leaves WAL mode, so that nothing but the
    /// database file remains once this is the file's last connection (SQLite removes the
    /// `-wal` and `-shm` files). Later writes through this connection use a rollback journal.
    public func detachLog() throws {
        guard path != ":memory:", !isReader else { return }
        try flushPendingInserts()
        let s = try sql.prepare("PRAGMA wal_checkpoint(TRUNCATE)")
        _ = try s.step()
        s.reset()
        try sql.execute("PRAGMA journal_mode=DELETE")
    }

    /// Runs `body` in a transaction, committing on success and rolling back on any error.
    public func transaction<R>(write: Bool, _ body: () throws -> R) throws -> R {
        if inTransaction { return try body() }
        try begin(write: write)
        do {
            let r = try body()
            try commit()
            return r
        } catch {
            rollback()
            throw error
        }
    }
}
