// remove-unnecessary-calculations: drops calculations and subqueries whose results no later
// node reads, when they have no side effects.

enum RemoveUnnecessaryCalculations {
    static let rule = OptimizerRule(
        name: "remove-unnecessary-calculations", description: "removes calculations whose results nothing uses"
    ) { plan, _ in
        var changed = false
        var i = plan.nodes.count - 1
        while i > 0 {
            let n = plan.nodes[i]
            let removable: Bool
            switch n.kind {
            case .calculation, .subquery: removable = !n.hasSideEffects
            default: removable = false
            }
            if removable {
                let later = plan.nodes[(i + 1)...].reduce(into: Set<Int>()) { $0.formUnion($1.variablesUsed) }
                if later.isDisjoint(with: n.variablesSet)
                    && !plan.outerVariablesUsed.contains(where: n.variablesSet.contains)
                {
                    plan.nodes.remove(at: i)
                    changed = true
                }
            }
            i -= 1
        }
        return changed
    }
}
