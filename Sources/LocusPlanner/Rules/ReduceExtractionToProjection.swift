// reduce-extraction-to-projection: when a loop variable over a collection is only ever used
// through its top-level attributes (`p.name`, `p.city`), the scan materialises just those
// attributes instead of whole documents. When an index holds all of them, documents are not
// read at all: an index scan answers from the index entries (a covering index), and a full
// collection scan becomes a full scan of such an index, as ArangoDB does.

import LocusValues

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
            e.forEachChild { child in if wholeUse(of: slot, in: child, &attrs) { whole = true } }
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
        node.kind.forEachExpression { e in if wholeUse(of: slot, in: e, &attrs) { whole = true } }
        return whole
    }

    /// True when a persistent index holds every attribute in `attrs` (`_key` and `_id` come
    /// with every entry).
    static func covers(_ ix: PlannerIndex, _ attrs: Set<String>) -> Bool {
        guard ix.type == .persistent, ix.fields.allSatisfy({ !$0.containsBytes(".") && !$0.containsBytes("[") }) else {
            return false
        }
        return attrs.isSubset(of: Set(ix.fields).union(["_key", "_id"]))
    }

    static let rule = OptimizerRule(
        name: "reduce-extraction-to-projection",
        description: "reads only the attributes a query uses from each document"
    ) { plan, ctx in
        var changed = false
        for i in plan.nodes.indices {
            var access: CollectionAccess
            switch plan.nodes[i].kind {
            case .enumerateCollection(let a): access = a
            case .index(let s): access = s.access
            case .traversal(var t) where t.vertexProjection == nil:
                // Paths hold whole vertices; otherwise read only what v is used for.
                let pathUsed =
                    t.pathSlot.map { slot in
                        plan.nodes[(i + 1)...].contains { $0.variablesUsed.contains(slot) }
                            || (t.prune?.variablesUsed.contains(slot) ?? false)
                    } ?? false
                guard !pathUsed else { continue }
                var attrs = Set<String>()
                var whole = t.prune.map { wholeUse(of: t.vertexSlot, in: $0, &attrs) } ?? false
                // Conditions moved into the traversal read vertices too.
                for c in t.conditions where c.element == .vertex && !whole {
                    whole = wholeUse(of: c.slot, in: c.condition, &attrs)
                }
                for n in plan.nodes[(i + 1)...] where !whole { whole = wholeUse(of: t.vertexSlot, in: n, &attrs) }
                guard !whole else { continue }
                t.vertexProjection = attrs.sorted()
                plan.nodes[i].kind = .traversal(t)
                changed = true
                continue
            default: continue
            }
            guard access.projections == nil else { continue }
            var attrs = Set<String>()
            var whole = access.filter.map { wholeUse(of: access.outSlot, in: $0, &attrs) } ?? false
            for n in plan.nodes[(i + 1)...] where !whole { whole = wholeUse(of: access.outSlot, in: n, &attrs) }
            guard !whole else { continue }
            access.projections = attrs.sorted()
            let isKeyValue = ctx.catalog.collection(access.collection)?.type == .kv
            if case .index(var s) = plan.nodes[i].kind {
                access.indexOnly = !isKeyValue && covers(s.index, attrs)
                if access.indexOnly, case .persistent = s.lookup {} else { access.indexOnly = false }
                s.access = access
                plan.nodes[i].kind = .index(s)
            } else if !attrs.isEmpty, !isKeyValue, !access.disableIndex, !access.forceIndexHint,
                let ix = ctx.catalog.collection(access.collection)?.indexes.first(where: {
                    !$0.sparse && covers($0, attrs)
                })
            {
                access.indexOnly = true
                plan.nodes[i].kind = .index(
                    IndexScan(
                        access: access, index: ix, lookup: .persistent(prefix: [], lower: nil, upper: nil),
                        descending: false, conditionText: "covering"))
            } else {
                plan.nodes[i].kind = .enumerateCollection(access)
            }
            changed = true
        }
        return changed
    }
}
