// optimize-traversals: FILTER conditions on a traversal's path (`p.vertices[n]`, `p.edges[n]`,
// and `p.vertices[*]…` or `p.edges[*]…` under ALL or NONE) are tested inside the traversal as
// each path grows, so that a path failing one is neither emitted nor extended. A condition
// that every emitted path is tested by leaves the FILTER. Output variables nothing reads (the
// edge, the path) are dropped, so that they are never built.

enum OptimizeTraversals {
    static let rule = OptimizerRule(
        name: "optimize-traversals",
        description: "prunes traversal paths early with filters on vertices, edges and paths"
    ) { plan, _ in
        var changed = false
        var defined = plan.outerVariablesUsed
        var i = 0
        while i < plan.nodes.count {
            defer { i += 1 }
            guard case .traversal(var t) = plan.nodes[i].kind else {
                defined.formUnion(plan.nodes[i].variablesSet)
                continue
            }
            if let p = t.pathSlot {
                var j = i + 1
                scan: while j < plan.nodes.count {
                    switch plan.nodes[j].kind {
                    case .filter(let condition):
                        var kept: [BoundExpr] = []
                        var moved = false
                        for c in condition.conjuncts {
                            guard let (pc, covered) = pathCondition(c, t, path: p, defined: defined) else {
                                kept.append(c)
                                continue
                            }
                            t.conditions.append(pc)
                            moved = true
                            if !covered { kept.append(c) }
                        }
                        if moved {
                            changed = true
                            if let rest = BoundExpr.and(kept) {
                                plan.nodes[j].kind = .filter(rest)
                            } else {
                                plan.nodes.remove(at: j)
                                continue scan
                            }
                        }
                    case .calculation, .subquery, .sort(_, nil), .enumerateCollection, .index, .enumerateList,
                        .traversal,
                        .shortestPath, .enumeratePaths:
                        break
                    default:
                        // Past a LIMIT, COLLECT, WINDOW or RETURN, filtering earlier would change what they see.
                        break scan
                    }
                    j += 1
                }
            }
            let later = plan.nodes[(i + 1)...].reduce(into: Set<Int>()) { $0.formUnion($1.variablesUsed) }
            let pruneReads = t.prune?.variablesUsed ?? []
            if let e = t.edgeSlot, !later.contains(e), !pruneReads.contains(e) { t.edgeSlot = nil; changed = true }
            if let p = t.pathSlot, !later.contains(p), !pruneReads.contains(p) { t.pathSlot = nil; changed = true }
            plan.nodes[i].kind = .traversal(t)
            defined.formUnion(plan.nodes[i].variablesSet)
        }
        return changed
    }

    /// The condition `c` as a test inside traversal `t`, and whether every path the traversal
    /// emits is tested by it; nil when `c` is not such a condition.
    static func pathCondition(_ c: BoundExpr, _ t: TraversalSpec, path p: Int, defined: Set<Int>) -> (
        PathCondition, Bool
    )? {
        guard c.isDeterministicDeep, !c.containsSubquery else { return nil }
        var others = c.variablesUsed
        others.remove(p)
        guard others.isSubset(of: defined) else { return nil }

        // p.vertices[*]… ALL/NONE op value: every element, including the start vertex.
        if case .arrayComparison(let q, let op, .expansion(let x), let rhs) = c,
            case .attribute(.variable(let source), let list) = x.source, source == p,
            list == "vertices" || list == "edges",
            x.levels == 1, x.filter == nil, x.offset == nil, x.count == nil, !rhs.variablesUsed.contains(p)
        {
            let test = BoundExpr.binary(op, x.projection ?? .variable(x.slot), rhs)
            let condition: BoundExpr
            switch q {
            case .all: condition = test
            case .none: condition = .unary(.not, test)
            default: return nil
            }
            guard !condition.variablesUsed.contains(p) else { return nil }
            return (
                PathCondition(
                    element: list == "vertices" ? .vertex : .edge, position: nil, condition: condition,
                    slot: x.slot, original: c), true
            )
        }

        // A condition on one position of the path: p.vertices[n]… or p.edges[n]….
        var position: (list: String, n: Int)? = nil
        var failed = false
        func rewrite(_ e: BoundExpr) -> BoundExpr {
            if failed { return e }
            if case .index(.attribute(.variable(let v), let list), .constant(.number(let n))) = e, v == p,
                list == "vertices" || list == "edges", n >= 0, n == n.rounded(), n < 1e6
            {
                if let seen = position, seen.list != list || seen.n != Int(n) { failed = true; return e }
                position = (list, Int(n))
                return .variable(t.scratchSlot)
            }
            if case .variable(let v) = e, v == p { failed = true; return e }
            return e.map(rewrite)
        }
        let rewritten = rewrite(c)
        guard !failed, let position else { return nil }
        let isVertex = position.list == "vertices"
        // Vertex n is on every emitted path when paths have at least n edges; edge n when at least n + 1.
        let covered = t.minDepth >= position.n + (isVertex ? 0 : 1)
        return (
            PathCondition(
                element: isVertex ? .vertex : .edge, position: position.n, condition: rewritten,
                slot: t.scratchSlot, original: c), covered
        )
    }
}
