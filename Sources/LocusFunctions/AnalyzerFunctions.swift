// ArangoSearch's functions: TOKENS, which runs an analyzer outside a search too, and those only a
// view search answers (EXISTS, PHRASE, and the scorers BM25 and TFIDF). TOKENS runs an
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
        },
        searchOnly("EXISTS", 1, 3, "EXISTS(path, type, analyzer)"),
        searchOnly("PHRASE", 2, nil, "PHRASE(path, phrasePart, analyzer)"),
        searchOnly("BM25", 1, nil, "BM25(doc, k, b)"),
        searchOnly("TFIDF", 1, nil, "TFIDF(doc, normalize)"),
    ]

    /// A function only a view search answers (the search reads it; it is never called):
    /// anywhere else it is error 9, as in ArangoDB.
    static func searchOnly(_ name: String, _ minArgs: Int, _ maxArgs: Int?, _ signature: String) -> FunctionDefinition {
        FunctionDefinition(name, minArgs, maxArgs, deterministic: false, signature: signature) { _, _ in
            throw LocusError(
                code: .notImplemented,
                message:
                    "ArangoSearch function '\(name)' is designed to be used only within a corresponding SEARCH statement of ArangoSearch view. Please ensure function signature is correct."
            )
        }
    }

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
