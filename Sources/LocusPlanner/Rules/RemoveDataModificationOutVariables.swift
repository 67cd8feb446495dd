// remove-data-modification-out-variables: when no later node reads OLD or NEW of a write,
// the write does not produce them (so storage need not build the stored documents).

enum RemoveDataModificationOutVariables {
    static let rule = OptimizerRule(
        name: "remove-data-modification-out-variables", description: "drops OLD and NEW when nothing reads them"
    ) { plan, _ in
        var changed = false
        for i in plan.nodes.indices {
            guard case .modification(var m) = plan.nodes[i].kind else { continue }
            let later = plan.nodes[(i + 1)...].reduce(into: plan.outerVariablesUsed) { $0.formUnion($1.variablesUsed) }
            // UPSERT's update expression reads OLD itself.
            let ownUse = m.key?.variablesUsed ?? []
            if let o = m.oldSlot, !later.contains(o), !(m.kind == .upsert && ownUse.contains(o)) {
                m.oldSlot = nil; changed = true
            }
            if let n = m.newSlot, !later.contains(n) { m.newSlot = nil; changed = true }
            plan.nodes[i].kind = .modification(m)
        }
        return changed
    }
}
