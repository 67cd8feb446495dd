// EnumerateCollectionNode and IndexNode: reads documents from storage, materialising only
// the projected attributes, applies the filter pushed into the scan, and pushes rows on.

import LocusErrors
import LocusPlanner
import LocusStorage
import LocusValues

struct CollectionReader {
    static let keyOnly = JSONProjection(["_key"])
    unowned let pipeline: Pipeline
    let next: Int
    var executor: QueryExecutor { pipeline.executor }

    /// Handles one stored document; returns false to stop reading.
    func emit(_ bytes: UnsafeBufferPointer<UInt8>, _ access: CollectionAccess, _ projection: JSONProjection?,
              _ r: inout [Value]) throws -> Bool {
        r[access.outSlot] = try projection.map { try $0.parse(bytes) } ?? JSONReader.parse(bytes)
        if let f = access.filter, !(try pipeline.eval(f, &r).isTruthy) {
            if pipeline.topLevel { executor.stats.filtered += 1 }
            return true
        }
        return try pipeline.push(next, &r)
    }

    /// Runs `read` and feeds its documents to `handle`. A query that writes the collection it
    /// reads sees the documents as they were when the loop started: the reads are copied in
    /// full before the first row flows on (otherwise an UPDATE could meet its own rows again).
    func reading(_ collection: String, _ read: ((UnsafeBufferPointer<UInt8>) throws -> Bool) throws -> Void,
                 _ handle: @escaping (UnsafeBufferPointer<UInt8>) throws -> Bool) throws {
        guard executor.plan.collectionsWritten.contains(collection) else { return try read(handle) }
        var copies: [[UInt8]] = []
        try read { copies.append(Array($0)); return true }
        for copy in copies where try !copy.withUnsafeBufferPointer({ try handle($0) }) { return }
    }

    func scan(_ access: CollectionAccess, _ r: inout [Value]) throws -> Bool {
        let c = try executor.storage.requireCollection(access.collection)
        let projection = access.projections.map(JSONProjection.init)
        var more = true
        var row = r
        try withoutActuallyEscaping({ (bytes: UnsafeBufferPointer<UInt8>) throws -> Bool in
            executor.stats.scannedFull += 1
            try executor.checkpoint()
            more = try emit(bytes, access, projection, &row)
            return more
        }) { handle in
            try reading(c.name, { try executor.storage.scan(c, $0) }, handle)
        }
        return more
    }

    func values(_ e: BoundExpr, isList: Bool, _ r: inout [Value]) throws -> [Value] {
        let v = try pipeline.eval(e, &r)
        if !isList { return [v] }
        guard case .array(let a) = v else { return [] }
        var seen = Set<Value>()
        return a.filter { seen.insert($0).inserted }
    }

    func indexScan(_ scan: IndexScan, _ r: inout [Value]) throws -> Bool {
        let c = try executor.storage.requireCollection(scan.access.collection)
        let projection = scan.access.projections.map(JSONProjection.init)
        var more = true
        var row = r
        try withoutActuallyEscaping({ (bytes: UnsafeBufferPointer<UInt8>) throws -> Bool in
            executor.stats.scannedIndex += 1
            try executor.checkpoint()
            more = try emit(bytes, scan.access, projection, &row)
            return more
        }) { handle in
            let probe = row  // the lookup values are computed on a copy; `row` belongs to emit
            try reading(c.name, { body in try lookup(scan, c, probe, body) }, handle)
        }
        return more
    }

    func lookup(_ scan: IndexScan, _ c: CollectionInfo, _ registers: [Value],
                _ emitDocument: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws {
        let storage = executor.storage
        var row = registers
        var more = true
        func body(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Bool {
            more = try emitDocument(bytes)
            return more
        }
        switch scan.lookup {
        case .primary(let e, let isList):
            let keys = try values(e, isList: isList, &row).compactMap(\.stringValue)
            try storage.lookup(c, keys: scan.descending ? keys.reversed() : keys, body)
        case .edge(let outbound, let e, let isList):
            for v in try values(e, isList: isList, &row) {
                var id = v
                if case .object(let o) = v { id = o["_id"] ?? .null }
                guard case .string(let s) = id else { continue }
                try storage.edges(c, vertex: s, outbound: outbound, body)
                if !more { break }
            }
        case .persistent(let prefix, let lower, let upper):
            guard let ix = storage.index(c.name, named: scan.index.name) else { throw LocusError(.indexNotFound) }
            var combos: [[Value]] = [[]]
            for (e, isList) in prefix {
                let vs = try values(e, isList: isList, &row)
                combos = combos.flatMap { p in vs.map { p + [$0] } }
            }
            let lo = try lower.map { (try pipeline.eval($0.0, &row), $0.inclusive) }
            let hi = try upper.map { (try pipeline.eval($0.0, &row), $0.inclusive) }
            var seen = Set<String>()
            let dedupe = combos.count > 1 || ix.fields.contains { $0.contains("[*]") }
            let sortedCombos = combos.sorted { IndexKey.encode($0).lexicographicallyPrecedes(IndexKey.encode($1)) }
            for combo in scan.descending ? sortedCombos.reversed() : sortedCombos {
                let p = IndexKey.encode(combo)
                var range = IndexRange(lower: p.isEmpty ? nil : p, upper: p.isEmpty ? nil : p + [IndexKey.high])
                if let (v, inclusive) = lo {
                    var k = p
                    IndexKey.encode(v, into: &k)
                    range.lower = inclusive ? k : k + [IndexKey.high]
                }
                if let (v, inclusive) = hi {
                    var k = p
                    IndexKey.encode(v, into: &k)
                    range.upper = inclusive ? k + [IndexKey.high] : k
                }
                if let l = range.lower, let u = range.upper, !l.lexicographicallyPrecedes(u) { continue }
                if dedupe {
                    try storage.indexDocuments(ix, range: range, descending: scan.descending) { bytes in
                        let v = try CollectionReader.keyOnly.parse(bytes)
                        guard seen.insert(v[attribute: "_key"].stringValue ?? "").inserted else { return true }
                        return try body(bytes)
                    }
                } else {
                    try storage.indexDocuments(ix, range: range, descending: scan.descending, body)
                }
                if !more { break }
            }
        }
    }
}
