// CollectNode: groups rows by the group expressions with AQL equality, runs the aggregates,
// gathers INTO groups, and emits one row per group in ascending group order.

import LocusPlanner
import LocusValues

struct Collector {
    let spec: CollectSpec
    var index: [[Value]: Int] = [:]
    var keys: [[Value]] = []
    var accumulators: [[Accumulator]] = []
    var members: [[Value]] = []
    var counts: [Int] = []
    var template: [Value]? = nil

    init(spec: CollectSpec) { self.spec = spec }

    mutating func add(_ r: inout [Value], pipeline: Pipeline) throws {
        if template == nil { template = r }
        var key: [Value] = []
        key.reserveCapacity(spec.groups.count)
        for g in spec.groups { key.append(try pipeline.eval(g.expr, &r)) }
        let gi: Int
        if let existing = index[key] {
            gi = existing
        } else {
            gi = keys.count
            index[key] = gi
            keys.append(key)
            accumulators.append(spec.aggregates.map { Accumulator($0.function) })
            members.append([])
            counts.append(0)
        }
        counts[gi] += 1
        for (j, a) in spec.aggregates.enumerated() {
            accumulators[gi][j].add(try a.argument.map { try pipeline.eval($0, &r) } ?? .null)
        }
        if spec.intoSlot != nil {
            let member: Value
            if let e = spec.intoExpr {
                member = try pipeline.eval(e, &r)
            } else {
                var o = Object(minimumCapacity: spec.keep.count)
                for (name, slot) in spec.keep { o[name] = r[slot] }
                member = .object(o)
            }
            try pipeline.executor.account(member)
            members[gi].append(member)
        }
    }

    func output(pipeline: Pipeline) throws -> [[Value]] {
        var groups = Array(keys.indices)
        if spec.groups.isEmpty && groups.isEmpty {
            // Without group expressions there is always exactly one group, even for no rows.
            var only = self
            only.keys = [[]]
            only.accumulators = [spec.aggregates.map { Accumulator($0.function) }]
            only.members = [[]]
            only.counts = [0]
            return only.rows([0], pipeline: pipeline)
        }
        groups.sort { a, b in
            for (x, y) in zip(keys[a], keys[b]) {
                let c = x.compare(y)
                if c != 0 { return c < 0 }
            }
            return false
        }
        return rows(groups, pipeline: pipeline)
    }

    func rows(_ groups: [Int], pipeline: Pipeline) -> [[Value]] {
        let base = template ?? pipeline.initialRegisters
        return groups.map { gi in
            var row = base
            for (j, g) in spec.groups.enumerated() { row[g.slot] = keys[gi][j] }
            for (j, a) in spec.aggregates.enumerated() { row[a.slot] = accumulators[gi][j].result }
            if let s = spec.intoSlot { row[s] = .array(members[gi]) }
            if let s = spec.countSlot { row[s] = .int(counts[gi]) }
            return row
        }
    }
}
