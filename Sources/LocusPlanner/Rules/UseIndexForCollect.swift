// use-index-for-collect: `FOR d IN c COLLECT g = d.attr [WITH COUNT INTO n]` over a full scan of
// a single-field, non-sparse persistent index on `attr` becomes an IndexCollectNode, which reads
// the index's distinct keys with their counts (in index order, which is AQL order) instead of
// every entry.

enum UseIndexForCollect {
    static let rule = OptimizerRule(
        name: "use-index-for-collect",
        description: "answers COLLECT over indexed attributes from the index, in index order"
    ) { plan, _ in
        var changed = false
        var i = 1
        while i + 1 < plan.nodes.count {
            defer { i += 1 }
            guard case .index(let scan) = plan.nodes[i].kind, scan.access.indexOnly, scan.access.filter == nil,
                case .persistent(let prefix, nil, nil) = scan.lookup, prefix.isEmpty,
                scan.index.fields.count == 1, !scan.index.sparse,
                case .collect(let c) = plan.nodes[i + 1].kind, c.method == "hash", c.intoSlot == nil,
                c.groups.count == 1,
                let (slot, path) = c.groups[0].expr.attributePath, slot == scan.access.outSlot,
                path == [scan.index.fields[0]],
                c.aggregates.allSatisfy({ ($0.function == "LENGTH" || $0.function == "COUNT") && $0.argument == nil }),
                // The COLLECT groups every row reaching it; a loop above would make that more than this scan.
                !plan.nodes[1..<i].contains(where: \.isLoop)
            else { continue }
            let counts = c.aggregates.map(\.slot) + (c.countSlot.map { [$0] } ?? [])
            plan.nodes[i].kind = .indexCollect(
                IndexCollectSpec(
                    collection: scan.access.collection, index: scan.index,
                    groupSlot: c.groups[0].slot, countSlots: counts))
            plan.nodes.remove(at: i + 1)
            changed = true
        }
        return changed
    }
}
