// The embedding API: a Sendable database handle that parses, plans, optimizes and executes
// queries (each in one transaction), explains them, and manages collections and indexes.
// Access to the SQLite file is serialised through one lock.

import LocusErrors
import LocusExecution
import LocusPlanner
import LocusPolicy
import LocusStorage
import LocusSyntax
import LocusValues
import Synchronization

/// A Locus database: one SQLite file (or memory), safe to share between tasks.
///
/// ```swift
/// let db = try Database(path: "shop.db")
/// try db.createCollection("users")
/// try db.query("INSERT {name: @n, age: 36} INTO users", bindVars: ["n": "Ada"])
/// let names = try db.query("FOR u IN users FILTER u.age > 30 RETURN u.name").rows
/// ```
public final class Database: Sendable {
    /// The one connection that writes (and runs everything for in-memory databases).
    let store: Mutex<Storage>
    /// Idle read-only connections: read queries run on these, concurrently with each other
    /// and with the writer (SQLite WAL gives each its own snapshot).
    let readers: Mutex<[Storage]>
    static let maxIdleReaders = 4
    /// Optimized plans of recent queries.
    let plans = Mutex(PlanCache())
    /// Whether recent query texts write, by text (`writes(query:)`).
    let writingTexts = Mutex<[String: Bool]>([:])
    /// Wakes change-stream subscribers after commits that append to the stream.
    let notifier: ChangeNotifier
    /// The file path, or `:memory:`.
    public let path: String
    /// How long a connection waits for another's lock before failing with error 18.
    let lockTimeout = Mutex<Double>(10)

    /// Opens (creating when missing) the database at `path`; `:memory:` for a private one.
    public init(path: String) throws {
        self.path = path
        let writer = try Database.open(path: path, reader: false)
        let notifier = ChangeNotifier()
        writer.onStreamCommit = { notifier.signal() }
        self.notifier = notifier
        store = Mutex(writer)
        readers = Mutex([])
    }

    /// A connection to the file, enforcing its placement policy.
    static func open(path: String, reader: Bool) throws -> Storage {
        let s = try Storage(path: path, reader: reader)
        try s.usePolicyCompiler(PlacementPolicy.compiler)
        return s
    }

    /// Ends use of the file: closes the idle reader connections, folds the write-ahead log into
    /// the database file and leaves no `-wal` or `-shm` file behind when nothing else has the
    /// file open. Call it when the app is done with the database (or before copying the file).
    /// The handle keeps working afterwards, without the write-ahead log.
    public func close() throws {
        readers.withLock { $0.removeAll() }
        try store.withLock { try $0.detachLog() }
    }

    /// How long a statement waits when another connection or process holds the file's lock
    /// (10 s by default) before it fails with error 18, lock timeout.
    ///
    /// ```swift
    /// db.setLockTimeout(seconds: 0.5)  // fail fast instead of queueing behind a long writer
    /// ```
    public func setLockTimeout(seconds: Double) {
        lockTimeout.withLock { $0 = seconds }
        store.withLock { $0.setLockTimeout(seconds: seconds) }
        readers.withLock { idle in for r in idle { r.setLockTimeout(seconds: seconds) } }
    }

    /// Runs `body` on an idle reader connection (opening one when none is idle).
    func withReader<R: Sendable>(_ body: (Storage) throws -> R) throws -> R {
        let reader =
            try readers.withLock { $0.popLast() }
            ?? {
                let r = try Database.open(path: path, reader: true)
                r.setLockTimeout(seconds: lockTimeout.withLock { $0 })
                return r
            }()
        defer {
            readers.withLock { idle in if idle.count < Database.maxIdleReaders { idle.append(reader) } }
        }
        return try body(reader)
    }

    /// The optimizer's rules in the order they run; `QueryOptions.optimizerRules` switches
    /// them by name (`["-use-indexes"]`, `["-all", "+sort-limit"]`).
    public static var optimizerRules: [OptimizerRule] { Optimizer.rules }

    /// A new private in-memory database.
    public static func inMemory() throws -> Database { try Database(path: ":memory:") }

    func plan(_ ast: Query, bindVars: [String: Value], options: QueryOptions, storage: Storage, counts: Bool) throws
        -> QueryPlan
    {
        try QueryPlanner.plan(
            ast, catalog: StorageCatalog(storage: storage, withCounts: counts), bindVars: bindVars,
            options: QueryPlanner.Options(
                optimizerRules: options.optimizerRules,
                preparedParameters: options.preparedParameters,
                fullCount: options.fullCount))
    }

    /// Runs a query with bind variables; the whole query is one transaction.
    ///
    /// Read-only queries run on reader connections, concurrently with each other and with
    /// writes; queries that write take the one writer connection. Bind variables for
    /// collections (`@@coll`) use the key `"@coll"`. A query run again with the same text,
    /// bind values and planning options reuses its optimized plan while the catalog is
    /// unchanged.
    @discardableResult
    public func query(_ text: String, bindVars: [String: Value] = [:], options: QueryOptions = QueryOptions()) throws
        -> QueryResult
    {
        let started = options.profile ? QueryProfile.now() : 0
        let (keys, ast, cached, writes) = try prepare(text, bindVars: bindVars, options: options)
        let parsing = options.profile && cached == nil ? QueryProfile.now() - started : 0
        if path != ":memory:" && !writes {
            return try withReader {
                try run(
                    keys, ast, cached, writes: false, bindVars: bindVars, options: options, storage: $0,
                    parsing: parsing
                )
            }
        }
        return try store.withLock {
            try run(
                keys, ast, cached, writes: writes, bindVars: bindVars, options: options, storage: $0, parsing: parsing)
        }
    }

    /// The plan-cache key of a query, its cached plan if any, or else its syntax tree, and
    /// whether it writes.
    func prepare(_ text: String, bindVars: [String: Value], options: QueryOptions) throws
        -> (keys: PlanKeys, ast: Query?, cached: PlanCache.Entry?, writes: Bool)
    {
        let keys = PlanKey.pair(text: text, bindVars: bindVars, options: options)
        let cached = plans.withLock { cache in keys.generic.flatMap { cache.entry($0) } ?? cache.entry(keys.specific) }
        if let cached { return (keys, nil, cached, cached.writes) }
        let parsed = try Parser.parse(text)
        return (keys, parsed, nil, parsed.containsWrites)
    }

    /// Plans (or takes the cached plan) and executes in one transaction, so that the catalog
    /// the plan was made from and the data it reads are one snapshot. With `options.profile`,
    /// times the phases (`parsing` was measured by the caller).
    func run(
        _ keys: PlanKeys, _ ast: Query?, _ cached: PlanCache.Entry?, writes: Bool, bindVars: [String: Value],
        options: QueryOptions, storage: Storage, parsing: Double = 0
    ) throws -> QueryResult {
        var profile = QueryProfile()
        profile.parsing = parsing
        // A statement of a stream transaction keeps the transaction's own limit unless it sets one.
        let priorLimit = storage.transactionSizeLimit
        if options.maxTransactionSize > 0 { storage.transactionSizeLimit = options.maxTransactionSize }
        defer { storage.transactionSizeLimit = priorLimit }
        var executionEnd = 0.0
        func planned() throws -> PlanCache.Entry {
            let version = storage.catalogVersion
            if let cached, cached.catalogVersion == version { return cached }
            let started = options.profile ? QueryProfile.now() : 0
            let (plan, planKey) = try freshPlan(
                try ast ?? Parser.parse(keys.text), keys: keys, bindVars: bindVars, options: options, storage: storage)
            let entry = PlanCache.Entry(plan: plan, writes: writes, catalogVersion: version)
            plans.withLock { $0.store(planKey, entry) }
            if options.profile { profile.optimizing = QueryProfile.now() - started }
            return entry
        }
        func execute(_ entry: PlanCache.Entry) throws -> QueryResult {
            let started = options.profile ? QueryProfile.now() : 0
            let result = try Database.execute(entry.plan, options: options, storage: storage, bindVars: bindVars)
            if options.profile {
                executionEnd = QueryProfile.now()
                profile.executing = executionEnd - started
            }
            return result
        }
        // The transaction is spelled out rather than passed a closure (`Storage.transaction`):
        // a closure over `profile` and `executionEnd` may cost each a heap box per query.
        var result: QueryResult
        if let cached, !cached.readsStorage, !storage.inTransaction {
            // Nothing stored is read: no snapshot to take, and no catalog the plan depends on.
            result = try execute(cached)
        } else if options.rollback && writes {
            try storage.begin(write: true)
            defer { storage.rollback() }
            result = try execute(try planned())
        } else if storage.inTransaction {
            result = try execute(try planned())
        } else {
            try storage.begin(write: writes)
            do {
                result = try execute(try planned())
                try storage.commit()
            } catch {
                storage.rollback()
                throw error
            }
        }
        if options.profile {
            profile.finalizing = QueryProfile.now() - executionEnd
            result.profile = profile
        }
        return result
    }

    /// Plans a query not in the cache, and gives the key to keep the plan under: from the
    /// second set of values on, the generic plan (value parameters prepared) under a key
    /// without their values when it has the shape of the plan for these values, else that
    /// plan under a key with them (see `PlanCache`).
    func freshPlan(_ ast: Query, keys: PlanKeys, bindVars: [String: Value], options: QueryOptions, storage: Storage)
        throws -> (QueryPlan, PlanKey)
    {
        let plan = try self.plan(ast, bindVars: bindVars, options: options, storage: storage, counts: false)
        let key = keys.specific
        guard plan.warnings.isEmpty, let genericKey = keys.generic,
            let genericOptions = options.preparingValues(of: bindVars)
        else {
            return (plan, key)
        }
        switch plans.withLock({ $0.verdict(genericKey) }) {
        case nil:
            plans.withLock { $0.note(.plannedOnce, for: genericKey) }
            return (plan, key)
        case .needsValues?:
            return (plan, key)
        case .plannedOnce?:
            break
        }
        if !plan.searchesView,
            let generic = try? self.plan(
                ast, bindVars: bindVars, options: genericOptions, storage: storage, counts: false),
            generic.warnings.isEmpty, generic.shape == plan.shape
        {
            return (generic, genericKey)
        }
        plans.withLock { $0.note(.needsValues, for: genericKey) }
        return (plan, key)
    }

    /// Runs a plan inside the caller's transaction; `bindVars` supply its prepared parameters.
    static func execute(_ plan: QueryPlan, options: QueryOptions, storage: Storage, bindVars: [String: Value] = [:])
        throws -> QueryResult
    {
        var execution = options.execution
        if !plan.parameterSlots.isEmpty { execution.parameters = bindVars }
        let executor = QueryExecutor(storage: storage, plan: plan, options: execution)
        let rows = try executor.run()
        var result = QueryResult(
            rows: rows, jsonRows: executor.jsonRows,
            warnings: executor.warnings.map { QueryWarning(code: $0.code, message: $0.message) }, stats: executor.stats)
        if options.fullCount && result.stats.fullCount == nil { result.stats.fullCount = result.count }
        return result
    }

    /// Runs a query and decodes each row into `T`.
    public func query<T: Decodable>(_ text: String, bindVars: [String: Value] = [:], as type: T.Type) throws -> [T] {
        // Decoded from JSON texts: a document returned whole is never built as values.
        var options = QueryOptions()
        options.rowsAsJSON = true
        return try query(text, bindVars: bindVars, options: options).decode(T.self)
    }

    /// The execution plan, as ArangoDB's explain table (`text`) and as JSON (`json`).
    public func explain(_ text: String, bindVars: [String: Value] = [:], options: QueryOptions = QueryOptions()) throws
        -> (text: String, json: Value)
    {
        let ast = try Parser.parse(text)
        return try store.withLock { storage in
            let plan = try storage.transaction(write: false) {
                try self.plan(ast, bindVars: bindVars, options: options, storage: storage, counts: true)
            }
            let e = Explainer(plan: plan, catalog: StorageCatalog(storage: storage, withCounts: true))
            return (e.text(query: text), e.json())
        }
    }

    // MARK: - Collections and indexes

    /// Creates a collection of documents, edges or key-value entries.
    ///
    /// With `ifNotExists`, an existing collection of the same type is left as it is (one of
    /// another type is still error 1218, collection type invalid).
    public func createCollection(_ name: String, type: CollectionType = .document, ifNotExists: Bool = false) throws {
        try store.withLock { s in
            if ifNotExists, let existing = s.collection(name) {
                guard existing.type == type else {
                    throw LocusError(
                        code: .collectionTypeInvalid,
                        message: "collection '\(name)' exists as a \(existing.type) collection")
                }
                return
            }
            _ = try s.createCollection(name, type: type)
        }
    }

    public func dropCollection(_ name: String) throws {
        try store.withLock { try $0.dropCollection(name) }
    }

    /// Every collection with its type and document count.
    public func collections() throws -> [(name: String, type: CollectionType, count: Int)] {
        try store.withLock { s in try s.collections.map { ($0.name, $0.type, try s.count($0)) } }
    }

    /// Creates an index (`persistent`, `ttl`, `fulltext` or `geo`) and returns its description;
    /// an index like an existing one returns that one. Primary and edge indexes are implicit.
    ///
    /// ```swift
    /// try db.createIndex(collection: "users", fields: ["city", "age"])
    /// try db.createIndex(collection: "sessions", fields: ["seen"], type: .ttl, expireAfter: 3600)
    /// try db.createIndex(collection: "users", fields: ["kind"], type: IndexType(named: "hash"))
    /// ```
    @discardableResult
    public func createIndex(
        collection: String, fields: [String], type: IndexType = .persistent, unique: Bool = false,
        sparse: Bool = false, expireAfter: Double? = nil, minLength: Int? = nil, geoJson: Bool? = nil,
        name: String? = nil
    ) throws -> Value {
        guard type != .primary, type != .edge else {
            throw LocusError(
                .badParameter, "\(type.rawValue) indexes are implicit; create persistent, ttl, fulltext or geo")
        }
        return try store.withLock {
            try $0.createIndex(
                collection: collection, type: type, fields: fields, unique: unique, sparse: sparse,
                expireAfter: expireAfter, minLength: minLength, geoJson: geoJson, name: name
            ).description
        }
    }

    public func dropIndex(collection: String, name: String) throws {
        try store.withLock { try $0.dropIndex(collection: collection, name: name) }
    }

    /// The indexes of a collection as ArangoDB describes them.
    public func indexes(collection: String) throws -> [Value] {
        try store.withLock { try $0.indexes(collection).map(\.description) }
    }

    // MARK: - Import and export

    /// Imports documents in one transaction, creating the collection when missing (as an edge
    /// collection when the first document has `_from` and `_to`, unless `type` says otherwise).
    /// `feed` hands each (line, JSON text) to the importer.
    public func importDocuments(
        into collection: String, type: CollectionType? = nil, onError: ImportErrorPolicy = .abort,
        _ feed: (Importer) throws -> Void
    ) throws -> ImportSummary {
        try store.withLock { storage in
            try storage.transaction(write: true) {
                let importer = Importer(storage: storage, collection: collection, type: type, onError: onError)
                try feed(importer)
                return importer.summary
            }
        }
    }

    /// Calls `body` with every document of a collection.
    /// Reads through a connection of its own (`withSequentialReader`): the writer's memory map
    /// would keep every page of the collection resident.
    public func exportDocuments(_ collection: String, _ body: (String) throws -> Void) throws {
        try withSequentialReader { storage in
            try storage.transaction(write: false) {
                let c = try storage.requireCollection(collection)
                try storage.scan(c) { bytes in
                    try body(String(decoding: bytes, as: UTF8.self))
                    return true
                }
            }
        }
    }
}
