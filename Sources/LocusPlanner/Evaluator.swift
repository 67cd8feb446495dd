// Evaluates bound expressions with AQL's semantics: arithmetic through TO_NUMBER with
// division by zero giving null and warning 1562, short-circuit logic returning operand
// values, type-strict comparison, IN, LIKE, regex, ranges, quantifiers, expansions and
// subqueries. The planner uses it for constant folding; the executors for every row.

import LocusErrors
import LocusFunctions
import LocusSyntax
import LocusValues

/// Runs subquery plans for the evaluator.
public protocol SubqueryRunner: AnyObject {
    func runSubquery(_ plan: Plan, registers: inout [Value]) throws -> [Value]
}

/// The expression evaluator.
public final class Evaluator {
    /// The environment (a query executor, or the folder's recorder) owns its evaluator and
    /// outlives it; `unowned(unsafe)` spares an atomic reference count on every call.
    public unowned(unsafe) let environment: FunctionEnvironment
    /// The executor that owns this evaluator runs its subqueries. Not `weak`: a weak reference
    /// would give the executor a side table and slow every reference count on the hot path.
    public unowned(unsafe) var subqueries: SubqueryRunner?
    /// The largest range or expansion result allowed (the memory guard).
    public var maxRangeLength = 10_000_000

    public init(environment: FunctionEnvironment) {
        self.environment = environment
    }

    static let likeFunction = FunctionRegistry.lookup("LIKE")!
    static let regexFunction = FunctionRegistry.lookup("REGEX_TEST")!

    public func evaluate(_ e: BoundExpr, _ r: inout [Value]) throws -> Value {
        switch e {
        case .constant(let v): return v
        case .variable(let s): return r[s]
        case .attribute(let base, let name):
            // Walk nested accesses without copying intermediate objects where possible.
            if case .variable(let s) = base { return r[s][attribute: name] }
            return try evaluate(base, &r)[attribute: name]
        case .index(let base, let idx):
            let b = try evaluate(base, &r)
            let i = try evaluate(idx, &r)
            switch (b, i) {
            case (.array, .number(let n)): return b[index: n.clampedInt]
            case (.array, .string(let s)):
                if let n = Value.parseNumericString(s), n == n.rounded() { return b[index: n.clampedInt] }
                return .null
            case (.object(let o), _): return o[i.toStringValue] ?? .null
            default: return .null
            }
        case .array(let xs):
            var out: [Value] = []
            out.reserveCapacity(xs.count)
            for x in xs { out.append(try evaluate(x, &r)) }
            return .array(out)
        case .record(let keys, let values):
            // Every object of a literal shares the literal's array of (distinct) names.
            var evaluated: [Value] = []
            evaluated.reserveCapacity(values.count)
            for v in values { evaluated.append(try evaluate(v, &r)) }
            return .object(Object(uniqueKeys: keys, values: evaluated))
        case .object(let members):
            var o = Object(minimumCapacity: members.count)
            for (k, v) in members {
                let name: String
                switch k {
                case .fixed(let n): name = n
                case .computed(let ke):
                    let kv = try evaluate(ke, &r)
                    name = kv.toStringValue
                }
                o[name] = try evaluate(v, &r)
            }
            return .object(o)
        case .unary(let op, let x):
            let v = try evaluate(x, &r)
            switch op {
            case .not: return .bool(!v.isTruthy)
            case .minus: return .num(-v.toNumber)
            case .plus: return .num(v.toNumber)
            }
        case .binary(let op, let a, let b):
            return try binary(op, a, b, &r)
        case .ternary(let c, let a, let b):
            let cv = try evaluate(c, &r)
            if cv.isTruthy { return try a.map { try evaluate($0, &r) } ?? cv }
            return try evaluate(b, &r)
        case .range(let a, let b):
            let lo = try evaluate(a, &r).toNumber.clampedInt
            let hi = try evaluate(b, &r).toNumber.clampedInt
            return .array(try range(lo, hi))
        case .call(let f, let args):
            var vs: [Value] = []
            vs.reserveCapacity(args.count)
            for a in args { vs.append(try evaluate(a, &r)) }
            return try f.call(vs, environment)
        case .arrayComparison(let q, let op, let a, let b):
            let lhs = try evaluate(a, &r)
            let rhs = try evaluate(b, &r)
            guard case .array(let items) = lhs else { return .bool(false) }
            var hits = 0
            for item in items where try compareOp(op, item, rhs) { hits += 1 }
            return .bool(try quantifierHolds(q, hits: hits, total: items.count, &r))
        case .expansion(let x):
            return try expand(x, &r)
        case .questionMark(let source, let slot, let q, let filter):
            guard case .array(let items) = try evaluate(source, &r) else { return .bool(false) }
            let saved = r[slot]
            defer { r[slot] = saved }
            var hits = 0
            for item in items {
                r[slot] = item
                if try filter.map({ try evaluate($0, &r).isTruthy }) ?? true { hits += 1 }
            }
            return .bool(try quantifierHolds(q, hits: hits, total: items.count, &r))
        case .subquery(let p):
            guard let runner = subqueries else { throw LocusError(.internalError, "subquery outside of execution") }
            return .array(try runner.runSubquery(p, registers: &r))
        }
    }

    func range(_ lo: Int, _ hi: Int) throws -> [Value] {
        let n = lo <= hi ? hi.subtractingReportingOverflow(lo) : lo.subtractingReportingOverflow(hi)
        if n.overflow || n.partialValue >= maxRangeLength {
            throw LocusError(
                code: .resourceLimit,
                message: "resource limit exceeded: the range \(lo)..\(hi) has more than "
                    + "\(maxRangeLength) elements, the most an array value may hold (a FOR over a range has no limit)")
        }
        if lo <= hi { return (lo...hi).map { .number(Double($0)) } }
        return (hi...lo).reversed().map { .number(Double($0)) }
    }

    func quantifierHolds(_ q: BoundQuantifier, hits: Int, total: Int, _ r: inout [Value]) throws -> Bool {
        switch q {
        case .all: return hits == total
        case .any: return hits > 0
        case .none: return hits == 0
        case .atLeast(let e): return try hits >= evaluate(e, &r).toNumber.clampedInt
        case .exactly(let e): return try hits == evaluate(e, &r).toNumber.clampedInt
        case .between(let a, let b):
            let lo = try evaluate(a, &r).toNumber.clampedInt
            let hi = try evaluate(b, &r).toNumber.clampedInt
            return hits >= lo && hits <= hi
        }
    }

    func expand(_ x: BoundExpansion, _ r: inout [Value]) throws -> Value {
        guard case .array(let items) = try evaluate(x.source, &r) else { return .array([]) }
        let saved = r[x.slot]
        defer { r[x.slot] = saved }
        var skip = try x.offset.map { try evaluate($0, &r).toNumber.clampedInt } ?? 0
        var remaining = try x.count.map { try evaluate($0, &r).toNumber.clampedInt } ?? Int.max
        var out: [Value] = []
        for item in items {
            if remaining <= 0 { break }
            r[x.slot] = item
            if let f = x.filter, !(try evaluate(f, &r).isTruthy) { continue }
            if skip > 0 { skip -= 1; continue }
            remaining -= 1
            out.append(try x.projection.map { try evaluate($0, &r) } ?? item)
        }
        // [**], [***] … flatten the expansion's result by one level per extra star.
        for _ in 1..<max(1, x.levels) {
            out = out.flatMap { v -> [Value] in if case .array(let a) = v { return a } else { return [v] } }
        }
        return .array(out)
    }

    func compareOp(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Bool {
        switch op {
        case .eq: return a.compare(b) == 0
        case .ne: return a.compare(b) != 0
        case .lt: return a.compare(b) < 0
        case .le: return a.compare(b) <= 0
        case .gt: return a.compare(b) > 0
        case .ge: return a.compare(b) >= 0
        case .in: return Evaluator.contains(b, a)
        // As ArangoDB: against a non-array, IN and NOT IN are both false.
        case .notIn: if case .array = b { return !Evaluator.contains(b, a) } else { return false }
        default: return false
        }
    }

    /// `needle IN haystack`: false when the haystack is not an array.
    public static func contains(_ haystack: Value, _ needle: Value) -> Bool {
        guard case .array(let a) = haystack else { return false }
        for x in a where x.compare(needle) == 0 { return true }
        return false
    }

    func binary(_ op: BinaryOperator, _ a: BoundExpr, _ b: BoundExpr, _ r: inout [Value]) throws -> Value {
        switch op {
        case .and:
            let l = try evaluate(a, &r)
            return l.isTruthy ? try evaluate(b, &r) : l
        case .or:
            let l = try evaluate(a, &r)
            return l.isTruthy ? l : try evaluate(b, &r)
        default: break
        }
        let l = try evaluate(a, &r)
        let rv = try evaluate(b, &r)
        switch op {
        case .eq, .ne, .lt, .le, .gt, .ge, .in, .notIn:
            return .bool(try compareOp(op, l, rv))
        case .like: return try Evaluator.likeFunction.call([l, rv], environment)
        case .notLike: return .bool(!(try Evaluator.likeFunction.call([l, rv], environment).isTruthy))
        case .regex: return try Evaluator.regexFunction.call([l, rv], environment)
        case .notRegex:
            let m = try Evaluator.regexFunction.call([l, rv], environment)
            return m.isNull ? .null : .bool(!m.isTruthy)
        case .add: return .num(l.toNumber + rv.toNumber)
        case .sub: return .num(l.toNumber - rv.toNumber)
        case .mul: return .num(l.toNumber * rv.toNumber)
        case .div:
            let d = rv.toNumber
            if d == 0 { environment.warn(.divisionByZero, ErrorCode.divisionByZero.template); return .null }
            return .num(l.toNumber / d)
        case .mod:
            let d = rv.toNumber
            if d == 0 { environment.warn(.divisionByZero, ErrorCode.divisionByZero.template); return .null }
            return .num(l.toNumber.truncatingRemainder(dividingBy: d))
        case .and, .or: fatalError("handled above")
        }
    }
}
