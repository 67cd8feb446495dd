// The one table of C8QL functions: name, argument counts, determinism and implementation.
// The planner checks calls against it (1540, 1541), the executor calls through it, and the CLI
// lists it. Category files each contribute their rows.

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

    public init(_ name: String, _ minArgs: Int, _ maxArgs: Int?, deterministic: Bool = true, readsData: Bool = false,
                signature: String = "", _ implementation: @escaping Implementation) {
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
            + ObjectFunctions.rows + MiscFunctions.rows + BitFunctions.rows
        {
            precondition(d[f.name] == nil, "function \(f.name) registered twice")
            d[f.name] = f
        }
        return d
    }()

    /// Looks a function up by name, ignoring case.
    public static func lookup(_ name: String) -> FunctionDefinition? { all[name.uppercased()] }

    /// The functions usable as AGGREGATE expressions in COLLECT and WINDOW.
    public static let aggregateNames: Set<String> = [
        "LENGTH", "COUNT", "MIN", "MAX", "SUM", "AVERAGE", "AVG", "VARIANCE_POPULATION", "VARIANCE",
        "VARIANCE_SAMPLE", "STDDEV_POPULATION", "STDDEV", "STDDEV_SAMPLE", "UNIQUE", "SORTED_UNIQUE",
        "COUNT_DISTINCT", "COUNT_UNIQUE", "BIT_AND", "BIT_OR", "BIT_XOR", "PUSH",
    ]
}

/// Helpers shared by the category files.
enum Args {
    /// Warns 1542 for `name` and yields null: ArangoDB's answer to a wrong argument type.
    static func invalid(_ name: String, _ env: FunctionEnvironment) -> Value {
        env.warn(.functionArgumentTypeMismatch, ErrorCode.functionArgumentTypeMismatch.format([name]))
        return .null
    }

    static func optBool(_ args: [Value], _ i: Int) -> Bool { i < args.count ? args[i].isTruthy : false }
}
