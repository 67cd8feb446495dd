// The functions of ArangoSearch's analyzers that work outside a search: TOKENS, which runs an
// analyzer over text (or nested arrays of text). Analyzer names are resolved here: a built-in
// name (also as `::name` or `_system::name`), or a custom analyzer of the query's database
// through the function environment. A database prefix is dropped: each database is a file of
// its own, so a query reaches only its own database's analyzers.

import LocusAnalysis
import LocusErrors
import LocusValues

enum AnalyzerFunctions {
    static let rows: [FunctionDefinition] = [
        // Not deterministic: a custom analyzer is catalog data, read when the query runs.
        FunctionDefinition("TOKENS", 2, 2, deterministic: false, readsData: true, signature: "TOKENS(input, analyzer)")
        {
            a, env in
            guard let name = a[1].stringValue else { return Args.invalid("TOKENS", env) }
            let analyzer = try resolve(name, env)
            return try tokens(a[0], analyzer, env)
        }
    ]

    /// The analyzer a name refers to; error 10 when there is none.
    static func resolve(_ name: String, _ env: FunctionEnvironment) throws -> Analyzer {
        var database = ""
        var short = name
        if let separator = name.range(of: "::") {
            database = String(name[..<separator.lowerBound])
            short = String(name[separator.upperBound...])
        }
        if database.isEmpty || database == "_system", let builtIn = Analyzer.builtIn(short) { return builtIn }
        if let custom = try env.analyzer(named: short) { return custom }
        throw LocusError(.badParameter, "failure to find arangosearch analyzer with name '\(name)'")
    }

    private static func tokens(_ input: Value, _ analyzer: Analyzer, _ env: FunctionEnvironment) throws -> Value {
        switch input {
        case .string(let s): return .array(analyzer.tokens(s).map { .string($0) })
        case .array(let xs): return .array(try xs.map { try tokens($0, analyzer, env) })
        default: return Args.invalid("TOKENS", env)
        }
    }
}
