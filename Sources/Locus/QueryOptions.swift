// Per-query options for the embedding API, in ArangoDB's cursor vocabulary.

import LocusExecution

/// Options for `Database.query`.
public struct QueryOptions: Sendable {
    /// Also report the number of rows (`count`); always available as `rows.count`.
    public var count = false
    /// Report rows before the last top-level LIMIT in `stats.fullCount`.
    public var fullCount = false
    /// Rows per batch for cursors; accepted for compatibility, results are materialised.
    public var batchSize = 1000
    /// Turn the first warning into an error.
    public var failOnWarning = false
    /// Abort the query (error 1500) after this many seconds; 0 for no limit.
    public var maxRuntime: Double = 0
    /// Abort the query (error 32) when buffered data exceeds this many bytes; 0 for no limit.
    public var memoryLimit = 0
    /// `optimizer.rules`: for example `["-use-indexes"]` or `["-all"]`.
    public var optimizerRules: [String] = []
    /// ArangoDB's `maxTransactionSize`: the most document bytes the query may write (error 32
    /// past it, and nothing it wrote is kept); 0 for no limit.
    public var maxTransactionSize = 0
    /// ArangoDB's `profile`: time the query's phases (`QueryResult.profile`).
    public var profile = false
    /// Run the query, then roll its writes back instead of committing (`locus bench` uses this
    /// so that warm-up runs of a write query leave the data as it was).
    public var rollback = false
    /// Give the rows as JSON texts (`QueryResult.jsonRows`) instead of values (`rows` stays
    /// empty): for a caller that writes rows out. A document the query returns as it is
    /// stored is then copied from storage, never decoded and encoded again.
    ///
    /// ```swift
    /// var options = QueryOptions()
    /// options.rowsAsJSON = true
    /// let r = try db.query("FOR u IN users FILTER u._key == @k RETURN u", bindVars: ["k": "ada"], options: options)
    /// var body: [UInt8] = []
    /// r.jsonRows.writeArray(into: &body)
    /// ```
    public var rowsAsJSON = false
    /// Polled regularly while the query runs: returning true stops it with error 1500 (query
    /// killed) and rolls its writes back. The shell sets it from Ctrl-C.
    public var isCancelled: (@Sendable () -> Bool)? = nil
    /// Bind parameters planned as parameters rather than folded in as constants, so that the
    /// statement run again with new values for them reuses its plan (the server's document
    /// writes: `INSERT @doc INTO @@c`). They may stand only where a value is expected.
    package var preparedParameters: Set<String> = []

    public init(
        fullCount: Bool = false, failOnWarning: Bool = false, maxRuntime: Double = 0, memoryLimit: Int = 0,
        optimizerRules: [String] = []
    ) {
        self.fullCount = fullCount
        self.failOnWarning = failOnWarning
        self.maxRuntime = maxRuntime
        self.memoryLimit = memoryLimit
        self.optimizerRules = optimizerRules
    }

    var execution: ExecutionOptions {
        var o = ExecutionOptions()
        o.fullCount = fullCount
        o.failOnWarning = failOnWarning
        o.maxRuntime = maxRuntime
        o.memoryLimit = memoryLimit
        o.isCancelled = isCancelled
        o.rowsAsJSON = rowsAsJSON
        return o
    }

    /// Reads options from an ArangoDB-style JSON object (`{"fullCount": true, "optimizer": {"rules": [...]}}`).
    public init(json: Value) throws {
        guard case .object(let o) = json else { throw LocusError(.badParameter, "query options must be an object") }
        self.init()
        for (k, v) in o {
            switch k {
            case "count": count = v.isTruthy
            case "fullCount": fullCount = v.isTruthy
            case "batchSize": batchSize = v.toNumber.clampedInt
            case "failOnWarning": failOnWarning = v.isTruthy
            case "maxRuntime": maxRuntime = v.toNumber
            case "memoryLimit": memoryLimit = v.toNumber.clampedInt
            case "optimizer": optimizerRules = v[attribute: "rules"].arrayValue?.compactMap(\.stringValue) ?? []
            case "profile": profile = v.isTruthy || (v.numberValue ?? 0) > 0
            case "maxTransactionSize": maxTransactionSize = max(0, v.toNumber.clampedInt)
            case "maxWarningCount", "cache", "stream", "ttl", "maxPlans", "satelliteSyncWait": break
            default: throw LocusError(.badParameter, "unknown query option '\(k)'")
            }
        }
    }
}
