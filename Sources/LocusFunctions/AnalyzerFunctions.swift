// ArangoSearch's functions that run an analyzer outside a search too (TOKENS over text or nested
// arrays of text; NGRAM_MATCH and MINHASH_MATCH over two strings), and those only a view
// search answers (EXISTS, PHRASE, the scorers BM25 and TFIDF, and OFFSET_INFO). Analyzer names
// are resolved here: a built-in name (also as `::name` or `_system::name`), or a custom
// analyzer of the query's database through the function environment. A database prefix is
// dropped: each database is a file of its own, so a query reaches only its own database's
// analyzers.

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
        // Outside SEARCH: the n-gram LCS of two strings by an ngram analyzer, against a threshold.
        FunctionDefinition("NGRAM_MATCH", 2, 4, signature: "NGRAM_MATCH(value, target, threshold, analyzer)") {
            a, env in
            guard case .string(let value) = a[0], case .string(let target) = a[1] else {
                return Args.invalid("NGRAM_MATCH", env)
            }
            var rest = Array(a.dropFirst(2))
            var name = "identity"
            if case .string(let s)? = rest.last {
                name = s
                rest.removeLast()
            }
            let threshold = rest.first.map { $0.numberValue ?? .nan } ?? 0.7
            guard threshold > 0, threshold <= 1 else { return Args.invalid("NGRAM_MATCH", env) }
            let analyzer = try resolve(name, env)
            let grams = analyzer.tokens(target)
            guard !grams.isEmpty else { return .bool(false) }
            let common = TextDistance.longestCommonSubsequence(analyzer.tokens(value), grams)
            return .bool(Double(common) / Double(grams.count) >= threshold)
        },
        // Outside SEARCH: the share of the target's minhash tokens the value's tokens hold.
        FunctionDefinition("MINHASH_MATCH", 3, 4, signature: "MINHASH_MATCH(value, target, threshold, analyzer)") {
            a, env in
            guard case .string(let value) = a[0], case .string(let target) = a[1], let threshold = a[2].numberValue,
                threshold > 0, threshold <= 1, let name = a.count > 3 ? a[3].stringValue : "identity"
            else { return Args.invalid("MINHASH_MATCH", env) }
            let analyzer = try resolve(name, env)
            let wanted = Set(analyzer.tokens(target))
            guard !wanted.isEmpty else { return .bool(false) }
            let held = wanted.intersection(analyzer.tokens(value)).count
            return .bool(Double(held) / Double(wanted.count) >= threshold)
        },
        searchOnly("EXISTS", 1, 3, "EXISTS(path, type, analyzer)"),
        searchOnly("PHRASE", 2, nil, "PHRASE(path, phrasePart, analyzer)"),
        searchOnly("BM25", 1, nil, "BM25(doc, k, b)"),
        searchOnly("TFIDF", 1, nil, "TFIDF(doc, normalize)"),
        searchOnly("OFFSET_INFO", 2, 2, "OFFSET_INFO(doc, paths)"),
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
        let short = AnalyzerDefinition.shortName(name)
        let database = name.count > short.count ? String(name.dropLast(short.count + 2)) : ""
        if database.isEmpty || database == "_system", let builtIn = Analyzer.builtIn(short) { return builtIn }
        if let custom = try env.analyzer(named: short) { return custom }
        throw AnalyzerDefinition.notFound(name)
    }

    private static func tokens(_ input: Value, _ analyzer: Analyzer, _ env: FunctionEnvironment) throws -> Value {
        switch input {
        case .string(let s): return .array(analyzer.tokens(s).map { .string($0) })
        case .array(let xs): return .array(try xs.map { try tokens($0, analyzer, env) })
        default: return Args.invalid("TOKENS", env)
        }
    }
}
