// constant-folding: evaluates constant sub-expressions once at plan time. (ArangoDB folds
// while building its AST; Locus makes it a rule so that it can be switched off and seen.)

enum ConstantFolding {
    static let rule = OptimizerRule(
        name: "constant-folding", description: "evaluates expressions over constants once, at plan time"
    ) { plan, _ in
        var changed = false
        for i in plan.nodes.indices {
            var mayFold = false
            plan.nodes[i].kind.forEachExpression { if !mayFold && ConstantFolder.mayFold($0) { mayFold = true } }
            guard mayFold else { continue }
            var failure: Error?
            plan.nodes[i].kind = plan.nodes[i].kind.mapExpressions { e in
                do {
                    let f = try ConstantFolder.fold(e)
                    if f.isConstant, e.constantValue == nil { changed = true }
                    return f
                } catch {
                    failure = error
                    return e
                }
            }
            if let failure { throw failure }
        }
        return changed
    }
}
