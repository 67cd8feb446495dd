// Runs a query plan against storage inside one transaction: the function environment
// (warnings, DOCUMENT), the subquery runner, and the guards for runtime and memory.

#if canImport(Glibc)
import Glibc
#endif
import LocusAnalysis
import LocusErrors
import LocusFunctions
import LocusPlanner
import LocusStorage
import LocusValues

/// Executes one `QueryPlan`.
public final class QueryExecutor: FunctionEnvironment, SubqueryRunner {
    let storage: Storage
    /// What it reads of the plan, not the plan: a copy of every array and set of a plan costs
    /// a cached query that does little more than set up.
    let root: Plan
    let registerCount: Int
    let parameterSlots: [String: Int]
    /// Collections the query writes: reading one takes a snapshot of it first.
    let collectionsWritten: Set<String>
    let options: ExecutionOptions
    public private(set) var warnings: [(code: Int, message: String)] = []
    public internal(set) var stats = ExecutionStats()
    var pendingFailure: LocusError?
    var evaluator: Evaluator!
    let started: Double
    var memoryUsed = 0
    /// When set, the top-level RETURN hands each row to it instead of keeping it, so that a
    /// caller can consume rows as they are produced (a stream cursor); memory accounting then
    /// counts only what is kept.
    public var rowSink: ((Value) throws -> Void)? = nil {
        didSet { if rowSink != nil { passThrough = nil } }
    }
    /// With `ExecutionOptions.rowsAsJSON`: the top-level rows, as JSON texts.
    @exclusivity(unchecked) public internal(set) var jsonRows = JSONRows()
    /// With `ExecutionOptions.rowsAsJSON`, when set: the top-level RETURN hands each row's
    /// JSON text to it instead of keeping it (as `rowSink` does with values).
    public var jsonRowSink: (([UInt8]) throws -> Void)? = nil
    /// The text of the row being handed to `jsonRowSink`, kept to reuse its memory.
    private var jsonRow: [UInt8] = []
    /// The loop whose documents go from storage to the JSON rows as stored, when rows are
    /// taken as JSON and the plan has one.
    private(set) var passThrough: DocumentPassThrough?
    /// Unchecked: every access is a single step of the counter, which calls nothing.
    @exclusivity(unchecked) var checks = CheckpointCounter()

    /// Counts checkpoints; every 256th, and the one after a failure is pending, looks further.
    /// One struct so that a checkpoint is one access to the executor's state.
    struct CheckpointCounter {
        var count = 0
        mutating func tick() -> Bool {
            count &+= 1
            return count & 255 == 0
        }
        mutating func lookAtNext() { count |= 255 }
    }

    public init(storage: Storage, plan: borrowing QueryPlan, options: ExecutionOptions) {
        self.storage = storage
        root = plan.root
        registerCount = plan.registerCount
        parameterSlots = plan.parameterSlots
        collectionsWritten = plan.collectionsWritten
        passThrough = options.rowsAsJSON ? plan.passThrough : nil
        self.options = options
        self.started = QueryExecutor.monotonicSeconds()
        self.evaluator = Evaluator(environment: self)
        self.evaluator.subqueries = self
        for (code, message) in plan.warnings { warn(ErrorCode.byNumber(code) ?? .failed, message) }
    }

    static func monotonicSeconds() -> Double { MonotonicClock.seconds() }

    /// Runs the plan and returns the result rows. The caller owns the transaction.
    public func run() throws -> [Value] {
        // ArangoDB removes expired TTL documents in the background; here a writing query
        // removes them first, in its own transaction, so reads never pay and never write.
        if !collectionsWritten.isEmpty { try storage.purgeExpired() }
        var registers = [Value](repeating: .null, count: max(1, registerCount))
        for (name, slot) in parameterSlots { registers[slot] = options.parameters[name] ?? .null }
        let pipeline = Pipeline(executor: self, plan: root, topLevel: true)
        let result = try pipeline.run(&registers)
        if let pendingFailure { throw pendingFailure }
        if let isCancelled = options.isCancelled, isCancelled() { throw LocusError(.queryKilled) }
        stats.executionTime = QueryExecutor.monotonicSeconds() - started
        return result
    }

    public func runSubquery(_ plan: Plan, registers: inout [Value]) throws -> [Value] {
        let pipeline = Pipeline(executor: self, plan: plan, topLevel: false)
        return try pipeline.run(&registers)
    }

    /// Called regularly from loops: enforces cancellation, maxRuntime and failOnWarning.
    /// The common case is one counter step; `warn` moves the counter so that a pending
    /// failure is thrown at the very next call.
    @inline(__always) func checkpoint() throws {
        if checks.tick() { try checkpointSlowly() }
    }

    @inline(never) func checkpointSlowly() throws {
        if let pendingFailure { throw pendingFailure }
        if let isCancelled = options.isCancelled, isCancelled() { throw LocusError(.queryKilled) }
        if options.maxRuntime > 0, checks.count & 1023 == 0,
            QueryExecutor.monotonicSeconds() - started > options.maxRuntime
        {
            throw LocusError(.queryKilled)
        }
    }

    /// Accounts buffered bytes against memoryLimit.
    func account(_ v: Value) throws {
        guard options.memoryLimit > 0 else { return }
        memoryUsed += QueryExecutor.estimateSize(v)
        if memoryUsed > options.memoryLimit { throw LocusError(.resourceLimit) }
    }

    /// Takes a top-level row as JSON: `stored`, the bytes of a document returned as stored,
    /// or else `v` encoded.
    func takeJSONRow(_ v: Value, stored: [UInt8]?) throws {
        if let jsonRowSink {
            guard let stored else {
                jsonRow.removeAll(keepingCapacity: true)
                JSONWriter.write(v, into: &jsonRow)
                return try jsonRowSink(jsonRow)
            }
            return try jsonRowSink(stored)
        }
        let before = jsonRows.byteCount
        if let stored { jsonRows.append(json: stored) } else { jsonRows.append(v) }
        guard options.memoryLimit > 0 else { return }
        memoryUsed += jsonRows.byteCount - before
        if memoryUsed > options.memoryLimit { throw LocusError(.resourceLimit) }
    }

    static func estimateSize(_ v: Value) -> Int {
        switch v {
        case .null, .bool: 1
        case .number: 9
        case .string(let s): s.utf8.count + 2
        case .array(let a): a.reduce(2) { $0 + estimateSize($1) }
        case .object(let o): o.reduce(2) { $0 + $1.0.utf8.count + 2 + estimateSize($1.1) }
        }
    }

    // MARK: - FunctionEnvironment

    public func warn(_ code: ErrorCode, _ message: String) {
        if options.failOnWarning && pendingFailure == nil {
            pendingFailure = LocusError(code: code, message: message)
            checks.lookAtNext()
        }
        if warnings.count < options.maxWarningCount { warnings.append((code.number, message)) }
    }

    public var wallClock: any WallClock { storage.wallClock }

    public func analyzer(named name: String) throws -> Analyzer? { try storage.searchAnalyzer(name) }

    public func document(collection: String?, key: String) throws -> Value {
        guard let collection, let c = storage.collection(collection) else { return .null }
        return try storage.get(c, key: key) ?? .null
    }

    public func collectionCount(_ name: String) throws -> Int {
        try storage.count(try storage.requireCollection(name))
    }

    public func collections() throws -> [(id: String, name: String)] {
        storage.collections.map { (String($0.id), $0.name) }
    }

    public func fulltext(collection: String, attribute: String, query: String, limit: Int?) throws -> [Value] {
        _ = try storage.requireCollection(collection)
        guard let ix = storage.fulltextIndex(collection: collection, attribute: attribute) else {
            throw LocusError(.fulltextIndexMissing, "\(collection).\(attribute)")
        }
        return try storage.fulltextSearch(ix, query: query, limit: limit).map(Value.object)
    }

    func requireGeoIndex(_ collection: String) throws -> (CollectionInfo, IndexInfo) {
        let c = try storage.requireCollection(collection)
        guard let ix = storage.geoIndex(collection: collection) else { throw LocusError(.geoIndexMissing, collection) }
        return (c, ix)
    }

    public func geoNear(collection: String, latitude: Double, longitude: Double, radius: Double?, limit: Int?) throws
        -> [(Value, Double)]
    {
        let (c, ix) = try requireGeoIndex(collection)
        return try storage.geoNear(ix, latitude: latitude, longitude: longitude, radius: radius, limit: limit)
            .compactMap { hit in
                try storage.get(c, key: hit.key).map { ($0, hit.distance) }
            }
    }

    public func geoRectangle(collection: String, latitudes: ClosedRange<Double>, longitudes: [ClosedRange<Double>])
        throws -> [Value]
    {
        let (c, ix) = try requireGeoIndex(collection)
        return try storage.geoCandidates(ix, latitudes: latitudes, longitudes: longitudes).map(\.key).sorted()
            .compactMap {
                try storage.get(c, key: $0)
            }
    }
}
