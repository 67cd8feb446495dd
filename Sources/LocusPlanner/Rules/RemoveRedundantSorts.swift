// remove-redundant-sorts: drops SORTs on constants and SORTs overridden by a later SORT with
// nothing in between that depends on the order (LIMIT, COLLECT, WINDOW, RETURN, a write).

enum RemoveRedundantSorts {
    static let rule = OptimizerRule(
        name: "remove-redundant-sorts",
        description: "removes sorts that a later sort or an earlier order makes pointless"
    ) { plan, _ in
        var changed = false
        var i = 0
        while i < plan.nodes.count {
            guard case .sort(let els, _) = plan.nodes[i].kind else { i += 1; continue }
            if els.allSatisfy({ $0.expr.isConstant }) {
                plan.nodes.remove(at: i)
                changed = true
                continue
            }
            var j = i + 1
            var overridden = false
            scan: while j < plan.nodes.count {
                switch plan.nodes[j].kind {
                case .sort: overridden = true; break scan
                case .calculation, .filter, .subquery: j += 1
                default: break scan
                }
            }
            if overridden {
                plan.nodes.remove(at: i)
                changed = true
                continue
            }
            i += 1
        }
        return changed
    }
}
