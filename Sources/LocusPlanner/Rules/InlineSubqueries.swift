// inline-subqueries: `FOR x IN (FOR y IN … RETURN e)` becomes the subquery's own loop with
// `x = e`, so rows stream instead of being materialised first. Only subqueries without LIMIT,
// SORT, COLLECT, WINDOW, DISTINCT or writes are inlined, where the rewrite keeps the meaning.

enum InlineSubqueries {
    static let rule = OptimizerRule(
        name: "inline-subqueries", description: "merges a subquery into the outer query where it only feeds a FOR loop"
    ) { plan, _ in
        var changed = false
        var i = 0
        while i < plan.nodes.count {
            guard case .enumerateList(.subquery(let sub), let target) = plan.nodes[i].kind,
                let last = sub.nodes.last, case .returnValue(let ret, distinct: false) = last.kind,
                sub.nodes.dropFirst().dropLast().allSatisfy({ inlinable($0.kind) })
            else {
                i += 1
                continue
            }
            var replacement = Array(sub.nodes.dropFirst().dropLast())
            var calc = last
            calc.kind = .calculation(target: target, expr: ret)
            replacement.append(calc)
            plan.nodes.replaceSubrange(i...i, with: replacement)
            i += replacement.count
            changed = true
        }
        return changed
    }

    static func inlinable(_ k: NodeKind) -> Bool {
        switch k {
        case .enumerateCollection, .index, .enumerateList, .calculation, .filter, .subquery: true
        default: false
        }
    }
}
