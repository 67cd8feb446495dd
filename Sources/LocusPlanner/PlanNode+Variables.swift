// Which registers each node reads and writes: the facts the optimizer rules move nodes by.

extension BoundPattern {
    public var slots: [Int] {
        switch self {
        case .slot(let s): [s]
        case .array(let ps): ps.compactMap { $0 }.flatMap(\.slots)
        case .object(let ms): ms.flatMap(\.1.slots)
        }
    }
}

extension PlanNode {
    /// Registers read by the node.
    public var variablesUsed: Set<Int> {
        var s = Set<Int>()
        func add(_ e: BoundExpr?) { e?.collectVariables(into: &s) }
        switch kind {
        case .singleton, .noResults, .limit, .indexCollect: break
        case .enumerateCollection(let a):
            add(a.filter)
            s.remove(a.outSlot)
        case .enumerateView(let v):
            add(v.search)
            s.remove(v.outSlot)
        case .index(let x):
            switch x.lookup {
            case .primary(let e, _), .edge(_, let e, _): add(e)
            case .persistent(let prefix, let lo, let hi):
                for (e, _) in prefix { add(e) }
                add(lo?.0); add(hi?.0)
            case .geo(let lat, let lon, let r, _):
                add(lat); add(lon); add(r)
            }
            add(x.access.filter)
            s.remove(x.access.outSlot)
        case .enumerateList(let e, _): add(e)
        case .traversal(let t):
            add(t.start)
            add(t.prune)
            for c in t.conditions { add(c.condition) }
            for slot in [t.vertexSlot, t.edgeSlot, t.pathSlot, t.pruneSlot].compactMap({ $0 })
                + t.conditions.map(\.slot)
            {
                s.remove(slot)
            }
        case .shortestPath(let sp): add(sp.start); add(sp.target)
        case .enumeratePaths(let ep): add(ep.start); add(ep.target)
        case .calculation(_, let e): add(e)
        case .subquery(_, let p): s.formUnion(p.outerVariablesUsed)
        case .filter(let e): add(e)
        case .sort(let els, _): for e in els { add(e.expr) }
        case .collect(let c):
            for g in c.groups { add(g.expr) }
            for a in c.aggregates { add(a.argument) }
            add(c.intoExpr)
            for k in c.keep { s.insert(k.slot) }
        case .window(let w):
            add(w.rangeExpr)
            for a in w.aggregates { add(a.argument) }
        case .returnValue(let e, _): add(e)
        case .modification(let m):
            add(m.document); add(m.key); add(m.upsertSearch)
            if let c = m.upsertCurrentSlot { s.remove(c) }
            // UPSERT's update expression reads OLD, which the node itself sets.
            if m.kind == .upsert, let old = m.oldSlot { s.remove(old) }
        }
        return s
    }

    /// Registers written by the node.
    public var variablesSet: Set<Int> {
        switch kind {
        case .enumerateCollection(let a): return [a.outSlot]
        case .enumerateView(let v): return Set([v.outSlot] + v.scorers.map(\.slot) + v.offsetInfos.map(\.slot))
        case .index(let x): return [x.access.outSlot]
        case .enumerateList(_, let t), .calculation(let t, _): return Set(t.slots)
        case .traversal(let t): return Set([t.vertexSlot, t.edgeSlot, t.pathSlot, t.pruneSlot].compactMap { $0 })
        case .shortestPath(let sp): return Set([sp.vertexSlot, sp.edgeSlot].compactMap { $0 })
        case .enumeratePaths(let ep): return [ep.pathSlot]
        case .subquery(let s, _): return [s]
        case .collect(let c):
            var s = Set(c.groups.map(\.slot) + c.aggregates.map(\.slot))
            if let i = c.intoSlot { s.insert(i) }
            if let k = c.countSlot { s.insert(k) }
            return s
        case .window(let w): return Set(w.aggregates.map(\.slot))
        case .indexCollect(let c): return Set([c.groupSlot] + c.countSlots)
        case .modification(let m): return Set([m.oldSlot, m.newSlot].compactMap { $0 })
        default: return []
        }
    }

    /// True for nodes that produce several rows per input row.
    public var isLoop: Bool {
        switch kind {
        case .enumerateCollection, .enumerateView, .index, .enumerateList, .traversal, .shortestPath, .enumeratePaths,
            .indexCollect:
            true
        default: false
        }
    }

    /// True when evaluating the node twice could differ or has effects.
    public var hasSideEffects: Bool {
        switch kind {
        case .modification: return true
        case .calculation(_, let e), .filter(let e): return !e.isDeterministicDeep
        case .subquery(_, let p): return p.nodes.contains { $0.hasSideEffects }
        default: return false
        }
    }
}

extension BoundExpr {
    /// True when no non-deterministic function or subquery with writes appears anywhere.
    public var isDeterministicDeep: Bool {
        switch self {
        case .call(let f, let args): return f.deterministic && args.allSatisfy(\.isDeterministicDeep)
        case .subquery(let p): return !p.nodes.contains { $0.hasSideEffects }
        default:
            var ok = true
            _ = map { e in
                if !e.isDeterministicDeep { ok = false }
                return e
            }
            return ok
        }
    }
}
