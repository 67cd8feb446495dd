// move-calculations-up: moves each deterministic calculation to just after the node that
// sets the last register it reads, so it runs once instead of once per row of later loops.
// It never crosses COLLECT, WINDOW, LIMIT or a write, which would change what it sees.

enum MoveCalculationsUp {
    static let rule = OptimizerRule(
        name: "move-calculations-up", description: "moves calculations before the loops they do not depend on"
    ) { plan, _ in
        Movement.moveUp(&plan) { kind in
            if case .calculation(_, let e) = kind { return e.isDeterministicDeep && !containsSubquery(e) }
            return false
        }
    }

    static func containsSubquery(_ e: BoundExpr) -> Bool { e.containsSubquery }
}

/// Moving nodes upward past nodes they do not depend on.
enum Movement {
    static func isBarrier(_ k: NodeKind) -> Bool {
        switch k {
        case .collect, .window, .limit, .modification, .singleton, .noResults, .returnValue: true
        default: false
        }
    }

    /// Moves each node matching `movable` up as far as its inputs allow; true when any moved.
    static func moveUp(_ plan: inout Plan, _ movable: (NodeKind) -> Bool) -> Bool {
        var changed = false
        var i = 1
        while i < plan.nodes.count {
            let n = plan.nodes[i]
            guard movable(n.kind) else { i += 1; continue }
            let uses = n.variablesUsed
            var j = i
            while j > 1 {
                let prev = plan.nodes[j - 1]
                if isBarrier(prev.kind) || !prev.variablesSet.isDisjoint(with: uses) { break }
                // A node must not move above one that reads what it writes.
                if !prev.variablesUsed.isDisjoint(with: n.variablesSet) { break }
                j -= 1
            }
            if j < i && plan.nodes[j..<i].contains(where: \.isLoop) {
                plan.nodes.remove(at: i)
                plan.nodes.insert(n, at: j)
                changed = true
            }
            i += 1
        }
        return changed
    }
}
