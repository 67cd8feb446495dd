// Which loop's documents a query returns exactly as they are stored. For
// `FOR p IN c FILTER p._key == @k RETURN p`, a caller that wants its rows as JSON (a server's
// cursor, the CLI's output) can be handed each document's stored bytes: decoding a document
// into values only to encode it again costs more than the rest of such a query.

extension QueryPlan {
    /// The register of the top-level collection loop whose documents the top-level RETURN hands
    /// back whole and nothing else reads, or nil. Such documents never need decoding when rows
    /// are wanted as JSON (`ExecutionOptions.rowsAsJSON`).
    ///
    /// The loop must read whole documents (no projection, not from index entries) with no
    /// condition of its own on them, and every node after it must pass each row straight on
    /// without reading the variable: a SORT or COLLECT keeps rows past the moment their
    /// document was read, so neither may follow. A query that writes never qualifies: what it
    /// returns may be what it changed.
    static func passThroughSlot(of root: Plan, writes: Bool) -> Int? {
        guard !writes, case .returnValue(.variable(let slot), distinct: false)? = root.nodes.last?.kind else {
            return nil
        }
        guard
            let loop = root.nodes.lastIndex(where: { node in
                switch node.kind {
                case .enumerateCollection(let a): a.outSlot == slot
                case .index(let s): s.access.outSlot == slot
                default: false
                }
            })
        else { return nil }
        let access: CollectionAccess
        switch root.nodes[loop].kind {
        case .enumerateCollection(let a): access = a
        case .index(let s): access = s.access
        default: return nil
        }
        guard access.projection == nil, !access.indexOnly, access.filter == nil else { return nil }
        for node in root.nodes[(loop + 1)..<(root.nodes.count - 1)] {
            guard node.passesRowsStraightOn, !node.variablesUsed.contains(slot) else { return nil }
        }
        return slot
    }
}

extension PlanNode {
    /// True for a node that hands each row on (or drops it) before taking the next one.
    fileprivate var passesRowsStraightOn: Bool {
        switch kind {
        case .filter, .limit, .calculation, .subquery, .enumerateCollection, .enumerateView, .index, .enumerateList,
            .traversal, .shortestPath, .enumeratePaths, .noResults:
            true
        case .singleton, .sort, .collect, .indexCollect, .window, .returnValue, .modification: false
        }
    }
}
