// move-filters-into-enumerate: FILTERs right after a collection or index scan that read only
// the loop variable (and earlier registers) are evaluated inside the scan, on the projected
// document, before a row is built for the rest of the pipeline.

enum MoveFiltersIntoEnumerate {
    static let rule = OptimizerRule(
        name: "move-filters-into-enumerate",
        description: "evaluates filters inside the collection or index scan, before documents are produced"
    ) { plan, _ in
        var changed = false
        var defined = plan.outerVariablesUsed
        var i = 0
        while i < plan.nodes.count {
            var access: CollectionAccess
            var scan: IndexScan? = nil
            switch plan.nodes[i].kind {
            case .enumerateCollection(let a): access = a
            case .index(let s): access = s.access; scan = s
            default:
                defined.formUnion(plan.nodes[i].variablesSet)
                i += 1
                continue
            }
            defined.insert(access.outSlot)
            while i + 1 < plan.nodes.count, case .filter(let e) = plan.nodes[i + 1].kind, e.isDeterministicDeep,
                e.variablesUsed.isSubset(of: defined), !MoveCalculationsUp.containsSubquery(e)
            {
                access.filter = access.filter.map { .binary(.and, $0, e) } ?? e
                plan.nodes.remove(at: i + 1)
                changed = true
            }
            if var s = scan {
                s.access = access; plan.nodes[i].kind = .index(s)
            } else {
                plan.nodes[i].kind = .enumerateCollection(access)
            }
            i += 1
        }
        return changed
    }
}
