// Binding of expressions: names to registers, bind parameters to values, calls to registry
// entries with their argument counts checked, and subqueries to plans.

import LocusErrors
import LocusFunctions
import LocusSyntax
import LocusValues

extension Binder {
    func bindExpr(_ e: Expr) throws -> BoundExpr {
        switch e.kind {
        case .null: return .constant(.null)
        case .bool(let b): return .constant(.bool(b))
        case .number(let n):
            if !n.isFinite {
                warnings.append((ErrorCode.numberOutOfRange.number, ErrorCode.numberOutOfRange.template))
                return .constant(.null)
            }
            return .constant(.number(n))
        case .string(let s): return .constant(.string(s))
        case .array(let xs): return .array(try xs.map { try bindExpr($0) })
        case .object(let members):
            var out: [(BoundExpr.ObjectKey, BoundExpr)] = []
            for m in members {
                switch m {
                case .named(let n, let v): out.append((.fixed(n), try bindExpr(v)))
                case .computed(let k, let v): out.append((.computed(try bindExpr(k)), try bindExpr(v)))
                case .bind(let n, let v):
                    guard case .string(let name) = try bindValue(n, at: v.position) else {
                        throw LocusError(.bindParameterType, n, at: v.position)
                    }
                    out.append((.fixed(name), try bindExpr(v)))
                case .shorthand(let n, let p):
                    guard let slot = lookup(n) else {
                        throw LocusError(
                            code: .variableNameUnknown, message: "use of unknown variable '\(n)' in object literal",
                            position: p)
                    }
                    out.append((.fixed(n), .variable(slot)))
                }
            }
            // Fixed, distinct names (the usual literal) need no duplicate checks when built.
            var names: [String] = []
            for (k, _) in out { if case .fixed(let n) = k { names.append(n) } }
            if names.count == out.count && Set(names).count == names.count {
                return .record(names, out.map(\.1))
            }
            return .object(out)
        case .variable(let n):
            if let slot = lookup(n) { return .variable(slot) }
            if catalog.collection(n) != nil { throw LocusError(.collectionUsedInExpression, n, at: e.position) }
            throw LocusError(.variableNameUnknown, n, at: e.position)
        case .bindValue(let n):
            return try bindParameterExpr(n, at: e.position)
        case .bindCollection(let n):
            let c = try resolveCollection(.bind(n, e.position))
            throw LocusError(.collectionUsedInExpression, c.name, at: e.position)
        case .attribute(let base, let n):
            return .attribute(try bindExpr(base), n)
        case .attributeBind(let base, let n):
            var b = try bindExpr(base)
            switch try bindValue(n, at: e.position) {
            case .string(let s): return .attribute(b, s)
            case .array(let parts) where !parts.isEmpty && parts.allSatisfy({ $0.stringValue != nil }):
                for p in parts { b = .attribute(b, p.stringValue!) }
                return b
            default: throw LocusError(.bindParameterType, n, at: e.position)
            }
        case .index(let base, let i):
            return .index(try bindExpr(base), try bindExpr(i))
        case .expansion(let x):
            let src = try bindExpr(x.source)
            levels.append(Level(isTopLevel: false))
            defer { levels.removeLast() }
            let slot = try declare(x.variable, at: e.position, special: true)
            return .expansion(
                BoundExpansion(
                    source: src, slot: slot, levels: x.levels,
                    filter: try x.filter.map { try bindExpr($0) },
                    offset: try x.limitOffset.map { try bindExpr($0) },
                    count: try x.limitCount.map { try bindExpr($0) },
                    projection: try x.projection.map { try bindExpr($0) }))
        case .questionMark(let source, let variable, let q, let filter):
            let src = try bindExpr(source)
            let quant = try bindQuantifier(q)
            levels.append(Level(isTopLevel: false))
            defer { levels.removeLast() }
            let slot = try declare(variable, at: e.position, special: true)
            return .questionMark(
                source: src, slot: slot, quantifier: quant, filter: try filter.map { try bindExpr($0) })
        case .unary(let op, let x):
            return .unary(op, try bindExpr(x))
        case .binary(let op, let a, let b):
            return .binary(op, try bindExpr(a), try bindExpr(b))
        case .arrayComparison(let q, let op, let a, let b):
            return .arrayComparison(try bindQuantifier(q), op, try bindExpr(a), try bindExpr(b))
        case .ternary(let c, let a, let b):
            return .ternary(try bindExpr(c), try a.map { try bindExpr($0) }, try bindExpr(b))
        case .range(let a, let b):
            return .range(try bindExpr(a), try bindExpr(b))
        case .call(let name, let args):
            return try bindCall(name, args, at: e.position)
        case .subquery(let q):
            return .subquery(try bindQuery(q, topLevel: false))
        }
    }

    func bindQuantifier(_ q: Quantifier) throws -> BoundQuantifier {
        switch q {
        case .all: return .all
        case .any: return .any
        case .none: return .none
        case .atLeast(let e): return .atLeast(try bindExpr(e))
        case .exactly(let e): return .exactly(try bindExpr(e))
        case .between(let a, let b): return .between(try bindExpr(a), try bindExpr(b))
        }
    }

    /// Functions whose arguments may name a collection directly (ArangoDB's `h` arguments).
    static let collectionArgumentFunctions: Set<String> = [
        "DOCUMENT", "COLLECTION_COUNT", "LENGTH", "COUNT", "FULLTEXT", "SCHEMA_GET", "NEAR", "WITHIN",
        "WITHIN_RECTANGLE", "IS_SAME_COLLECTION",
    ]
    /// Of those, the functions that only name the collection and read none of its documents.
    static let collectionNamingFunctions: Set<String> = ["IS_SAME_COLLECTION", "SCHEMA_GET"]

    func bindCall(_ name: String, _ args: [Expr], at position: SourcePosition) throws -> BoundExpr {
        if let scorer = try bindScorer(name, args, at: position) { return scorer }
        guard let f = FunctionRegistry.lookup(name) else {
            if name.containsBytes("::") {
                throw LocusError(
                    code: .functionNameUnknown, message: "user function '\(name)()' not found", position: position)
            }
            throw LocusError(.functionNameUnknown, name, at: position)
        }
        if args.count < f.minArgs || (f.maxArgs.map { args.count > $0 } ?? false) {
            throw LocusError(
                .functionArgumentNumberMismatch, f.name, String(f.minArgs), String(f.maxArgs ?? 65536), at: position)
        }
        var bound: [BoundExpr] = []
        for a in args {
            // Functions that take a collection accept its bare name or a collection bind parameter.
            var collection: String? = nil
            if Binder.collectionArgumentFunctions.contains(f.name) {
                if case .variable(let n) = a.kind, lookup(n) == nil, catalog.collection(n) != nil { collection = n }
                if case .bindCollection(let n) = a.kind {
                    collection = try resolveCollection(.bind(n, a.position)).name
                }
            }
            guard let collection else {
                bound.append(try bindExpr(a))
                continue
            }
            if !Binder.collectionNamingFunctions.contains(f.name) { try noteRead(collection, at: a.position) }
            if f.name == "LENGTH" || f.name == "COUNT" {
                return .call(FunctionRegistry.lookup("COLLECTION_COUNT")!, [.constant(.string(collection))])
            }
            bound.append(.constant(.string(collection)))
        }
        return .call(f, bound)
    }
}
