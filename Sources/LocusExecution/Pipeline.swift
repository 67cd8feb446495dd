// Drives one plan: rows are pushed from node to node. A node returns false when it wants no
// more rows (a satisfied LIMIT), which stops the loops feeding it. Blocking nodes (SORT,
// COLLECT, WINDOW) buffer rows and release them when their input is finished.

import LocusErrors
import LocusPlanner
import LocusStorage
import LocusValues

/// The run state of one plan execution.
final class Pipeline {
    /// The executor owns every pipeline it runs, so it outlives them.
    unowned(unsafe) let executor: QueryExecutor
    let nodes: [PlanNode]
    let topLevel: Bool
    // `results` and `state` are read and written on every row, and the run-time exclusivity
    // checks cost more than the work. They are safe to skip: only this pipeline's `push` and
    // `finish` touch them, and what those call while an access is open (expressions,
    // aggregates) reaches other pipelines, never this one.
    @exclusivity(unchecked) var results: [Value] = []
    /// The run state of one node, with what the plan says of the nodes before it.
    struct NodeState {
        var distinct: Set<Value> = []
        var limitSeen = 0
        var buffer: [[Value]] = []
        var collector: Collector? = nil
        /// Whether a loop precedes the node in this plan.
        var loopBefore = false
        /// Whether a write precedes the node: LIMIT never limits writes, so a LIMIT after one
        /// keeps its input flowing even when it passes no more rows on.
        var writeBefore = false

        /// Whether `v` is new to RETURN DISTINCT (one access to the pipeline's state per row).
        mutating func admitDistinct(_ v: Value) -> Bool {
            if distinct.isEmpty { distinct.reserveCapacity(16) }
            return distinct.insert(v).inserted
        }
    }
    /// Per-node state, indexed by node position (one array, as a pipeline is made for every
    /// run of a subquery).
    @exclusivity(unchecked) var state: [NodeState]
    /// The stored JSON of the current document of the executor's pass-through loop.
    @exclusivity(unchecked) var passedDocument: [UInt8] = []
    /// Decoded documents of inner collection loops, read once per pipeline run (see CollectionReader).
    var scanCache: [Int: [Value]] = [:]
    var evaluator: Evaluator { executor.evaluator }

    init(executor: QueryExecutor, plan: Plan, topLevel: Bool) {
        self.executor = executor
        self.nodes = plan.nodes
        self.topLevel = topLevel
        var state: [NodeState] = []
        state.reserveCapacity(plan.nodes.count)
        var loop = false, write = false
        for n in plan.nodes {
            state.append(NodeState(loopBefore: loop, writeBefore: write))
            if n.isLoop { loop = true }
            if case .modification = n.kind { write = true }
        }
        self.state = state
    }

    /// The registers the plan started with; outer variables of a subquery live here.
    var initialRegisters: [Value] = []

    func run(_ registers: inout [Value]) throws -> [Value] {
        initialRegisters = registers
        var r = registers
        _ = try push(1, &r)
        try finish(1)
        return results
    }

    func eval(_ e: BoundExpr, _ r: inout [Value]) throws -> Value { try evaluator.evaluate(e, &r) }

    /// Hands one row to node `i`. Returns false when upstream should stop.
    func push(_ i: Int, _ r: inout [Value]) throws -> Bool {
        guard i < nodes.count else { return true }
        try executor.checkpoint()
        switch nodes[i].kind {
        case .singleton:
            return try push(i + 1, &r)
        case .enumerateCollection(let access):
            return try CollectionReader(pipeline: self, next: i + 1).scan(access, &r)
        case .enumerateView(let scan):
            let storage = executor.storage
            let searcher = try ViewSearcher(executor: executor, scan: scan, registers: r)
            for (doc, scores) in try searcher.run() {
                guard let c = storage.collection(id: doc.coll), let document = try storage.get(c, key: doc.key) else {
                    continue
                }
                r[scan.outSlot] = document
                for (scorer, score) in zip(scan.scorers, scores) { r[scorer.slot] = .number(score) }
                for o in scan.offsetInfos { r[o.slot] = try searcher.offsetInfo(doc, paths: o.paths) }
                if topLevel { executor.stats.scannedIndex += 1 }
                if try !push(i + 1, &r) { return false }
            }
            return true
        case .index(let scan):
            return try CollectionReader(pipeline: self, next: i + 1).indexScan(scan, &r)
        case .enumerateList(.range(let a, let b), let target):
            // A range is counted through, never built: FOR i IN 1..100000000 runs in constant
            // memory (as an array value it is capped; see Evaluator.maxRangeLength).
            let lo = try eval(a, &r).toNumber.clampedInt
            let hi = try eval(b, &r).toNumber.clampedInt
            let step = lo <= hi ? 1 : -1
            var n = lo
            while true {
                assign(target, .number(Double(n)), &r)
                if try !push(i + 1, &r) { return false }
                if n == hi { return true }
                n += step
            }
        case .enumerateList(let source, let target):
            let v = try eval(source, &r)
            guard case .array(let items) = v else {
                throw LocusError(
                    code: .arrayExpected,
                    message:
                        "collection or array expected as operand to FOR loop; you provided a value of type '\(v.typeName)'"
                )
            }
            for item in items {
                assign(target, item, &r)
                if try !push(i + 1, &r) { return false }
            }
            return true
        case .traversal(let t):
            return try Traverser(pipeline: self, next: i + 1, spec: t).run(&r)
        case .shortestPath(let sp):
            return try PathFinder(
                pipeline: self, next: i + 1, edges: sp.edges, readEdgeDocuments: false,
                weightAttribute: sp.weightAttribute, defaultWeight: sp.defaultWeight
            ).shortestPath(sp, &r)
        case .enumeratePaths(let ep):
            return try PathFinder(
                pipeline: self, next: i + 1, edges: ep.edges, readEdgeDocuments: true,
                weightAttribute: ep.weightAttribute, defaultWeight: ep.defaultWeight
            ).enumerate(ep, &r)
        case .calculation(let target, let e):
            assign(target, try eval(e, &r), &r)
            return try push(i + 1, &r)
        case .subquery(let slot, let plan):
            r[slot] = .array(try executor.runSubquery(plan, registers: &r))
            return try push(i + 1, &r)
        case .filter(let e):
            if try eval(e, &r).isTruthy { return try push(i + 1, &r) }
            if topLevel { executor.stats.filtered += 1 }
            return true
        case .sort, .window:
            state[i].buffer.append(r)
            return true
        case .indexCollect(let spec):
            let storage = executor.storage
            guard let ix = storage.index(spec.collection, named: spec.index.name) else {
                throw LocusError(.indexNotFound)
            }
            var more = true
            try storage.indexKeyCounts(ix) { key, count in
                guard let values = IndexKey.decode(key), let group = values.first else {
                    throw LocusError(.internalError, "corrupt entry in index \(ix.name)")
                }
                if topLevel { executor.stats.scannedIndex += count }
                r[spec.groupSlot] = group
                for s in spec.countSlots { r[s] = .int(count) }
                more = try push(i + 1, &r)
                return more
            }
            return more
        case .collect(let spec):
            if state[i].collector == nil { state[i].collector = Collector(spec: spec) }
            try state[i].collector!.add(&r, pipeline: self)
            return true
        case .limit(let offset, let count, let fullCount):
            let seen = state[i].limitSeen
            state[i].limitSeen = seen + 1
            if seen < offset { return true }
            let keepReading = fullCount || state[i].writeBefore
            if let count, seen - offset >= count { return keepReading }
            let more = try push(i + 1, &r)
            if let count, seen + 1 - offset >= count, !keepReading { return false }
            return more || state[i].writeBefore
        case .returnValue(let e, let isDistinct):
            let v = try eval(e, &r)
            if isDistinct, !state[i].admitDistinct(v) { return true }
            if topLevel, let sink = executor.rowSink {
                try sink(v)
                return true
            }
            if topLevel, executor.options.rowsAsJSON {
                var stored: [UInt8]? = nil
                if case .variable(let slot) = e, slot == executor.passThrough?.slot { stored = passedDocument }
                try executor.takeJSONRow(v, stored: stored)
                return true
            }
            try executor.account(v)
            results.appendGrowingEarly(v)
            return true
        case .modification(let spec):
            guard try ModificationExecutor(pipeline: self).apply(spec, &r) else { return true }
            return try push(i + 1, &r)
        case .noResults:
            return false
        }
    }

    /// Tells node `i` that no more rows will come; blocking nodes release their rows.
    func finish(_ i: Int) throws {
        guard i < nodes.count else { return }
        switch nodes[i].kind {
        case .sort(let elements, let limit):
            var rows = state[i].buffer
            state[i].buffer = []
            rows = try Sorter(pipeline: self).sort(rows, by: elements, limit: limit)
            for var row in rows { if try !push(i + 1, &row) { break } }
        case .collect(let spec):
            let c = state[i].collector ?? Collector(spec: spec)
            state[i].collector = nil
            for var row in try c.output(pipeline: self) { if try !push(i + 1, &row) { break } }
        case .window(let spec):
            let rows = state[i].buffer
            state[i].buffer = []
            for var row in try WindowExecutor(pipeline: self).apply(spec, rows) { if try !push(i + 1, &row) { break } }
        case .limit(_, let count, let fullCount):
            if fullCount && topLevel, count != nil, executor.stats.fullCount == nil {
                executor.stats.fullCount = state[i].limitSeen
            }
        default: break
        }
        try finish(i + 1)
    }

    func assign(_ target: BoundPattern, _ v: Value, _ r: inout [Value]) {
        switch target {
        case .slot(let s): r[s] = v
        case .array(let ps):
            for (j, p) in ps.enumerated() { if let p { assign(p, v[index: j], &r) } }
        case .object(let ms):
            for (name, p) in ms { assign(p, v[attribute: name], &r) }
        }
    }
}

extension Array {
    /// Appends, starting with room for eight elements instead of growing through 1, 2 and 4.
    mutating func appendGrowingEarly(_ element: Element) {
        if capacity == 0 { reserveCapacity(8) }
        append(element)
    }
}
