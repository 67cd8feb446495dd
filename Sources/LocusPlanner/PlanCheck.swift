// The plan's invariant, checked after every optimizer rule in debug builds (as DuckDB verifies
// its plans): every register a node reads is set by an earlier node of its plan or by an
// enclosing plan, and every register lies inside the plan's register count. A rule that moves
// a node above the node setting its input fails here, at the rule, instead of as a wrong
// answer later.

import LocusErrors

public enum PlanCheck {
    /// Throws an internal error naming the rule, the node and the register when the
    /// invariant does not hold.
    public static func verify(_ plan: QueryPlan, after rule: String) throws {
        let parameters = Set(plan.parameterSlots.values)
        try verify(plan.root, outer: parameters, registerCount: plan.registerCount, rule: rule, path: "plan")
    }

    static func verify(_ plan: Plan, outer: Set<Int>, registerCount: Int, rule: String, path: String) throws {
        var defined = outer
        for (index, node) in plan.nodes.enumerated() {
            let at = "\(path) node \(index + 1)"
            let missing = node.variablesUsed.subtracting(defined)
            if let register = missing.min() {
                throw LocusError(
                    .internalError,
                    "plan check failed after rule \(rule): \(at) reads register \(register), which no earlier node sets"
                )
            }
            if let register = node.variablesSet.first(where: { $0 < 0 || $0 >= registerCount }) {
                throw LocusError(
                    .internalError,
                    "plan check failed after rule \(rule): \(at) sets register \(register), outside the \(registerCount) registers"
                )
            }
            if case .subquery(_, let sub) = node.kind {
                try verify(sub, outer: defined, registerCount: registerCount, rule: rule, path: at + " subquery")
            }
            defined.formUnion(node.variablesSet)
        }
    }
}
