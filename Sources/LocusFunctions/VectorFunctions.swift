// Vector functions: Macrometa's L2, DOT_PRODUCT, COSINE_SIM, VECTOR_* and SIMILAR_TO_ARRAY,
// and ArangoDB 3.12's COSINE_SIMILARITY, L1_DISTANCE and L2_DISTANCE (which also take a
// matrix, an array of vectors, on either side and then answer per row). Vectors are arrays of
// numbers of equal length; anything else warns 1542 and yields null.

#if canImport(Glibc)
import Glibc
#endif
import LocusErrors
import LocusValues

enum VectorFunctions {
    static func vector(_ v: Value) -> [Double]? {
        guard case .array(let a) = v, !a.isEmpty else { return nil }
        var out: [Double] = []
        out.reserveCapacity(a.count)
        for e in a {
            guard case .number(let n) = e else { return nil }
            out.append(n)
        }
        return out
    }

    static func dot(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }
    static func norm(_ x: [Double]) -> Double { sqrt(dot(x, x)) }
    static func l2(_ x: [Double], _ y: [Double]) -> Double {
        sqrt(zip(x, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
    }
    static func l1(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).reduce(0) { $0 + abs($1.0 - $1.1) } }
    static func cosine(_ x: [Double], _ y: [Double]) -> Double? {
        let n = norm(x) * norm(y)
        return n == 0 ? nil : dot(x, y) / n
    }

    /// A function of two equal-length vectors.
    static func pairwise(_ name: String, _ f: @escaping @Sendable ([Double], [Double]) -> Double?) -> FunctionDefinition
    {
        FunctionDefinition(name, 2, 2, signature: "\(name)(vector1, vector2)") { a, env in
            guard let x = vector(a[0]), let y = vector(a[1]), x.count == y.count, let r = f(x, y) else {
                return Args.invalid(name, env)
            }
            return .num(r)
        }
    }

    /// ArangoDB's distance functions: vector against vector, or against each row of a matrix.
    static func rowwise(_ name: String, _ f: @escaping @Sendable ([Double], [Double]) -> Double?) -> FunctionDefinition
    {
        FunctionDefinition(name, 2, 2, signature: "\(name)(x, y)") { a, env in
            if let x = vector(a[0]), let y = vector(a[1]) {
                guard x.count == y.count, let r = f(x, y) else { return Args.invalid(name, env) }
                return .num(r)
            }
            let (single, rows) = vector(a[0]) != nil ? (a[0], a[1]) : (a[1], a[0])
            guard let v = vector(single), case .array(let matrix) = rows, !matrix.isEmpty else {
                return Args.invalid(name, env)
            }
            var out: [Value] = []
            for row in matrix {
                guard let r = vector(row), r.count == v.count, let d = f(v, r) else { return Args.invalid(name, env) }
                out.append(.num(d))
            }
            return .array(out)
        }
    }

    static func elementwise(_ name: String, _ f: @escaping @Sendable (Double, Double) -> Double) -> FunctionDefinition {
        FunctionDefinition(name, 2, 2, signature: "\(name)(vector1, vector2)") { a, env in
            guard let x = vector(a[0]), let y = vector(a[1]), x.count == y.count else { return Args.invalid(name, env) }
            return .array(zip(x, y).map { .num(f($0, $1)) })
        }
    }

    static let rows: [FunctionDefinition] = [
        pairwise("L2", l2),
        pairwise("DOT_PRODUCT") { dot($0, $1) },
        pairwise("COSINE_SIM", cosine),
        rowwise("L2_DISTANCE", l2),
        rowwise("L1_DISTANCE", l1),
        rowwise("COSINE_SIMILARITY", cosine),
        FunctionDefinition("VECTOR_ADD", 2, nil, signature: "VECTOR_ADD(vector1, vector2, ...)") { a, env in
            guard var sum = vector(a[0]) else { return Args.invalid("VECTOR_ADD", env) }
            for v in a.dropFirst() {
                guard let x = vector(v), x.count == sum.count else { return Args.invalid("VECTOR_ADD", env) }
                for i in sum.indices { sum[i] += x[i] }
            }
            return .array(sum.map { .num($0) })
        },
        elementwise("VECTOR_SUBTRACT", -),
        elementwise("VECTOR_MULTIPLY", *),
        FunctionDefinition("VECTOR_DIVIDE", 2, 2, signature: "VECTOR_DIVIDE(vector1, vector2)") { a, env in
            guard let x = vector(a[0]), let y = vector(a[1]), x.count == y.count else {
                return Args.invalid("VECTOR_DIVIDE", env)
            }
            guard !y.contains(0) else {
                env.warn(.divisionByZero, ErrorCode.divisionByZero.format([]))
                return .null
            }
            return .array(zip(x, y).map { .num($0 / $1) })
        },
        FunctionDefinition("VECTOR_NORMALIZE", 1, 1, signature: "VECTOR_NORMALIZE(vector)") { a, env in
            guard let x = vector(a[0]), norm(x) > 0 else { return Args.invalid("VECTOR_NORMALIZE", env) }
            let n = norm(x)
            return .array(x.map { .num($0 / n) })
        },
        FunctionDefinition("SIMILAR_TO_ARRAY", 3, 4, signature: "SIMILAR_TO_ARRAY(vector, vectors, metric, limit)") {
            a, env in
            let name = "SIMILAR_TO_ARRAY"
            guard let q = vector(a[0]), case .array(let candidates) = a[1], case .string(let metric) = a[2] else {
                return Args.invalid(name, env)
            }
            let limit = a.count > 3 ? a[3].toNumber : 100
            guard limit >= 0, limit.isFinite else { return Args.invalid(name, env) }
            let score: ([Double]) -> Double?
            let ascending: Bool
            switch metric.lowercased() {
            case "l2": (score, ascending) = ({ l2(q, $0) }, true)
            case "ip": (score, ascending) = ({ dot(q, $0) }, false)
            case "cosine": (score, ascending) = ({ cosine(q, $0) }, false)
            default: return Args.invalid(name, env)
            }
            var scored: [(Int, Double)] = []
            for (i, c) in candidates.enumerated() {
                guard let v = vector(c), v.count == q.count else { return Args.invalid(name, env) }
                if let s = score(v) { scored.append((i, s)) }
            }
            scored.sort { ascending ? ($0.1, $0.0) < ($1.1, $1.0) : ($0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0)) }
            return .array(scored.prefix(Int(limit)).map { ["id": .int($0.0), "score": .num($0.1)] })
        },
    ]
}
