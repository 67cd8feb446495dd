// Which loop's documents a query returns exactly as they are stored. For
// `FOR p IN c FILTER p._key == @k RETURN p`, a caller that wants its rows as JSON (a server's
// cursor, the CLI's output) can be handed each document's stored bytes: decoding a document
// into values only to encode it again costs more than the rest of such a query.

/// The top-level collection loop or traversal whose documents (vertices) the top-level RETURN
/// hands back whole.
public struct DocumentPassThrough: Sendable, Equatable {
    /// The loop's register (a traversal's vertex register).
    public var slot: Int
    /// Whether anything besides the RETURN reads the documents (a condition, a subquery):
    /// they are then decoded as well as passed on. A traversal's vertices always are.
    public var isRead: Bool

    /// The pass-through loop of a query whose top-level plan is `root`, or nil.
    ///
    /// The loop must read whole documents (no projection, not from index entries), and every
    /// node after it must pass each row straight on: a SORT or COLLECT keeps rows past the
    /// moment their document was read, so neither may follow. A query that writes never
    /// qualifies: what it returns may be what it changed.
    static func of(_ root: Plan, writes: Bool) -> DocumentPassThrough? {
        guard !writes, case .returnValue(.variable(let slot), distinct: false)? = root.nodes.last?.kind else {
            return nil
        }
        guard
            let loop = root.nodes.lastIndex(where: { node in
                switch node.kind {
                case .enumerateCollection(let a): a.outSlot == slot
                case .index(let s): s.access.outSlot == slot
                case .traversal(let t): t.vertexSlot == slot
                default: false
                }
            })
        else { return nil }
        var isRead: Bool
        switch root.nodes[loop].kind {
        case .enumerateCollection(let a):
            guard a.projection == nil, !a.indexOnly else { return nil }
            isRead = a.filter?.variablesUsed.contains(slot) ?? false
        case .index(let s):
            guard s.access.projection == nil, !s.access.indexOnly else { return nil }
            isRead = s.access.filter?.variablesUsed.contains(slot) ?? false
        case .traversal(let t):
            guard t.vertexProjection == nil else { return nil }
            isRead = true
        default: return nil
        }
        for node in root.nodes[(loop + 1)..<(root.nodes.count - 1)] {
            guard node.passesRowsStraightOn else { return nil }
            if node.variablesUsed.contains(slot) { isRead = true }
        }
        return DocumentPassThrough(slot: slot, isRead: isRead)
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
