// reduce-extraction-to-projection: when a loop variable over a collection is only ever used
// through its top-level attributes (`p.name`, `p.city`), the scan materialises just those
// attributes instead of whole documents.

enum ReduceExtractionToProjection {
    /// Records attribute uses of `slot` in `attrs`; returns true on a use of the whole value.
    static func wholeUse(of slot: Int, in e: BoundExpr, _ attrs: inout Set<String>) -> Bool {
        switch e {
        case .attribute(.variable(let v), let name) where v == slot:
            attrs.insert(name)
            return false
        case .variable(let v): return v == slot
        case .subquery(let p): return wholeUse(of: slot, in: p, &attrs)
        default:
            var whole = false
            _ = e.map { child in
                if wholeUse(of: slot, in: child, &attrs) { whole = true }
                return child
            }
            return whole
        }
    }

    static func wholeUse(of slot: Int, in plan: Plan, _ attrs: inout Set<String>) -> Bool {
        plan.nodes.contains { wholeUse(of: slot, in: $0, &attrs) }
    }

    static func wholeUse(of slot: Int, in node: PlanNode, _ attrs: inout Set<String>) -> Bool {
        var whole = false
        switch node.kind {
        case .subquery(_, let p): whole = wholeUse(of: slot, in: p, &attrs)
        case .collect(let c): whole = c.keep.contains { $0.slot == slot }
        default: break
        }
        var localAttrs = attrs
        _ = node.kind.mapExpressions { e in
            if wholeUse(of: slot, in: e, &localAttrs) { whole = true }
            return e
        }
        attrs = localAttrs
        return whole
    }

    static let rule = OptimizerRule(name: "reduce-extraction-to-projection") { plan, _ in
        var changed = false
        for i in plan.nodes.indices {
            var access: CollectionAccess
            switch plan.nodes[i].kind {
            case .enumerateCollection(let a): access = a
            case .index(let s): access = s.access
            default: continue
            }
            guard access.projections == nil else { continue }
            var attrs = Set<String>()
            var whole = access.filter.map { wholeUse(of: access.outSlot, in: $0, &attrs) } ?? false
            for n in plan.nodes[(i + 1)...] where !whole { whole = wholeUse(of: access.outSlot, in: n, &attrs) }
            guard !whole else { continue }
            access.projections = attrs.sorted()
            if case .index(var s) = plan.nodes[i].kind { s.access = access; plan.nodes[i].kind = .index(s) }
            else { plan.nodes[i].kind = .enumerateCollection(access) }
            changed = true
        }
        return changed
    }
}
