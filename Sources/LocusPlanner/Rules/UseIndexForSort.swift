// use-index-for-sort: removes a SORT on attributes of a loop variable when a persistent index
// already delivers the rows in that order: after an IndexNode whose equality prefix precedes
// the sort fields, or by turning a full scan into a scan of such an index. Only the outermost
// loop qualifies: a loop nested in another restarts its order for every outer row.

import LocusValues

enum UseIndexForSort {
    /// The sort's attribute paths on `slot` when all share one direction.
    static func sortPaths(_ els: [SortElement], slot: Int) -> ([String], Bool)? {
        guard let first = els.first else { return nil }
        var paths: [String] = []
        for e in els {
            guard e.ascending == first.ascending, let (v, p) = e.expr.attributePath, v == slot, !p.isEmpty else {
                return nil
            }
            paths.append(p.joined(separator: "."))
        }
        return (paths, first.ascending)
    }

    /// The SORT that directly orders the loop at `i`, with only row-local nodes between.
    static func sortAfter(_ plan: Plan, _ i: Int) -> Int? {
        var j = i + 1
        while j < plan.nodes.count {
            switch plan.nodes[j].kind {
            case .sort: return j
            case .filter, .calculation: j += 1
            default: return nil
            }
        }
        return nil
    }

    /// Whether the nodes before `i` produce at most one row: only then is the order of the loop
    /// at `i` the order of everything it emits. Under an outer loop, each outer row restarts it.
    static func isOutermostLoop(_ plan: Plan, _ i: Int) -> Bool {
        plan.nodes[..<i].allSatisfy { n in
            switch n.kind {
            case .singleton, .calculation, .subquery, .filter, .limit, .noResults: return true
            default: return false
            }
        }
    }

    static let rule = OptimizerRule(
        name: "use-index-for-sort", description: "answers SORT from a persistent index's order instead of sorting"
    ) { plan, ctx in
        var changed = false
        for i in plan.nodes.indices {
            guard let k = sortAfter(plan, i), case .sort(let els, _) = plan.nodes[k].kind, isOutermostLoop(plan, i)
            else { continue }
            switch plan.nodes[i].kind {
            case .index(var scan):
                guard scan.index.type == .persistent, !scan.index.expandsArrays,
                    case .persistent(let prefix, _, _) = scan.lookup, prefix.allSatisfy({ !$0.isList }),
                    let (paths, asc) = sortPaths(els, slot: scan.access.outSlot)
                else { continue }
                let rest = Array(scan.index.fields.dropFirst(prefix.count))
                guard paths.count <= rest.count, Array(rest.prefix(paths.count)) == paths else { continue }
                scan.descending = !asc
                plan.nodes[i].kind = .index(scan)
                plan.nodes.remove(at: k)
                changed = true
            case .enumerateCollection(let access):
                guard !access.disableIndex, let (paths, asc) = sortPaths(els, slot: access.outSlot),
                    let coll = ctx.catalog.collection(access.collection),
                    let ix = coll.indexes.first(where: {
                        $0.type == .persistent && !$0.sparse && !$0.expandsArrays
                            && $0.fields.count >= paths.count && Array($0.fields.prefix(paths.count)) == paths
                    })
                else { continue }
                plan.nodes[i].kind = .index(
                    IndexScan(
                        access: access, index: ix, lookup: .persistent(prefix: [], lower: nil, upper: nil),
                        descending: !asc, conditionText: "sort"))
                plan.nodes.remove(at: k)
                changed = true
            default:
                continue
            }
            break
        }
        return changed
    }
}
