// Answers `FOR d IN view SEARCH condition`: reads the condition's document accesses as
// ArangoSearch does (a field compared with a value, IN, ranges, EXISTS, PHRASE, STARTS_WITH,
// LIKE, LEVENSHTEIN_MATCH, NGRAM_MATCH, MINHASH_MATCH, MIN_MATCH, under AND, OR and NOT, with
// ANALYZER and BOOST setting the analyzer and weight of what they enclose), finds the matching
// documents in the view's entries, scores each match with the scorers the query asked for
// (BM25, TF-IDF) by ArangoSearch's formulas, and answers OFFSET_INFO from the terms each was
// found by. Parts of the condition that do not read the document are evaluated once as values:
// true matches everything, false nothing.

import LocusAnalysis
import LocusErrors
import LocusFunctions
import LocusPlanner
import LocusSyntax
import LocusStorage
import LocusValues

/// A document of a view: its collection's id and its key.
struct DocRef: Hashable {
    var coll: Int
    var key: String
}

/// One search of a view for one input row.
final class ViewSearcher {
    /// The matching documents, each with one score per scorer.
    typealias Matches = [DocRef: [Double]]

    let executor: QueryExecutor
    let scan: ViewScan
    let view: ViewInfo
    let collections: [CollectionInfo]
    var registers: [Value]
    var storage: Storage { executor.storage }
    /// How many documents have a field and how many tokens they hold in it, per (field,
    /// analyzer); read once a search.
    var fieldTotals: [String: (docs: Int, tokens: Int)] = [:]
    /// The terms each document was found by, when the query asks for OFFSET_INFO.
    var hits: [DocRef: Set<Hit>] = [:]

    /// A term a document was found by.
    struct Hit: Hashable {
        var path: String
        var analyzer: String
        var term: String
    }

    init(executor: QueryExecutor, scan: ViewScan, registers: [Value]) throws {
        self.executor = executor
        self.scan = scan
        self.registers = registers
        guard let view = try executor.storage.view(scan.view) else {
            throw LocusError(.dataSourceNotFound, scan.view)
        }
        self.view = view
        collections = scan.collections.compactMap { executor.storage.collection($0) }
    }

    /// OFFSET_INFO(d, paths) of a document found: for each path (in the order asked) where
    /// terms it was found by lie, `{name: [path segments], offsets: [[start, length], …]}` in
    /// UTF-8 bytes, from analyzers with the `offset` feature, as ArangoSearch answers it.
    func offsetInfo(_ doc: DocRef, paths: [String]) throws -> Value {
        guard let found = hits[doc], !found.isEmpty else { return [] }
        var byPath: [String: [[Int]]] = [:]
        for entry in try storage.viewEntries(view, collection: doc.coll, key: doc.key) {
            guard case .token(let path, let analyzer, let term, _, let start, let end) = entry, paths.contains(path),
                found.contains(Hit(path: path, analyzer: analyzer, term: term)),
                try storage.searchAnalyzer(analyzer)?.definition.features.contains("offset") ?? false
            else { continue }
            byPath[path, default: []].append([start, end - start])
        }
        return .array(
            paths.compactMap { path in
                guard let offsets = byPath[path] else { return nil }
                let sorted = Set(offsets).sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
                return [
                    "name": .array(path.split(separator: ".").map { .string(String($0)) }),
                    "offsets": .array(sorted.map { .array($0.map { .int($0) }) }),
                ]
            })
    }

    /// The matching documents with their scores, in collection then key order.
    func run() throws -> [(DocRef, [Double])] {
        let matches = try scan.search.map { try search($0, analyzer: "identity", boost: 1) } ?? everything()
        let order = Dictionary(uniqueKeysWithValues: collections.enumerated().map { ($1.id, $0) })
        return matches.filter { order[$0.key.coll] != nil }.sorted {
            let (a, b) = (order[$0.key.coll]!, order[$1.key.coll]!)
            return a != b ? a < b : $0.key.key < $1.key.key
        }.map { ($0.key, $0.value) }
    }

    var noScores: [Double] { Array(repeating: 0, count: scan.scorers.count) }

    /// Every document of the searched collections, unscored.
    func everything() throws -> Matches {
        var out: Matches = [:]
        for c in collections { for key in try storage.documentKeys(c) { out[DocRef(coll: c.id, key: key)] = noScores } }
        return out
    }

    // MARK: The condition

    func unsupported(_ what: String) -> LocusError {
        LocusError(code: .queryParse, message: "unsupported SEARCH condition: \(what)")
    }

    func value(_ e: BoundExpr) throws -> Value { try executor.evaluator.evaluate(e, &registers) }

    /// Whether `e` reads the view's document.
    func readsDocument(_ e: BoundExpr) -> Bool { e.variablesUsed.contains(scan.outSlot) }

    /// The field path of `d.a.b`, `d["a"]` or `d.a[2]`, or nil.
    func fieldPath(_ e: BoundExpr) -> String? {
        switch e {
        case .attribute(.variable(let v), let name) where v == scan.outSlot: return name
        case .attribute(let base, let name): return fieldPath(base).map { $0 + "." + name }
        case .index(.variable(let v), .constant(.string(let name))) where v == scan.outSlot: return name
        case .index(let base, .constant(.string(let name))): return fieldPath(base).map { $0 + "." + name }
        case .index(let base, .constant(.number(let n))) where n >= 0 && n == n.rounded():
            return fieldPath(base).map { $0 + "[\(Int(n))]" }
        default: return nil
        }
    }

    func search(_ e: BoundExpr, analyzer: String, boost: Double) throws -> Matches {
        guard readsDocument(e) else { return try value(e).isTruthy ? everything() : [:] }
        switch e {
        case .binary(.and, let a, let b):
            let left = try search(a, analyzer: analyzer, boost: boost)
            if left.isEmpty { return [:] }
            let right = try search(b, analyzer: analyzer, boost: boost)
            return left.reduce(into: Matches()) { out, m in
                if let r = right[m.key] { out[m.key] = zip(m.value, r).map(+) }
            }
        case .binary(.or, let a, let b):
            return union([
                try search(a, analyzer: analyzer, boost: boost), try search(b, analyzer: analyzer, boost: boost),
            ])
        case .unary(.not, let a):
            return try complement(search(a, analyzer: analyzer, boost: boost))
        case .binary(let op, let a, let b):
            return try comparison(op, a, b, analyzer: analyzer, boost: boost)
        case .arrayComparison(let q, .eq, let values, let field) where !readsDocument(values):
            let each = try arrayValues(values).map { try equal(field, $0, analyzer: analyzer, boost: boost) }
            switch q {
            case .any: return union(each)
            case .all: return intersection(each)
            case .none: return try complement(union(each))
            default: throw unsupported("quantifier")
            }
        case .call(let f, let args):
            return try call(f.name, args, analyzer: analyzer, boost: boost)
        default:
            throw unsupported(ExprPrinter(names: [:]).print(e))
        }
    }

    func arrayValues(_ e: BoundExpr) throws -> [Value] {
        let v = try value(e)
        guard case .array(let xs) = v else { return [v] }
        return xs
    }

    func union(_ parts: [Matches]) -> Matches {
        var out: Matches = [:]
        for part in parts {
            for (doc, scores) in part { out[doc] = out[doc].map { zip($0, scores).map(+) } ?? scores }
        }
        return out
    }

    func intersection(_ parts: [Matches]) -> Matches {
        guard var out = parts.first else { return [:] }
        for part in parts.dropFirst() {
            out = out.reduce(into: Matches()) { acc, m in
                if let r = part[m.key] { acc[m.key] = zip(m.value, r).map(+) }
            }
        }
        return out
    }

    func complement(_ m: Matches) throws -> Matches {
        try everything().filter { m[$0.key] == nil }
    }

    /// `field op value` (either side may be the field).
    func comparison(_ op: BinaryOperator, _ a: BoundExpr, _ b: BoundExpr, analyzer: String, boost: Double) throws
        -> Matches
    {
        var op = op
        var (field, other) = (a, b)
        if fieldPath(a) == nil, fieldPath(b) != nil {
            (field, other) = (b, a)
            switch op {
            case .lt: op = .gt
            case .le: op = .ge
            case .gt: op = .lt
            case .ge: op = .le
            case .eq, .ne: break
            default: throw unsupported("\(op.rawValue) with the field on its right")
            }
        }
        guard let path = fieldPath(field), !readsDocument(other) else {
            throw unsupported("comparison of two expressions that both read the document")
        }
        switch op {
        case .eq: return try equal(field, try value(other), analyzer: analyzer, boost: boost)
        case .ne: return try complement(equal(field, try value(other), analyzer: analyzer, boost: boost))
        case .lt, .le, .gt, .ge:
            let v = try value(other)
            let bound = (v, inclusive: op == .le || op == .ge)
            let upward = op == .gt || op == .ge
            return try range(
                path, from: upward ? bound : nil, to: upward ? nil : bound, analyzer: analyzer, boost: boost)
        case .in, .notIn:
            var found: Matches
            if case .range(let lo, let hi) = other {
                found = try range(
                    path, from: (try value(lo), true), to: (try value(hi), true), analyzer: analyzer, boost: boost)
            } else {
                found = union(try arrayValues(other).map { try equal(field, $0, analyzer: analyzer, boost: boost) })
            }
            return op == .in ? found : try complement(found)
        case .like, .notLike:
            let found = try like(path, pattern: try value(other).toStringValue, analyzer: analyzer, boost: boost)
            return op == .like ? found : try complement(found)
        default:
            throw unsupported("operator \(op.rawValue)")
        }
    }

    /// `field == v`: a term of the current analyzer for a string, a typed value otherwise.
    func equal(_ field: BoundExpr, _ v: Value, analyzer: String, boost: Double) throws -> Matches {
        guard let path = fieldPath(field) else { throw unsupported("a comparison without a document field") }
        switch v {
        case .string(let s): return try term(path, analyzer: analyzer, term: s, boost: boost)
        case .null, .bool, .number:
            return try values(SearchKey.values(path: path, from: (v, true), to: (v, true)), path: path, boost: boost)
        default: return [:]
        }
    }
}
