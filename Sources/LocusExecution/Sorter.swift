// SortNode: orders buffered rows by AQL value order; with a LIMIT folded in (sort-limit),
// keeps only the best k rows while reading instead of sorting everything.

import LocusPlanner
import LocusValues

struct Sorter {
    /// The pipeline owns the run that creates this helper, so it outlives it.
    unowned(unsafe) let pipeline: Pipeline

    func sort(_ rows: [[Value]], by elements: [LocusPlanner.SortElement], limit: Int?) throws -> [[Value]] {
        var keyed: [(keys: [Value], row: [Value], seq: Int)] = []
        keyed.reserveCapacity(rows.count)
        for (n, var row) in rows.enumerated() {
            var keys: [Value] = []
            for e in elements { keys.append(try pipeline.eval(e.expr, &row)) }
            keyed.append((keys, row, n))
        }
        let less: ((keys: [Value], row: [Value], seq: Int), (keys: [Value], row: [Value], seq: Int)) -> Bool = { a, b in
            for (j, e) in elements.enumerated() {
                let c = a.keys[j].compare(b.keys[j])
                if c != 0 { return e.ascending ? c < 0 : c > 0 }
            }
            return a.seq < b.seq  // stable, so ties keep their input order
        }
        if let limit, limit < keyed.count {
            // Top-k: keep a sorted window of at most 2k candidates.
            var best: [(keys: [Value], row: [Value], seq: Int)] = []
            var threshold: (keys: [Value], row: [Value], seq: Int)? = nil
            for item in keyed {
                if let t = threshold, !less(item, t) { continue }
                best.append(item)
                if best.count > 2 * max(limit, 16) {
                    best.sort(by: less)
                    best.removeLast(best.count - limit)
                    threshold = best.last
                }
            }
            best.sort(by: less)
            return best.prefix(limit).map(\.row)
        }
        keyed.sort(by: less)
        return keyed.map(\.row)
    }
}
