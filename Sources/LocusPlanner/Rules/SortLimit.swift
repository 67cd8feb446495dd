// sort-limit: a SORT directly followed by a LIMIT keeps only the best offset+count rows while
// reading (a bounded top-k) instead of sorting every row.

enum SortLimit {
    static let rule = OptimizerRule(
        name: "sort-limit", description: "keeps only the top LIMIT rows while sorting, in a heap"
    ) { plan, _ in
        var changed = false
        for i in plan.nodes.indices.dropLast() {
            guard case .sort(let els, nil) = plan.nodes[i].kind,
                case .limit(let offset, let count?, let fullCount) = plan.nodes[i + 1].kind, !fullCount
            else { continue }
            plan.nodes[i].kind = .sort(els, limit: offset + count)
            changed = true
        }
        return changed
    }
}
