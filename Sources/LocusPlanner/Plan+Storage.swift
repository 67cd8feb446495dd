// Whether a plan touches stored data: a collection, view or graph, an index, a modification,
// or a function that reads data (DOCUMENT, FULLTEXT, CALL, …). A plan that does not (`RETURN 1`,
// arithmetic over bind values, loops over literal arrays) needs no snapshot of the database to
// run, and means the same whatever the catalog holds.

import LocusFunctions

extension Plan {
    /// True when running the plan reads or writes stored data.
    public var readsStorage: Bool {
        nodes.contains { node in
            switch node.kind {
            case .singleton, .noResults, .limit: return false
            case .subquery(_, let plan): return plan.readsStorage
            case .calculation, .enumerateList, .filter, .sort, .collect, .window, .returnValue:
                var reads = false
                node.kind.forEachExpression { e in if !reads && e.readsStorage { reads = true } }
                return reads
            case .enumerateCollection, .enumerateView, .index, .traversal, .shortestPath, .enumeratePaths,
                .indexCollect, .modification:
                return true
            }
        }
    }
}

extension BoundExpr {
    /// True when evaluating the expression reads stored data.
    var readsStorage: Bool {
        switch self {
        case .call(let f, _) where f.readsData: return true
        case .subquery(let plan): return plan.readsStorage
        default:
            var reads = false
            _ = map { child in
                if !reads && child.readsStorage { reads = true }
                return child
            }
            return reads
        }
    }
}
