// Read-only visits of the expressions in plans: each direct sub-expression of an expression,
// and each expression of a node, in the order `map` and `mapExpressions` apply their function.
// A question about a plan (which attributes a variable is read through, whether a subquery or
// a data read appears) walks with these instead of rebuilding every node and expression it
// looks at, which `map` must do to hand back a tree.

extension BoundExpr {
    /// Calls `body` on each direct sub-expression (those `map` would rewrite).
    func forEachChild(_ body: (BoundExpr) -> Void) {
        switch self {
        case .constant, .variable, .subquery: break
        case .attribute(let e, _), .unary(_, let e): body(e)
        case .index(let a, let b), .binary(_, let a, let b), .range(let a, let b):
            body(a)
            body(b)
        case .array(let xs), .record(_, let xs), .call(_, let xs): for x in xs { body(x) }
        case .object(let ms):
            for (k, v) in ms {
                if case .computed(let e) = k { body(e) }
                body(v)
            }
        case .ternary(let c, let a, let b):
            body(c)
            if let a { body(a) }
            body(b)
        case .arrayComparison(let q, _, let a, let b):
            q.forEachExpression(body)
            body(a)
            body(b)
        case .expansion(let x):
            body(x.source)
            if let e = x.filter { body(e) }
            if let e = x.offset { body(e) }
            if let e = x.count { body(e) }
            if let e = x.projection { body(e) }
        case .questionMark(let s, _, let q, let f):
            body(s)
            q.forEachExpression(body)
            if let f { body(f) }
        }
    }
}

extension BoundQuantifier {
    /// Calls `body` on the quantifier's count expressions (AT LEAST, EXACTLY, BETWEEN).
    func forEachExpression(_ body: (BoundExpr) -> Void) {
        switch self {
        case .all, .any, .none: break
        case .atLeast(let e), .exactly(let e): body(e)
        case .between(let a, let b):
            body(a)
            body(b)
        }
    }
}

extension NodeKind {
    /// Calls `body` on each of the node's expressions (those `mapExpressions` would rewrite).
    func forEachExpression(_ body: (BoundExpr) -> Void) {
        switch self {
        case .singleton, .noResults, .limit, .subquery, .indexCollect, .enumerateView: break
        case .enumerateCollection(let a): if let f = a.filter { body(f) }
        case .index(let x):
            if let f = x.access.filter { body(f) }
            switch x.lookup {
            case .primary(let e, _), .edge(_, let e, _): body(e)
            case .persistent(let p, let lo, let hi):
                for (e, _) in p { body(e) }
                if let lo { body(lo.0) }
                if let hi { body(hi.0) }
            case .geo(let lat, let lon, let r, _):
                body(lat)
                body(lon)
                if let r { body(r) }
            }
        case .enumerateList(let e, _): body(e)
        case .traversal(let t):
            body(t.start)
            if let p = t.prune { body(p) }
            for c in t.conditions { body(c.condition) }
        case .shortestPath(let sp):
            body(sp.start)
            body(sp.target)
        case .enumeratePaths(let ep):
            body(ep.start)
            body(ep.target)
        case .calculation(_, let e), .filter(let e), .returnValue(let e, _): body(e)
        case .sort(let els, _): for el in els { body(el.expr) }
        case .collect(let c):
            for g in c.groups { body(g.expr) }
            for a in c.aggregates { if let e = a.argument { body(e) } }
            if let e = c.intoExpr { body(e) }
        case .window(let w):
            if let e = w.rangeExpr { body(e) }
            for a in w.aggregates { if let e = a.argument { body(e) } }
        case .modification(let m):
            if let e = m.document { body(e) }
            if let e = m.key { body(e) }
            if let e = m.upsertSearch { body(e) }
        }
    }
}
