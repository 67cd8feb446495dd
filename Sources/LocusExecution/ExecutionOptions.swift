// Options a query runs under, and the statistics it reports back.

import LocusValues

/// Options of one query execution (ArangoDB's cursor options).
public struct ExecutionOptions: Sendable {
    /// Report how many rows the last top-level LIMIT discarded (`extra.stats.fullCount`).
    public var fullCount = false
    /// Turn the first warning into an error.
    public var failOnWarning = false
    /// At most this many warnings are kept.
    public var maxWarningCount = 10
    /// Abort with 1500 after this many seconds; 0 means no limit.
    public var maxRuntime: Double = 0
    /// Abort with 32 when buffered results exceed this many bytes; 0 means no limit.
    public var memoryLimit = 0
    /// Polled while the query runs; when it returns true the query stops with 1500.
    public var isCancelled: (@Sendable () -> Bool)? = nil
    /// The values of the plan's prepared parameters (`QueryPlan.parameterSlots`).
    public var parameters: [String: Value] = [:]
    /// Keep the top-level rows as JSON texts (`QueryExecutor.jsonRows`) instead of values; a
    /// document returned as stored (`QueryPlan.passThrough`) is then copied, not re-encoded.
    public var rowsAsJSON = false
    public init() {}
}

/// What a query did, as ArangoDB reports in `extra.stats`.
public struct ExecutionStats: Sendable, Equatable {
    public var writesExecuted = 0
    public var writesIgnored = 0
    public var scannedFull = 0
    public var scannedIndex = 0
    public var filtered = 0
    public var fullCount: Int? = nil
    public var executionTime: Double = 0
    public init() {}
}
