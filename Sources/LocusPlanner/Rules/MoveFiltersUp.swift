// move-filters-up: moves each FILTER to just after the node that sets the last register it
// reads, so rows are discarded before later loops multiply them.

enum MoveFiltersUp {
    static let rule = OptimizerRule(
        name: "move-filters-up", description: "moves filters as early as their variables allow"
    ) { plan, _ in
        Movement.moveUp(&plan) { kind in
            if case .filter(let e) = kind { return e.isDeterministicDeep }
            return false
        }
    }
}
