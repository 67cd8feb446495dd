// EnumerateCollectionNode and IndexNode: reads documents from storage, materialising only
// the projected attributes, applies the filter pushed into the scan, and pushes rows on.
// Index nodes look documents up by primary key, by edge endpoint, or by ranges of a
// persistent index; a covering index answers from its entries without reading documents.

import LocusErrors
import LocusPlanner
import LocusStorage
import LocusValues

struct CollectionReader {
    static let keyOnly = JSONProjection(["_key"])
    /// The most documents an inner loop keeps decoded between its outer rows.
    static let scanCacheLimit = 100_000

    /// The pipeline owns the run that creates this helper, so it outlives it.
    unowned(unsafe) let pipeline: Pipeline
    let next: Int
    var executor: QueryExecutor { pipeline.executor }

    /// Handles one document value; returns false to stop reading.
    func emit(_ v: Value, _ access: CollectionAccess, _ r: inout [Value], index: Bool) throws -> Bool {
        if index { executor.stats.scannedIndex += 1 } else { executor.stats.scannedFull += 1 }
        try executor.checkpoint()
        r[access.outSlot] = v
        if let f = access.filter, !(try pipeline.eval(f, &r).isTruthy) {
            if pipeline.topLevel { executor.stats.filtered += 1 }
            return true
        }
        return try pipeline.push(next, &r)
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ projection: JSONProjection?) throws -> Value {
        try projection.map { try $0.parse(bytes) } ?? JSONReader.parseStored(bytes)
    }

    /// Runs `read` and feeds its documents to `handle`. A query that writes the collection it
    /// reads sees the documents as they were when the loop started: they are decoded in full
    /// before the first row flows on (otherwise an UPDATE could meet its own rows again).
    /// The bytes of a document of the executor's pass-through loop are kept in the pipeline for
    /// the RETURN; it is decoded only when something else reads it (else `handle` gets null).
    func reading(
        _ collection: String, _ access: CollectionAccess,
        _ read: ((UnsafeBufferPointer<UInt8>) throws -> Bool) throws -> Void,
        _ handle: (Value) throws -> Bool
    ) throws {
        let projection = access.projection
        if let passThrough = executor.passThrough, passThrough.slot == access.outSlot, pipeline.topLevel {
            let pipeline = pipeline
            try withoutActuallyEscaping(handle) { handle in
                try read { bytes in
                    pipeline.passedDocument = Array(bytes)  // kept by the row, so a copy of its own
                    return try handle(passThrough.isRead ? try CollectionReader.decode(bytes, nil) : .null)
                }
            }
            return
        }
        if executor.collectionsWritten.contains(collection) {
            var docs: [Value] = []
            try read {
                docs.append(try CollectionReader.decode($0, projection)); return true
            }
            for d in docs where try !handle(d) { return }
            return
        }
        try withoutActuallyEscaping(handle) { handle in
            try read { try handle(try CollectionReader.decode($0, projection)) }
        }
    }

    func scan(_ access: CollectionAccess, _ r: inout [Value]) throws -> Bool {
        let node = next - 1
        if let cached = pipeline.scanCache[node] {
            for d in cached where try !emit(d, access, &r, index: false) { return false }
            return true
        }
        let c = try executor.storage.requireCollection(access.collection)
        let projection = access.projection
        // A full scan nested in another loop reads the same documents for every outer row
        // (the query does not write this collection), so decode them once and replay them.
        if pipeline.state[node].loopBefore, !executor.collectionsWritten.contains(c.name),
            access.outSlot != executor.passThrough?.slot,
            try executor.storage.count(c) <= CollectionReader.scanCacheLimit
        {
            var docs: [Value] = []
            try executor.storage.scan(c) { bytes in
                let doc = try CollectionReader.decode(bytes, projection)
                try executor.account(doc)
                docs.append(doc)
                return true
            }
            pipeline.scanCache[node] = docs
            for d in docs where try !emit(d, access, &r, index: false) { return false }
            return true
        }
        var more = true
        var row = r
        try reading(c.name, access, { try executor.storage.scan(c, $0) }) { doc in
            more = try emit(doc, access, &row, index: false)
            return more
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
        var probe = r  // lookup values are computed on a copy; `row` belongs to the rows emitted
        if scan.access.indexOnly { return try coveredScan(scan, c, &probe, &r) }
        var more = true
        var row = r
        try reading(c.name, scan.access, { body in try lookup(scan, c, &probe, body) }) { doc in
            more = try emit(doc, scan.access, &row, index: true)
            return more
        }
        return more
    }

    /// Feeds the JSON of the documents an index lookup finds to `body`, in index order.
    func lookup(
        _ scan: IndexScan, _ c: CollectionInfo, _ row: inout [Value],
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool
    ) throws {
        let storage = executor.storage
        var more = true
        func each(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Bool {
            more = try body(bytes)
            return more
        }
        switch scan.lookup {
        case .primary(let e, let isList):
            let keys = try values(e, isList: isList, &row).compactMap(\.stringValue)
            try storage.lookup(c, keys: scan.descending ? keys.reversed() : keys, each)
        case .edge(let outbound, let e, let isList):
            for v in try values(e, isList: isList, &row) {
                var id = v
                if case .object(let o) = v { id = o["_id"] ?? .null }
                guard case .string(let s) = id else { continue }
                try storage.edges(c, vertex: s, outbound: outbound, each)
                if !more { break }
            }
        case .geo(let lat, let lon, let r, let limit):
            guard let ix = storage.index(c.name, named: scan.index.name) else { throw LocusError(.indexNotFound) }
            guard case .number(let latitude) = try pipeline.eval(lat, &row),
                case .number(let longitude) = try pipeline.eval(lon, &row),
                (-90...90).contains(latitude), (-180...180).contains(longitude)
            else { return }  // no valid centre: every distance is null, and no indexed document is near
            var radius: Double? = nil
            if let r {
                // A bound that is not a number compares above every distance: all documents qualify.
                if case .number(let d) = try pipeline.eval(r, &row) {
                    guard d >= 0 else { return }
                    radius = d * (1 + 1e-9) + 1e-3  // the FILTER keeps the exact bound
                }
            }
            let keys = try storage.geoNear(
                ix, latitude: latitude, longitude: longitude, radius: radius,
                limit: radius == nil && limit == nil ? nil : limit)
            try storage.lookup(c, keys: keys.map(\.key), each)
        case .persistent:
            guard let ix = storage.index(c.name, named: scan.index.name) else { throw LocusError(.indexNotFound) }
            let ranges = try persistentRanges(scan, &row)
            var seen = Set<String>()
            let dedupe = ranges.count > 1 || ix.expandsArrays
            for range in ranges {
                if dedupe {
                    try storage.indexDocuments(ix, of: c, range: range, descending: scan.descending) { bytes in
                        let v = try CollectionReader.keyOnly.parse(bytes)
                        guard seen.insert(v[attribute: "_key"].stringValue ?? "").inserted else { return true }
                        return try each(bytes)
                    }
                } else {
                    try storage.indexDocuments(ix, of: c, range: range, descending: scan.descending, each)
                }
                if !more { break }
            }
        }
    }

    /// The key ranges a persistent-index lookup reads, in index order: one per combination of
    /// equality (and IN) values, each narrowed by the range condition on the next field.
    func persistentRanges(_ scan: IndexScan, _ row: inout [Value]) throws -> [IndexRange] {
        guard case .persistent(let prefix, let lower, let upper) = scan.lookup else { return [] }
        var combos: [[Value]] = [[]]
        for (e, isList) in prefix {
            let vs = try values(e, isList: isList, &row)
            combos = combos.flatMap { p in vs.map { p + [$0] } }
        }
        let lo = try lower.map { (try pipeline.eval($0.0, &row), $0.inclusive) }
        let hi = try upper.map { (try pipeline.eval($0.0, &row), $0.inclusive) }
        let prefixes =
            prefix.isEmpty ? [[]] : combos.map(IndexKey.encode).sorted { $0.lexicographicallyPrecedes($1) }
        var ranges: [IndexRange] = []
        /// The prefix, then `v`'s key when given, then the byte above every key when `above`:
        /// one buffer, allocated once.
        func bound(_ prefix: [UInt8], _ v: Value?, above: Bool) -> [UInt8] {
            var k: [UInt8] = []
            k.reserveCapacity(prefix.count + 24)
            k.append(contentsOf: prefix)
            if let v { IndexKey.encode(v, into: &k) }
            if above { k.append(IndexKey.high) }
            return k
        }
        for p in scan.descending ? prefixes.reversed() : prefixes {
            var range = IndexRange(lower: p.isEmpty ? nil : p, upper: p.isEmpty ? nil : bound(p, nil, above: true))
            if let (v, inclusive) = lo { range.lower = bound(p, v, above: !inclusive) }
            if let (v, inclusive) = hi { range.upper = bound(p, v, above: inclusive) }
            if let l = range.lower, let u = range.upper, !l.lexicographicallyPrecedes(u) { continue }
            ranges.append(range)
        }
        return ranges
    }

    /// An index scan answered from the index entries alone (a covering index): the projected
    /// document is rebuilt from the values encoded in each entry's key.
    func coveredScan(_ scan: IndexScan, _ c: CollectionInfo, _ probe: inout [Value], _ r: inout [Value]) throws -> Bool
    {
        guard let ix = executor.storage.index(c.name, named: scan.index.name) else { throw LocusError(.indexNotFound) }
        let wanted = scan.access.projections ?? []
        let snapshot = executor.collectionsWritten.contains(c.name)
        var pending: [Value] = []
        var more = true
        for range in try persistentRanges(scan, &probe) {
            try executor.storage.indexEntries(ix, range: range, descending: scan.descending) { keyBytes, docKey in
                guard let values = IndexKey.decode(keyBytes) else {
                    throw LocusError(.internalError, "corrupt entry in index \(ix.name)")
                }
                var o = Object(minimumCapacity: wanted.count)
                for name in wanted {
                    switch name {
                    case "_key": o.appendUnique(name, .string(docKey))
                    case "_id": o.appendUnique(name, .string("\(c.name)/\(docKey)"))
                    default:
                        if let f = ix.fields.firstIndex(of: name), f < values.count { o.appendUnique(name, values[f]) }
                    }
                }
                if snapshot { pending.append(.object(o)); return true }
                more = try emit(.object(o), scan.access, &r, index: true)
                return more
            }
            if !more { return false }
        }
        for d in pending where try !emit(d, scan.access, &r, index: true) { return false }
        return more
    }
}
