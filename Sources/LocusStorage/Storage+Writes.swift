// Document writes: key validation and generation, `_id`/`_rev`, edge endpoint checks,
// key-value expiry, unique constraints and the maintenance of every index, all inside the
// caller's transaction so that a failed query leaves nothing behind.

import LocusErrors
import LocusValues

extension Storage {
    // MARK: - Revisions and keys

    static let revAlphabet: [UInt8] = Array("-_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// A strictly increasing tick from the wall clock in microseconds.
    func nextTick() -> UInt64 { revisions.next(now: now(), hybrid: replica != nil) }

    /// A revision string in ArangoDB's form, for a new tick.
    func newRevision() -> String { revisionString(nextTick()) }

    /// The revision string of a tick (at a PoP, of an HLC stamp), in ArangoDB's form: the
    /// milliseconds shifted left by 20 bits plus a counter (here the microseconds within the
    /// millisecond, or the HLC's counter), in ArangoDB's base 64, so that DECODE_REV reads the
    /// time back as ArangoDB does.
    func revisionString(_ tick: UInt64) -> String {
        let milliseconds = replica != nil ? tick >> 16 : tick / 1000
        let counter = replica != nil ? tick & 0xFFFF : tick % 1000
        var t = milliseconds << 20 | counter
        return String(unsafeUninitializedCapacity: 11) { buf in
            var n = 11
            repeat {
                n -= 1
                buf[n] = Storage.revAlphabet[Int(t & 63)]
                t >>= 6
            } while t > 0 && n > 0
            // Shift left so the string starts at the buffer's beginning.
            let len = 11 - n
            for i in 0..<len { buf[i] = buf[n + i] }
            return len
        }
    }

    // MARK: - Validation

    static func validKey(_ v: Value) throws -> String {
        guard case .string(let k) = v, DocumentKey.isValid(k) else { throw LocusError(.documentKeyBad) }
        return k
    }

    static func validVertexId(_ v: Value?) throws -> String {
        guard case .string(let s)? = v, let slash = s.firstIndex(of: "/"),
            DocumentKey.isValidCollectionName(String(s[..<slash])),
            DocumentKey.isValid(String(s[s.index(after: slash)...]))
        else {
            throw LocusError(
                code: .invalidEdgeAttribute,
                message:
                    "expecting both `_from` and `_to` attributes to be defined in the edge document and have the format `<collectionName>/<vertexKey>`"
            )
        }
        return s
    }

    /// The stored form: system attributes first, then the user's attributes in their order.
    func storedDocument(_ c: CollectionInfo, key: String, user: Object) throws -> Object {
        var out = Object(minimumCapacity: user.count + 3)
        out.appendUnique("_key", .string(key))
        out.appendUnique("_id", .string("\(c.name)/\(key)"))
        if c.type == .edge {
            out.appendUnique("_from", .string(try Storage.validVertexId(user["_from"])))
            out.appendUnique("_to", .string(try Storage.validVertexId(user["_to"])))
        }
        out.appendUnique("_rev", .string(newRevision()))
        for (k, v) in user where k != "_key" && k != "_id" && k != "_rev" && k != "_from" && k != "_to" {
            out.appendUnique(k, v)
        }
        return out
    }

    // MARK: - Writes

    /// Inserts a document; generates `_key` when absent. Returns the stored document.
    @discardableResult
    public func insert(_ c: CollectionInfo, _ doc: Object) throws -> Object {
        try insert(c, doc, returning: true)!
    }

    /// Inserts a document; builds and returns the stored document only when `returning`.
    /// Without indexes to feed and nothing to return, the JSON is written straight from `doc`;
    /// when `batched`, such rows are queued for multi-row INSERTs, and a key conflict may then
    /// surface at a later call (callers that handle errors per document must not batch).
    public func insert(_ c: CollectionInfo, _ doc: Object, returning: Bool, batched: Bool = false) throws -> Object? {
        let key: String
        if let k = doc["_key"] {
            key = try Storage.validKey(k)
        } else if let replica {
            // Ticks are unique per PoP only: the PoP's name keeps generated keys apart.
            key = "\(nextTick())-\(replica.pop)"
        } else {
            key = String(nextTick())
        }
        let linked = try hasViewLinks(c.name)
        if !returning && c.type == .document && replica == nil && (catalog.indexes(of: c.name)).isEmpty && !linked {
            var json: [UInt8] = []
            json.reserveCapacity(256)
            json.append(contentsOf: #"{"_key":"#.utf8)
            JSONWriter.writeString(key, into: &json)
            // Collection names and keys never need escaping.
            json.append(contentsOf: #","_id":""#.utf8)
            json.append(contentsOf: c.name.utf8)
            json.append(UInt8(ascii: "/"))
            json.append(contentsOf: key.utf8)
            json.append(UInt8(ascii: "\""))
            json.append(contentsOf: #","_rev":"#.utf8)
            JSONWriter.writeString(newRevision(), into: &json)
            for (k, v) in doc where k != "_key" && k != "_id" && k != "_rev" {
                json.append(UInt8(ascii: ","))
                JSONWriter.writeString(k, into: &json)
                json.append(UInt8(ascii: ":"))
                JSONWriter.write(v, into: &json)
            }
            json.append(UInt8(ascii: "}"))
            if batched {
                try queueInsert(c, key: key, json: json)
            } else {
                try flushPendingInserts()
                do { try writeDocumentRow(c, key: key, json: json) } catch let e as LocusError
                    where e.code == .uniqueConstraintViolated
                {
                    throw Storage.duplicateKey(key)
                }
            }
            return nil
        }
        try flushPendingInserts()
        let stored = try storedDocument(c, key: key, user: doc)
        let placement = try admit(c, stored: stored)
        let entries = try indexEntries(c, doc: stored, key: key)
        let json: [UInt8]
        do {
            // An expired key-value entry still holds its key until purged: it gives way.
            if c.type == .kv, try get(c, key: key) == nil, let expired = try rawStored(c, key: key) {
                try purgeRow(c, old: expired, key: key)
            }
            json = try writeRow(c, key: key, doc: stored, insert: true)
        } catch let e as LocusError where e.code == .uniqueConstraintViolated {
            // The primary key is the table's key: a duplicate fails the INSERT itself.
            throw LocusError(
                code: .uniqueConstraintViolated,
                message:
                    "unique constraint violated - in index primary of type primary over '_key'; conflicting key: \(key)"
            )
        }
        try addEntries(entries, key: key)
        try addViewEntries(c, doc: stored, key: key)
        if capturing {
            try recordInsert(c, key: key)
            try stream.append(collection: c.id, key: key, .insert, json: json)
        }
        if let placement { try notePlacement(c, key: key, pin: placement) }
        return stored
    }

    /// Replaces the document `key` with `doc` (user attributes); returns (old, new).
    /// `partial` says the new version came from an UPDATE: at a PoP, only the attributes it
    /// changed are stamped, so concurrent updates of other attributes elsewhere survive.
    @discardableResult
    public func replace(
        _ c: CollectionInfo, key: String, with doc: Object, expectedRevision: String? = nil,
        partial: Bool = false
    ) throws -> (Object, Object) {
        try flushPendingInserts()
        guard case .object(let old)? = try get(c, key: key) else { throw LocusError(.documentNotFound) }
        if let expectedRevision, old["_rev"]?.stringValue != expectedRevision { throw LocusError(.conflict) }
        // At a PoP, `_rev` is the newest stamp of the merged state: an update that changes
        // nothing leaves it (and the replicated state) as it was.
        if capturing && partial && c.type != .kv && Storage.changedAttributes(old, doc).isEmpty { return (old, old) }
        if capturing { try observeClocks(coll: c.id, key: key) }
        let stored = try storedDocument(c, key: key, user: doc)
        let placement = try admit(c, stored: stored)
        let entries = try indexEntries(c, doc: stored, key: key)
        try removeEntries(c, doc: old, key: key)
        let json = try writeRow(c, key: key, doc: stored, insert: false)
        try addEntries(entries, key: key)
        try addViewEntries(c, doc: stored, key: key)
        if capturing {
            try recordReplace(c, key: key, old: old, new: stored, partial: partial)
            try stream.append(collection: c.id, key: key, partial ? .update : .replace, json: json)
        }
        if let placement { try notePlacement(c, key: key, pin: placement) }
        return (old, stored)
    }

    /// Removes the document `key`; returns it.
    @discardableResult
    public func remove(_ c: CollectionInfo, key: String, expectedRevision: String? = nil) throws -> Object {
        try flushPendingInserts()
        guard case .object(let old)? = try get(c, key: key) else { throw LocusError(.documentNotFound) }
        return try remove(c, old: old, key: key, expectedRevision: expectedRevision)
    }

    /// Removes a document already read (live or expired) with its index entries.
    func remove(_ c: CollectionInfo, old: Object, key: String, expectedRevision: String? = nil) throws -> Object {
        if let expectedRevision, old["_rev"]?.stringValue != expectedRevision { throw LocusError(.conflict) }
        try removeEntries(c, doc: old, key: key)
        let d = try sql.prepare("DELETE FROM \(c.table) WHERE key = ?")
        d.bind(1, key)
        try d.run()
        if capturing {
            try recordRemove(c, key: key)
            try stream.append(collection: c.id, key: key, .remove, json: nil)
        }
        return old
    }

    /// Deletes a row and its index entries without recording a change (expiry is not a write).
    func purgeRow(_ c: CollectionInfo, old: Object, key: String) throws {
        try removeEntries(c, doc: old, key: key)
        let d = try sql.prepare("DELETE FROM \(c.table) WHERE key = ?")
        d.bind(1, key)
        try d.run()
    }

    /// True when a document with `key` is stored and, for key-value entries, not expired.
    public func exists(_ c: CollectionInfo, key: String) throws -> Bool {
        // Key-value entries expire with the clock, so only documents and edges are cached.
        let cacheable = readCacheUsable && c.type != .kv
        let ref = ReadCache.DocumentRef(collection: c.id, key: key)
        if cacheable, let known = readCache.exists(ref) { return known }
        try flushPendingInserts()
        let s = try sql.prepare(
            "SELECT 1 FROM \(c.table) WHERE key = ?"
                + (c.type == .kv ? " AND (expire_at IS NULL OR expire_at > \(now()))" : ""))
        defer { s.reset() }
        s.bind(1, key)
        let found = try s.step()
        if cacheable { readCache.remember(ref, exists: found) }
        return found
    }

    // MARK: - Batched inserts

    /// Queues a document row for a multi-row INSERT. Every other use of the connection flushes
    /// the queue first (`flushPendingInserts`), so reads and later writes always see it. A key
    /// conflict, within the queue or with a stored row, fails the flush, which names the key.
    func queueInsert(_ c: CollectionInfo, key: String, json: [UInt8]) throws {
        try account(json.count)
        if pendingInserts.belongsElsewhere(c) { try flushPendingInserts() }
        pendingInserts.append(c, key: key, json: json)
        if pendingInserts.isFull { try flushPendingInserts() }
    }

    static func duplicateKey(_ key: String) -> LocusError {
        LocusError(
            code: .uniqueConstraintViolated,
            message:
                "unique constraint violated - in index primary of type primary over '_key'; conflicting key: \(key)")
    }

    /// Writes the queued rows with one statement; on a key conflict, finds the culprit row by row.
    public func flushPendingInserts() throws {
        guard let (c, rows) = pendingInserts.take() else { return }
        let values = Array(repeating: "(?, ?)", count: rows.count).joined(separator: ", ")
        let s = try sql.prepare("INSERT INTO \(c.table)(key, doc) VALUES \(values)")
        var i: Int32 = 1
        for (key, json) in rows {
            s.bind(i, key)
            s.bindText(i + 1, bytes: json)
            i += 2
        }
        do {
            try s.run()
        } catch let e as LocusError where e.code == .uniqueConstraintViolated {
            // The failed statement left nothing behind; replay row by row to name the key.
            for (key, json) in rows {
                do { try writeDocumentRow(c, key: key, json: json) } catch let e as LocusError
                    where e.code == .uniqueConstraintViolated
                {
                    throw Storage.duplicateKey(key)
                }
            }
            throw e
        }
    }

    func discardPendingInserts() { pendingInserts.discard() }

    func writeDocumentRow(_ c: CollectionInfo, key: String, json: [UInt8]) throws {
        try account(json.count)
        let s = try sql.prepare("INSERT INTO \(c.table)(key, doc) VALUES (?, ?)")
        s.bind(1, key)
        s.bindText(2, bytes: json)
        try s.run()
    }

    /// Writes the row of `doc`; returns its JSON text (the change stream keeps the same bytes).
    @discardableResult
    func writeRow(_ c: CollectionInfo, key: String, doc: Object, insert: Bool) throws -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(256)
        JSONWriter.write(.object(doc), into: &json)
        try account(json.count)
        // Updates keep the row in place, so a scan in progress never meets it twice.
        switch (c.type, insert) {
        case (.document, true):
            let s = try sql.prepare("INSERT INTO \(c.table)(key, doc) VALUES (?, ?)")
            s.bind(1, key)
            s.bindText(2, bytes: json)
            try s.run()
        case (.document, false):
            let s = try sql.prepare("UPDATE \(c.table) SET doc = ? WHERE key = ?")
            s.bindText(1, bytes: json)
            s.bind(2, key)
            try s.run()
        case (.edge, true):
            let s = try sql.prepare("INSERT INTO \(c.table)(key, doc, from_id, to_id) VALUES (?, ?, ?, ?)")
            s.bind(1, key)
            s.bindText(2, bytes: json)
            s.bind(3, doc["_from"]?.stringValue ?? "")
            s.bind(4, doc["_to"]?.stringValue ?? "")
            try s.run()
        case (.edge, false):
            let s = try sql.prepare("UPDATE \(c.table) SET doc = ?, from_id = ?, to_id = ? WHERE key = ?")
            s.bindText(1, bytes: json)
            s.bind(2, doc["_from"]?.stringValue ?? "")
            s.bind(3, doc["_to"]?.stringValue ?? "")
            s.bind(4, key)
            try s.run()
        case (.kv, true):
            let s = try sql.prepare("INSERT INTO \(c.table)(key, doc, expire_at) VALUES (?, ?, ?)")
            s.bind(1, key)
            s.bindText(2, bytes: json)
            if let t = Storage.expiry(doc) { s.bind(3, t) } else { s.bindNull(3) }
            try s.run()
        case (.kv, false):
            let s = try sql.prepare("UPDATE \(c.table) SET doc = ?, expire_at = ? WHERE key = ?")
            s.bindText(1, bytes: json)
            if let t = Storage.expiry(doc) { s.bind(2, t) } else { s.bindNull(2) }
            s.bind(3, key)
            try s.run()
        }
        return json
    }

    /// When a key-value entry expires, in seconds since the epoch: its numeric `expireAt`.
    /// Macrometa's `-1` (any negative number) and a missing or non-numeric one mean never.
    static func expiry(_ doc: Object) -> Double? {
        guard case .number(let t)? = doc["expireAt"], t >= 0 else { return nil }
        return t
    }

    // MARK: - Index maintenance

    /// The values of an index field path such as `a.b` or `tags[*].name` in `doc`.
    static func fieldValues(_ doc: Value, _ path: String) -> [Value] {
        var current: [Value] = [doc]
        var expanded = false
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(part)
            let expand = name.hasSuffix("[*]")
            if expand { name = name.dropLast(3) }
            current = current.map { $0[attribute: String(name)] }
            if expand {
                expanded = true
                current = current.flatMap { v -> [Value] in
                    if case .array(let a) = v { return a }
                    return []
                }
            }
        }
        if expanded { return Array(Set(current)) }
        return current
    }

    struct Entry {
        let index: IndexInfo
        let key: [UInt8]
    }

    func indexKeyBytes(_ ix: IndexInfo, doc: Value) -> [[UInt8]] {
        if ix.type == .fulltext {
            let values = Storage.fieldValues(doc, ix.fields[0])
            return FulltextIndex.words(values, minLength: ix.minLength ?? 2).map { Array($0.utf8) }
        }
        if ix.type == .geo { return GeoIndex.location(ix, doc).map { [GeoIndex.key($0.latitude, $0.longitude)] } ?? [] }
        var combos: [[Value]] = [[]]
        for f in ix.fields {
            let vs = Storage.fieldValues(doc, f)
            if vs.isEmpty { return [] }  // an empty expanded array indexes nothing
            combos = combos.flatMap { prefix in vs.map { prefix + [$0] } }
        }
        return combos.compactMap { vals in
            if ix.sparse && vals.contains(where: \.isNull) { return nil }
            if ix.type == .ttl, vals.first?.numberValue == nil { return nil }
            return IndexKey.encode(vals)
        }
    }

    /// The entries `doc` needs in every secondary index, after checking unique constraints.
    func indexEntries(_ c: CollectionInfo, doc: Object, key: String) throws -> [Entry] {
        var out: [Entry] = []
        for ix in catalog.indexes(of: c.name) {
            for k in indexKeyBytes(ix, doc: .object(doc)) {
                if ix.unique {
                    let s = try sql.prepare("SELECT key FROM \(ix.table) WHERE k = ? AND key != ? LIMIT 1")
                    s.bind(1, bytes: k)
                    s.bind(2, key)
                    if try s.step() {
                        throw LocusError(
                            code: .uniqueConstraintViolated,
                            message:
                                "unique constraint violated - in index \(ix.name) of type \(ix.type.rawValue) over '\(ix.fields.joined(separator: ", "))'; conflicting key: \(s.text(0) ?? "")"
                        )
                    }
                }
                out.append(Entry(index: ix, key: k))
            }
        }
        return out
    }

    func addEntries(_ entries: [Entry], key: String) throws {
        for e in entries {
            let s = try sql.prepare("INSERT OR IGNORE INTO \(e.index.table)(k, key) VALUES (?, ?)")
            s.bind(1, bytes: e.key)
            s.bind(2, key)
            try s.run()
        }
    }

    func addIndexEntries(_ ix: IndexInfo, doc: Object, key: String) throws {
        let entries = try indexEntries(CollectionInfo(id: 0, name: ix.collection, type: .document), doc: doc, key: key)
            .filter { $0.index.id == ix.id }
        try addEntries(entries, key: key)
    }

    func removeEntries(_ c: CollectionInfo, doc: Object, key: String) throws {
        try removeViewEntries(c, key: key)
        for ix in catalog.indexes(of: c.name) {
            for k in indexKeyBytes(ix, doc: .object(doc)) {
                let s = try sql.prepare("DELETE FROM \(ix.table) WHERE k = ? AND key = ?")
                s.bind(1, bytes: k)
                s.bind(2, key)
                try s.run()
            }
        }
    }

    // MARK: - Expiry

    /// Deletes expired key-value entries and documents past their TTL index deadline.
    public func purgeExpired() throws {
        try flushPendingInserts()
        let now = now()
        for c in catalog.collections {
            var expired: [String] = []
            if c.type == .kv {
                let s = try sql.prepare("SELECT key FROM \(c.table) WHERE expire_at IS NOT NULL AND expire_at <= ?")
                s.bind(1, now)
                while try s.step() { expired.append(s.text(0)!) }
            }
            for ix in catalog.indexes(of: c.name) where ix.type == .ttl {
                let upper = IndexKey.encode([.number(now - (ix.expireAfter ?? 0))]) + [IndexKey.high]
                try indexKeys(
                    ix,
                    range: IndexRange(lower: IndexKey.encode([.number(-Double.greatestFiniteMagnitude)]), upper: upper)
                ) {
                    expired.append($0)
                    return true
                }
            }
            for k in Set(expired) {
                guard let old = try rawStored(c, key: k) else { continue }
                // An expired key-value entry is gone at every PoP by the same rule, so its
                // purge is local; a document past its TTL index deadline is removed for real.
                if c.type == .kv { try purgeRow(c, old: old, key: k) } else { _ = try remove(c, old: old, key: k) }
            }
        }
    }
}
