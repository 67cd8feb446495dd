// Reads of one connection: collection scans and key lookups (live rows only), counts, index
// ranges and entries, and the edges at a vertex, the hot ones answered from the read cache
// inside read transactions.

import LocusErrors
import LocusValues

extension Storage {
    /// Physical time from the storage's wall clock (key-value expiry, revisions, HLC stamps).
    func now() -> Double { wallClock.now() }

    /// Calls `body` with the JSON bytes of every live document; `body` returns false to stop.
    public func scan(_ c: CollectionInfo, _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws {
        try flushPendingInserts()
        let s = try sql.prepare(c.type == .kv ? .scanLive : .scan, id: c.id, table: c.table)
        defer { s.reset() }
        if c.type == .kv { s.bind(1, now()) }
        while try s.step() {
            if try !s.withBytes(0, body) { break }
        }
    }

    /// Calls `body` with the JSON bytes of the documents whose keys are given, in that order.
    public func lookup(_ c: CollectionInfo, keys: [String], _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws
    {
        try flushPendingInserts()
        let s = try sql.prepare(c.type == .kv ? .lookupLive : .lookup, id: c.id, table: c.table)
        defer { s.reset() }
        let now = now()
        for k in keys {
            s.reset()
            s.bind(1, k)
            if c.type == .kv { s.bind(2, now) }
            if try s.step() {
                if try !s.withBytes(0, body) { return }
            }
        }
    }

    /// The document with `key`, or nil. Read transactions keep what they decode in the read
    /// cache (documents and edges; key-value entries expire with the clock, so never those).
    public func get(_ c: CollectionInfo, key: String) throws -> Value? {
        if readCacheUsable && c.type != .kv { return try stored(c, key: key)?.value }
        var out: Value? = nil
        try lookup(c, keys: [key]) {
            out = try JSONReader.parseStored($0)
            return false
        }
        return out
    }

    /// A document decoded, with its JSON as stored; nil when there is none.
    public func stored(_ c: CollectionInfo, key: String) throws -> StoredDocument? {
        let cacheable = readCacheUsable && c.type != .kv
        let ref = ReadCache.DocumentRef(collection: c.id, key: key)
        if cacheable {
            if let known = readCache.document(ref) { return known }
            if readCache.exists(ref) == false { return nil }
        }
        var out: StoredDocument? = nil
        try lookup(c, keys: [key]) {
            out = StoredDocument(value: try JSONReader.parseStored($0), json: Array($0))
            return false
        }
        if cacheable {
            if let out {
                readCache.remember(ref, document: out)
            } else {
                readCache.remember(ref, exists: false)
            }
        }
        return out
    }

    public func count(_ c: CollectionInfo) throws -> Int {
        try flushPendingInserts()
        let s = try sql.prepare(c.type == .kv ? .countLive : .count, id: c.id, table: c.table)
        defer { s.reset() }
        if c.type == .kv { s.bind(1, now()) }
        _ = try s.step()
        return s.int(0)
    }

    /// Document keys from an index range, in index order (descending when asked).
    public func indexKeys(_ ix: IndexInfo, range: IndexRange, descending: Bool = false, _ body: (String) throws -> Bool)
        throws
    {
        try indexEntries(ix, range: range, descending: descending) { _, key in try body(key) }
    }

    /// Documents of collection `c` from a range of its index `ix` in index order, joined in
    /// one statement.
    public func indexDocuments(
        _ ix: IndexInfo, of c: CollectionInfo, range: IndexRange, descending: Bool = false,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool
    ) throws {
        try flushPendingInserts()
        let live = c.type == .kv
        let statement = IndexRangeStatement(
            documents: true, lower: range.lower != nil, upper: range.upper != nil, descending: descending, live: live)
        let s = try sql.prepare(statement, index: ix.id) { statement.sql(index: ix.table, collection: c.table) }
        defer { s.reset() }
        var i: Int32 = 1
        if let l = range.lower { s.bind(i, bytes: l); i += 1 }
        if let u = range.upper { s.bind(i, bytes: u); i += 1 }
        if live { s.bind(i, now()) }
        while try s.step() {
            if try !s.withBytes(0, body) { break }
        }
    }

    /// Index entries of a range in index order: the encoded key and the document key.
    public func indexEntries(
        _ ix: IndexInfo, range: IndexRange, descending: Bool = false,
        _ body: (UnsafeBufferPointer<UInt8>, String) throws -> Bool
    ) throws {
        try flushPendingInserts()
        let statement = IndexRangeStatement(
            documents: false, lower: range.lower != nil, upper: range.upper != nil, descending: descending, live: false)
        let s = try sql.prepare(statement, index: ix.id) { statement.sql(index: ix.table) }
        defer { s.reset() }
        var i: Int32 = 1
        if let l = range.lower { s.bind(i, bytes: l); i += 1 }
        if let u = range.upper { s.bind(i, bytes: u) }
        while try s.step() {
            if try !s.withBytes(0, { try body($0, s.text(1) ?? "") }) { break }
        }
    }

    /// The distinct keys of an index with how many entries carry each, in index order.
    public func indexKeyCounts(_ ix: IndexInfo, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Bool) throws {
        try flushPendingInserts()
        let s = try sql.prepare("SELECT k, count(*) FROM \(ix.table) GROUP BY k ORDER BY k")
        defer { s.reset() }
        while try s.step() {
            if try !s.withBytes(0, { try body($0, s.int(1)) }) { break }
        }
    }

    /// The index named `name` on `collection`.
    public func index(_ collection: String, named name: String) -> IndexInfo? {
        catalog.indexes(of: collection).first { $0.name == name }
    }

    /// The edges at `vertex` with their endpoints read from columns; the document's JSON is
    /// handed over too, for callers that need more than the endpoints.
    public func edgeEndpoints(
        _ c: CollectionInfo, vertex: String, outbound: Bool,
        _ body: (_ key: String, _ from: String, _ to: String, _ doc: UnsafeBufferPointer<UInt8>) throws -> Bool
    ) throws {
        try edgeEndpoints(c, vertex: vertex, outbound: outbound, checking: nil) { key, from, to, doc, _ in
            try body(key, from, to, doc)
        }
    }

    /// As `edgeEndpoints`, also telling for each edge whether its far end is a document of
    /// `targets`, in the same statement: a traversal that only needs to know its vertices
    /// exist reads them with their edges. The flag is false for far ends in other
    /// collections, without `targets`, and for key-value targets (whose entries expire).
    public func edgeEndpoints(
        _ c: CollectionInfo, vertex: String, outbound: Bool, checking targets: CollectionInfo?,
        _ body: (
            _ key: String, _ from: String, _ to: String, _ doc: UnsafeBufferPointer<UInt8>,
            _ targetExists: Bool
        ) throws -> Bool
    ) throws {
        let s = try edgeStatement(c, vertex: vertex, outbound: outbound, checking: targets, documents: true)
        defer { s.reset() }
        while try s.step() {
            let more = try s.withBytes(4) {
                try body(s.text(0) ?? "", s.text(1) ?? "", s.text(2) ?? "", $0, s.int(3) != 0)
            }
            if !more { break }
        }
    }

    /// The edges at `vertex` without their documents, with the far end's existence as
    /// `edgeEndpoints` reports it. Read transactions serve them from the read cache.
    public func neighborhood(_ c: CollectionInfo, vertex: String, outbound: Bool, checking targets: CollectionInfo?)
        throws -> [EdgeEndpoint]
    {
        let key = ReadCache.NeighborhoodKey(
            collection: c.id, outbound: outbound, vertex: vertex, checked: targets?.id ?? 0)
        if readCacheUsable, let cached = readCache.neighborhood(key) { return cached }
        let s = try edgeStatement(c, vertex: vertex, outbound: outbound, checking: targets, documents: false)
        defer { s.reset() }
        var out: [EdgeEndpoint] = []
        while try s.step() {
            out.append(
                EdgeEndpoint(key: s.text(0) ?? "", far: s.text(outbound ? 2 : 1) ?? "", farExists: s.int(3) != 0))
        }
        if readCacheUsable { readCache.remember(key, out) }
        return out
    }

    /// The statement reading the edges at `vertex` (?1), bound and ready to step: key, from,
    /// to, whether the far end exists in `targets` (?3 is its `_id` prefix, ?2 where its key
    /// starts), and the document when asked.
    func edgeStatement(
        _ c: CollectionInfo, vertex: String, outbound: Bool, checking targets: CollectionInfo?,
        documents: Bool
    ) throws -> PreparedStatement {
        try flushPendingInserts()
        guard c.type == .edge else { throw LocusError(.collectionTypeInvalid, c.name) }
        let near = outbound ? "from_id" : "to_id"
        let far = outbound ? "to_id" : "from_id"
        let exists =
            targets.map {
                $0.type == .kv
                    ? "0"
                    : "(substr(e.\(far), 1, ?2 - 1) = ?3 AND EXISTS(SELECT 1 FROM \($0.table) WHERE key = substr(e.\(far), ?2)))"
            } ?? "0"
        let s = try sql.prepare(
            "SELECT key, from_id, to_id, \(exists)\(documents ? ", doc" : "") FROM \(c.table) AS e WHERE \(near) = ?1")
        s.bind(1, vertex)
        if let targets, targets.type != .kv {
            s.bind(2, targets.name.utf8.count + 2)
            s.bind(3, targets.name + "/")
        }
        return s
    }

    /// Edge documents whose `_from` (outbound) or `_to` (inbound) is `vertex`.
    public func edges(
        _ c: CollectionInfo, vertex: String, outbound: Bool, _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool
    ) throws {
        try edgeEndpoints(c, vertex: vertex, outbound: outbound) { _, _, _, doc in try body(doc) }
    }
}
