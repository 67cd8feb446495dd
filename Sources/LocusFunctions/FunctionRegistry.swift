// The one table of C8QL functions: name, argument counts, determinism and implementation.
// The planner checks calls against it (1540, 1541), the executor calls through it, and the CLI
// lists it. Category files each contribute their rows.

import LocusAnalysis
import LocusErrors
import LocusValues

/// What a function may ask of the running query: warnings, documents, randomness.
public protocol FunctionEnvironment: AnyObject {
    /// Records a warning (for example 1542 for a bad argument type) and continues.
    func warn(_ code: ErrorCode, _ message: String)
    /// Looks up a document by `_id`, or by key within `collection`; null when missing.
    func document(collection: String?, key: String) throws -> Value
    /// The number of documents in a collection.
    func collectionCount(_ name: String) throws -> Int
    /// Every collection, by identifier and name; an unknown name in SCHEMA_GET is 1203.
    func collections() throws -> [(id: String, name: String)]
    /// The documents a fulltext index finds for a query (1571 when there is no such index).
    func fulltext(collection: String, attribute: String, query: String, limit: Int?) throws -> [Value]
    /// The documents a geo index finds within `radius` metres of a point (any when nil),
    /// nearest first, at most `limit`, with their distances (1570 without a geo index).
    func geoNear(collection: String, latitude: Double, longitude: Double, radius: Double?, limit: Int?) throws -> [(
        Value, Double
    )]
    /// The documents a geo index finds inside a latitude and longitude rectangle.
    func geoRectangle(collection: String, latitudes: ClosedRange<Double>, longitudes: [ClosedRange<Double>]) throws
        -> [Value]
    /// The clock `DATE_NOW()` reads: the database's, which simulations replace.
    var wallClock: any WallClock { get }
    /// A custom analyzer of the query's database, or nil.
    func analyzer(named name: String) throws -> Analyzer?
}

extension FunctionEnvironment {
    public var wallClock: any WallClock { SystemClock() }
    public func analyzer(named name: String) throws -> Analyzer? { nil }
}

/// One function of the language. A class, so that expressions refer to it without copying.
public final class FunctionDefinition: Sendable {
    public typealias Implementation = @Sendable ([Value], FunctionEnvironment) throws -> Value
    public let name: String
    public let minArgs: Int
    /// nil means any number.
    public let maxArgs: Int?
    /// Deterministic functions over constant arguments are folded at plan time.
    public let deterministic: Bool
    /// Calls with these functions need access to collections (DOCUMENT, COLLECTION_COUNT).
    public let readsData: Bool
    public let signature: String
    public let implementation: Implementation

    public init(
        _ name: String, _ minArgs: Int, _ maxArgs: Int?, deterministic: Bool = true, readsData: Bool = false,
        signature: String = "", _ implementation: @escaping Implementation
    ) {
        self.name = name
        self.minArgs = minArgs
        self.maxArgs = maxArgs
        self.deterministic = deterministic
        self.readsData = readsData
        self.signature = signature
        self.implementation = implementation
    }

    /// Calls the function, after the arity was checked at plan time.
    @inlinable public func call(_ args: [Value], _ env: FunctionEnvironment) throws -> Value {
        try implementation(args, env)
    }
}

/// The function table.
public enum FunctionRegistry {
    /// Every function by upper-case name.
    public static let all: [String: FunctionDefinition] = {
        var d: [String: FunctionDefinition] = [:]
        for f in TypeFunctions.rows + StringFunctions.rows + NumericFunctions.rows + ArrayFunctions.rows
            + ObjectFunctions.rows + MiscFunctions.rows + BitFunctions.rows + DateFunctions.rows
            + HashFunctions.rows + VectorFunctions.rows + IPv4Functions.rows + SimilarityFunctions.rows
            + DecayFunctions.rows
            + GeoFunctions.rows + AnalyzerFunctions.rows
        {
            precondition(d[f.name] == nil, "function \(f.name) registered twice")
            d[f.name] = f
        }
        return d
    }()

    /// Looks a function up by name, ignoring case.
    public static func lookup(_ name: String) -> FunctionDefinition? { all[name.uppercased()] }
}

/// Helpers shared by the category files.
enum Args {
    /// Warns 1542 for `name` and yields null: ArangoDB's answer to a wrong argument type.
    static func invalid(_ name: String, _ env: FunctionEnvironment) -> Value {
        env.warn(.functionArgumentTypeMismatch, ErrorCode.functionArgumentTypeMismatch.format([name]))
        return .null
    }

    /// Warning 1563 (array expected), in ArangoDB's wording, and null.
    static func arrayExpected(_ name: String, _ env: FunctionEnvironment) -> Value {
        env.warn(.arrayExpected, "in function '\(name)()': array expected")
        return .null
    }

    /// Warning 1561 (invalid arithmetic value), in ArangoDB's wording, and null.
    static func invalidArithmetic(_ name: String, _ env: FunctionEnvironment) -> Value {
        env.warn(.invalidArithmeticValue, "in function '\(name)()': invalid arithmetic value")
        return .null
    }

    /// What a function that needs an array warns when given something else. ArangoDB
    /// distinguishes: these warn 1563 (array expected); the others (PUSH, APPEND, SLICE, MINUS,
    /// UNION, …) warn 1542 (invalid argument type).
    static let arrayExpectedFunctions: Set<String> = [
        "FIRST", "LAST", "NTH", "POSITION", "CONTAINS_ARRAY", "UNIQUE", "SORTED", "SORTED_UNIQUE", "COUNT_DISTINCT",
        "COUNT_UNIQUE", "FLATTEN", "REVERSE", "INTERSECTION", "OUTERSECTION", "INTERLEAVE",
        "MIN", "MAX", "SUM", "AVERAGE", "AVG", "MEDIAN", "PERCENTILE", "PRODUCT", "VARIANCE", "VARIANCE_POPULATION",
        "VARIANCE_SAMPLE", "STDDEV", "STDDEV_POPULATION", "STDDEV_SAMPLE",
    ]

    /// The warning for a non-array argument of function `name`, from the table above.
    static func notAnArray(_ name: String, _ env: FunctionEnvironment) -> Value {
        arrayExpectedFunctions.contains(name) ? arrayExpected(name, env) : invalid(name, env)
    }

    static func optBool(_ args: [Value], _ i: Int) -> Bool { i < args.count ? args[i].isTruthy : false }
}
