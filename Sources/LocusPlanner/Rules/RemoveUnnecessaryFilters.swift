// remove-unnecessary-filters: drops FILTERs that are always true and replaces the rest of a
// plan with NoResults when a FILTER is always false.

enum RemoveUnnecessaryFilters {
    static let rule = OptimizerRule(
        name: "remove-unnecessary-filters",
        description: "removes filters that are always true, and empties plans of filters always false"
    ) { plan, _ in
        var changed = false
        var i = 0
        while i < plan.nodes.count {
            if case .filter(.constant(let v)) = plan.nodes[i].kind {
                if v.isTruthy {
                    plan.nodes.remove(at: i)
                } else {
                    plan.nodes[i].kind = .noResults
                    i += 1
                }
                changed = true
                continue
            }
            i += 1
        }
        return changed
    }
}
