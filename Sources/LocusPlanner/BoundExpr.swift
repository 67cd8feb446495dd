// Expressions after binding: variables are register slots, bind parameters are values,
// functions are registry entries, subqueries are plans. The optimizer rewrites these and
// the executors evaluate them.

import LocusErrors
import LocusFunctions
import LocusSyntax
import LocusValues

/// A bound expression.
public indirect enum BoundExpr: Sendable {
    case constant(Value)
    case variable(Int)
    case attribute(BoundExpr, String)
    case index(BoundExpr, BoundExpr)
    case array([BoundExpr])
    case object([(ObjectKey, BoundExpr)])
    /// An object literal whose attribute names are fixed and distinct: built without lookups.
    case record([String], [BoundExpr])
    case unary(UnaryOperator, BoundExpr)
    case binary(BinaryOperator, BoundExpr, BoundExpr)
    case ternary(BoundExpr, BoundExpr?, BoundExpr)
    case range(BoundExpr, BoundExpr)
    case call(FunctionDefinition, [BoundExpr])
    case arrayComparison(BoundQuantifier, BinaryOperator, BoundExpr, BoundExpr)
    case expansion(BoundExpansion)
    case questionMark(source: BoundExpr, slot: Int, quantifier: BoundQuantifier, filter: BoundExpr?)
    case subquery(Plan)

    public enum ObjectKey: Sendable {
        case fixed(String)
        case computed(BoundExpr)
    }

    /// The registers this expression reads (subqueries included).
    public var variablesUsed: Set<Int> {
        var s = Set<Int>()
        collectVariables(into: &s)
        return s
    }

    func collectVariables(into s: inout Set<Int>) {
        switch self {
        case .constant: break
        case .variable(let v): s.insert(v)
        case .attribute(let e, _), .unary(_, let e): e.collectVariables(into: &s)
        case .index(let a, let b), .binary(_, let a, let b), .range(let a, let b):
            a.collectVariables(into: &s); b.collectVariables(into: &s)
        case .array(let xs), .record(_, let xs): for x in xs { x.collectVariables(into: &s) }
        case .object(let ms):
            for (k, v) in ms {
                if case .computed(let e) = k { e.collectVariables(into: &s) }
                v.collectVariables(into: &s)
            }
        case .ternary(let c, let a, let b):
            c.collectVariables(into: &s); a?.collectVariables(into: &s); b.collectVariables(into: &s)
        case .call(_, let args): for a in args { a.collectVariables(into: &s) }
        case .arrayComparison(let q, _, let a, let b):
            q.collectVariables(into: &s); a.collectVariables(into: &s); b.collectVariables(into: &s)
        case .expansion(let x):
            x.source.collectVariables(into: &s)
            x.filter?.collectVariables(into: &s); x.offset?.collectVariables(into: &s)
            x.count?.collectVariables(into: &s); x.projection?.collectVariables(into: &s)
            s.remove(x.slot)
        case .questionMark(let src, let slot, let q, let f):
            src.collectVariables(into: &s); q.collectVariables(into: &s); f?.collectVariables(into: &s)
            s.remove(slot)
        case .subquery(let p): s.formUnion(p.outerVariablesUsed)
        }
    }

    /// True when the value cannot change between evaluations: no variables, no subqueries,
    /// only deterministic functions.
    public var isConstant: Bool {
        switch self {
        case .constant: return true
        case .variable, .subquery: return false
        case .attribute(let e, _), .unary(_, let e): return e.isConstant
        case .index(let a, let b), .binary(_, let a, let b), .range(let a, let b): return a.isConstant && b.isConstant
        case .array(let xs), .record(_, let xs): return xs.allSatisfy(\.isConstant)
        case .object(let ms):
            return ms.allSatisfy { k, v in
                if case .computed(let e) = k, !e.isConstant { return false }
                return v.isConstant
            }
        case .ternary(let c, let a, let b): return c.isConstant && (a?.isConstant ?? true) && b.isConstant
        case .call(let f, let args): return f.deterministic && args.allSatisfy(\.isConstant)
        case .arrayComparison(let q, _, let a, let b): return q.isConstant && a.isConstant && b.isConstant
        case .expansion, .questionMark: return false
        }
    }

    public var constantValue: Value? { if case .constant(let v) = self { v } else { nil } }

    /// `var.a.b` as (var, ["a", "b"]), when the expression is such a path.
    public var attributePath: (Int, [String])? {
        switch self {
        case .variable(let v): return (v, [])
        case .attribute(let e, let name):
            guard let (v, p) = e.attributePath else { return nil }
            return (v, p + [name])
        default: return nil
        }
    }

    /// Calls `f` on each direct sub-expression and rebuilds.
    public func map(_ f: (BoundExpr) -> BoundExpr) -> BoundExpr {
        switch self {
        case .constant, .variable, .subquery: return self
        case .attribute(let e, let n): return .attribute(f(e), n)
        case .index(let a, let b): return .index(f(a), f(b))
        case .array(let xs): return .array(xs.map(f))
        case .record(let keys, let xs): return .record(keys, xs.map(f))
        case .object(let ms):
            return .object(
                ms.map { k, v in
                    if case .computed(let e) = k { return (.computed(f(e)), f(v)) }
                    return (k, f(v))
                })
        case .unary(let op, let e): return .unary(op, f(e))
        case .binary(let op, let a, let b): return .binary(op, f(a), f(b))
        case .ternary(let c, let a, let b): return .ternary(f(c), a.map(f), f(b))
        case .range(let a, let b): return .range(f(a), f(b))
        case .call(let fn, let args): return .call(fn, args.map(f))
        case .arrayComparison(let q, let op, let a, let b): return .arrayComparison(q.map(f), op, f(a), f(b))
        case .expansion(var x):
            x.source = f(x.source)
            x.filter = x.filter.map(f)
            x.offset = x.offset.map(f)
            x.count = x.count.map(f)
            x.projection = x.projection.map(f)
            return .expansion(x)
        case .questionMark(let s, let slot, let q, let fl):
            return .questionMark(source: f(s), slot: slot, quantifier: q.map(f), filter: fl.map(f))
        }
    }

    /// Splits a condition into its AND-ed parts.
    public var conjuncts: [BoundExpr] {
        if case .binary(.and, let a, let b) = self { return a.conjuncts + b.conjuncts }
        return [self]
    }

    /// Re-joins conjuncts; nil for none.
    public static func and(_ parts: [BoundExpr]) -> BoundExpr? {
        guard var e = parts.first else { return nil }
        for p in parts.dropFirst() { e = .binary(.and, e, p) }
        return e
    }
}

/// A bound `[*]`-style expansion.
public struct BoundExpansion: Sendable {
    public var source: BoundExpr
    public var slot: Int
    public var levels: Int
    public var filter: BoundExpr?
    public var offset: BoundExpr?
    public var count: BoundExpr?
    public var projection: BoundExpr?
}

/// A bound array quantifier.
public indirect enum BoundQuantifier: Sendable {
    case all, any, none
    case atLeast(BoundExpr)
    case exactly(BoundExpr)
    case between(BoundExpr, BoundExpr)

    func collectVariables(into s: inout Set<Int>) {
        switch self {
        case .all, .any, .none: break
        case .atLeast(let e), .exactly(let e): e.collectVariables(into: &s)
        case .between(let a, let b): a.collectVariables(into: &s); b.collectVariables(into: &s)
        }
    }

    var isConstant: Bool {
        switch self {
        case .all, .any, .none: true
        case .atLeast(let e), .exactly(let e): e.isConstant
        case .between(let a, let b): a.isConstant && b.isConstant
        }
    }

    func map(_ f: (BoundExpr) -> BoundExpr) -> BoundQuantifier {
        switch self {
        case .all, .any, .none: self
        case .atLeast(let e): .atLeast(f(e))
        case .exactly(let e): .exactly(f(e))
        case .between(let a, let b): .between(f(a), f(b))
        }
    }
}
