// Fuzzy matching and similarity outside ArangoSearch: NGRAM_SIMILARITY and
// NGRAM_POSITIONAL_SIMILARITY (IResearch's n-gram LCS, answered in single precision as
// ArangoDB does), LEVENSHTEIN_MATCH, IN_RANGE, MIN_MATCH, the MinHash family, and the
// search-context modifiers BOOST and ANALYZER, which outside SEARCH yield their expression.

#if canImport(Glibc)
import Glibc
#endif
import LocusAnalysis
import LocusErrors
import LocusValues

enum SimilarityFunctions {
    /// The longest common subsequence of the two strings' n-grams, over the target's n-gram
    /// count; `positional` scores partly matching n-grams by their matching positions and
    /// divides by the larger count.
    static func ngramSimilarity(_ input: [Unicode.Scalar], _ target: [Unicode.Scalar], _ n: Int, positional: Bool)
        -> Double
    {
        var (lhs, rhs) = (input, target)
        if positional && lhs.count > rhs.count { swap(&lhs, &rhs) }
        let lhsCount = lhs.count >= n ? lhs.count - n + 1 : 0
        let rhsCount = rhs.count >= n ? rhs.count - n + 1 : 0
        guard lhsCount > 0, rhsCount > 0 else { return lhs == rhs ? 1 : 0 }
        var previous = [Double](repeating: 0, count: rhsCount + 1)
        var current = previous
        for i in 0..<lhsCount {
            for j in 0..<rhsCount {
                var matched = 0
                for k in 0..<n where lhs[i + k] == rhs[j + k] { matched += 1 }
                let score = positional ? Double(matched) / Double(n) : (matched == n ? 1 : 0)
                current[j + 1] = max(previous[j] + score, previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        let result = previous[rhsCount] / Double(positional ? max(lhsCount, rhsCount) : rhsCount)
        return Double(Float(result))
    }

    static func ngram(_ name: String, positional: Bool) -> FunctionDefinition {
        FunctionDefinition(name, 3, 3, signature: "\(name)(input, target, ngramSize)") { a, env in
            guard case .string(let input) = a[0], case .string(let target) = a[1], case .number(let n) = a[2] else {
                return Args.invalid(name, env)
            }
            guard n >= 1, n < 1e6 else { return Args.invalid(name, env) }
            return .number(
                ngramSimilarity(
                    Array(input.unicodeScalars), Array(target.unicodeScalars), Int(n), positional: positional))
        }
    }

    /// Damerau-Levenshtein (adjacent transpositions) or plain Levenshtein distance.
    static let rows: [FunctionDefinition] = [
        ngram("NGRAM_SIMILARITY", positional: false),
        ngram("NGRAM_POSITIONAL_SIMILARITY", positional: true),
        FunctionDefinition(
            "LEVENSHTEIN_MATCH", 3, 6,
            signature: "LEVENSHTEIN_MATCH(value, target, distance, transpositions, maxTerms, prefix)"
        ) { a, env in
            guard case .string(let value) = a[0], case .string(let target) = a[1], case .number(let limit) = a[2],
                limit >= 0
            else {
                return Args.invalid("LEVENSHTEIN_MATCH", env)
            }
            let transpositions = a.count > 3 ? a[3].isTruthy : true
            guard limit <= (transpositions ? 3 : 4) else { return Args.invalid("LEVENSHTEIN_MATCH", env) }
            var v = Array(value.unicodeScalars)
            var t = Array(target.unicodeScalars)
            if a.count > 5, case .string(let prefix) = a[5] {
                let p = Array(prefix.unicodeScalars)
                guard v.starts(with: p) else { return .bool(false) }
                v.removeFirst(p.count)
                if t.starts(with: p) { t.removeFirst(p.count) }
            }
            return .bool(TextDistance.edit(v, t, transpositions: transpositions, limit: Int(limit)) <= Int(limit))
        },
        FunctionDefinition("IN_RANGE", 5, 5, signature: "IN_RANGE(value, low, high, includeLow, includeHigh)") { a, _ in
            let low = a[0].compare(a[1]), high = a[0].compare(a[2])
            let aboveLow = a[3].isTruthy ? low >= 0 : low > 0
            let belowHigh = a[4].isTruthy ? high <= 0 : high < 0
            return .bool(aboveLow && belowHigh)
        },
        FunctionDefinition("MIN_MATCH", 2, nil, signature: "MIN_MATCH(expr1, ... exprN, minMatchCount)") { a, env in
            guard case .number(let n) = a[a.count - 1] else { return Args.invalid("MIN_MATCH", env) }
            return .bool(Double(a.dropLast().filter(\.isTruthy).count) >= n)
        },
        FunctionDefinition("BOOST", 2, 2, signature: "BOOST(expr, boost)") { a, _ in a[0] },
        FunctionDefinition("ANALYZER", 2, 2, signature: "ANALYZER(expr, analyzer)") { a, _ in a[0] },
        FunctionDefinition("MINHASH", 2, 2, signature: "MINHASH(values, numHashes)") { a, env in
            guard case .array(let values) = a[0], case .number(let k) = a[1], k >= 1, k <= 65536, k == k.rounded()
            else {
                return Args.invalid("MINHASH", env)
            }
            let items = values.map { Array($0.toStringValue.utf8) }
            return .array(MinHash.signature(of: items, count: Int(k)).map { .string($0) })
        },
        FunctionDefinition("MINHASH_COUNT", 1, 1, signature: "MINHASH_COUNT(error)") { a, env in
            guard case .number(let e) = a[0], e > 0, e < 1 else { return Args.invalid("MINHASH_COUNT", env) }
            return .number((1 / (e * e)).rounded(.up))
        },
        FunctionDefinition("MINHASH_ERROR", 1, 1, signature: "MINHASH_ERROR(numHashes)") { a, env in
            guard case .number(let k) = a[0], k >= 1 else { return Args.invalid("MINHASH_ERROR", env) }
            return .number(1 / k.squareRoot())
        },
    ]
}
