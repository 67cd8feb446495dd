// Document writes as one step each: key validation and generation, `_id`/`_rev`, edge
// endpoint checks and placement admission, then the row (`DocumentRows`), its index entries
// (`IndexMaintenance`), its view entries and, at a PoP, its clocks and change-stream entry, all
// inside the caller's transaction so that a failed query leaves nothing behind.

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
        for (k, v) in user where !Storage.isSetByStorage(k) {
            out.appendUnique(k, v)
        }
        return out
    }

    /// The stored JSON text of a document of `c` (not an edge): `_key`, `_id` and `_rev`, then
    /// the attributes of `attributes` that `keep` keeps, written straight from them.
    static func documentJSON(
        _ c: CollectionInfo, key: String, revision: String, _ attributes: Object, keep: (String) -> Bool
    ) -> [UInt8] {
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
        JSONWriter.writeString(revision, into: &json)
        for (k, v) in attributes where keep(k) {
            json.append(UInt8(ascii: ","))
            JSONWriter.writeString(k, into: &json)
            json.append(UInt8(ascii: ":"))
            JSONWriter.write(v, into: &json)
        }
        json.append(UInt8(ascii: "}"))
        return json
    }

    /// Whether a stored document's attribute `name` comes from storage rather than from the
    /// user's attributes as given: the system attributes (`systemAttributes`), and `_from`/`_to`,
    /// which only an edge keeps (validated). Both insert paths ask this; a name that does not
    /// start with `_` is answered without hashing it.
    static func isSetByStorage(_ name: String) -> Bool {
        guard name.utf8.first == UInt8(ascii: "_") else { return false }
        return name == "_from" || name == "_to" || systemAttributes.contains(name)
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
        // Under a policy, judged by its user attributes as the stored document would be (a
        // policy that cannot be enforced fails the write here); one naming `_from` or `_to`,
        // which a document does not keep, takes the long way.
        let gated = try replica != nil && requireGate() != nil
        if !returning && c.type == .document && (catalog.indexes(of: c.name)).isEmpty && !linked,
            !gated || (doc["_from"] == nil && doc["_to"] == nil)
        {
            let placement = gated ? try admit(c, stored: doc) : nil
            let json = Storage.documentJSON(c, key: key, revision: newRevision(), doc) { !Storage.isSetByStorage($0) }
            if batched {
                try queueInsert(c, key: key, json: json)
            } else {
                try flushPendingInserts()
                try account(json.count)
                do { try rows.insertDocument(c, key: key, json: json) } catch let e as LocusError
                    where e.code == .uniqueConstraintViolated
                {
                    throw DocumentRows.duplicateKey(key)
                }
            }
            try noteInserted(c, key: key, json: json, placement: placement, queued: batched)
            return nil
        }
        try flushPendingInserts()
        let stored = try storedDocument(c, key: key, user: doc)
        let placement = try admit(c, stored: stored)
        let entries = try indexes.entries(c.name, doc: stored, key: key)
        let json: [UInt8]
        do {
            // An expired key-value entry still holds its key until purged: it gives way.
            if c.type == .kv, try get(c, key: key) == nil, let expired = try rawStored(c, key: key) {
                try purgeRow(c, old: expired, key: key)
            }
            json = try writeRow(c, key: key, doc: stored, insert: true)
        } catch let e as LocusError where e.code == .uniqueConstraintViolated {
            // The primary key is the table's key: a duplicate fails the INSERT itself.
            throw DocumentRows.duplicateKey(key)
        }
        try indexes.add(entries, key: key)
        try addViewEntries(c, doc: stored, key: key)
        try noteInserted(c, key: key, json: json, placement: placement)
        return stored
    }

    /// What follows an inserted row on either path: at a PoP, its clock and change-stream
    /// entry (the row's own JSON text), and its placement under a policy. A row `queued` for a
    /// multi-row INSERT has them queued with it (`queueCapture`).
    private func noteInserted(
        _ c: CollectionInfo, key: String, json: [UInt8], placement: SiteSet?, queued: Bool = false
    ) throws {
        if capturing && queued { return try queueCapture(c, key: key, json: json, placement: placement) }
        if capturing {
            try recordInsert(c, key: key)
            try stream.append(collection: c.id, key: key, .insert, json: json)
        }
        if let placement { try notePlacement(c, key: key, pin: placement) }
    }

    /// Replaces the document `key` with `doc` (user attributes); returns (old, new).
    /// `partial` says the new version came from an UPDATE: at a PoP, only the attributes it
    /// changed are stamped, so concurrent updates of other attributes elsewhere survive.
    /// `current` is the stored document as `get` returned it in this transaction, when the
    /// caller has just read it (an UPDATE merges into it): it is not read a second time.
    @discardableResult
    public func replace(
        _ c: CollectionInfo, key: String, with doc: Object, expectedRevision: String? = nil,
        partial: Bool = false, current: Object? = nil
    ) throws -> (Object, Object) {
        try flushPendingInserts()
        let old: Object
        if let current {
            old = current
        } else {
            guard case .object(let stored)? = try get(c, key: key) else { throw LocusError(.documentNotFound) }
            old = stored
        }
        if let expectedRevision, old["_rev"]?.stringValue != expectedRevision { throw LocusError(.conflict) }
        // At a PoP, `_rev` is the newest stamp of the merged state: an update that changes
        // nothing leaves it (and the replicated state) as it was.
        if capturing && partial && c.type != .kv && Storage.changedAttributes(old, doc).isEmpty { return (old, old) }
        if capturing { try observeClocks(coll: c.id, key: key) }
        let stored = try storedDocument(c, key: key, user: doc)
        let placement = try admit(c, stored: stored)
        let entries = try indexes.entries(c.name, doc: stored, key: key)
        try removeEntries(c, doc: old, key: key)
        let json = try writeRow(c, key: key, doc: stored, insert: false)
        try indexes.add(entries, key: key)
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
        try rows.delete(c, key: key)
        if capturing {
            try recordRemove(c, key: key)
            try stream.append(collection: c.id, key: key, .remove, json: nil)
        }
        return old
    }

    /// Deletes a row and its index entries without recording a change (expiry is not a write).
    func purgeRow(_ c: CollectionInfo, old: Object, key: String) throws {
        try removeEntries(c, doc: old, key: key)
        try rows.delete(c, key: key)
    }

    /// True when a document with `key` is stored and, for key-value entries, not expired.
    public func exists(_ c: CollectionInfo, key: String) throws -> Bool {
        // Key-value entries expire with the clock, so only documents and edges are cached.
        let cacheable = readCacheUsable && c.type != .kv
        let ref = ReadCache.DocumentRef(collection: c.id, key: key)
        if cacheable, let known = readCache.exists(ref) { return known }
        try flushPendingInserts()
        // The time is a parameter: in the text, it would make a new statement every call.
        let s = try sql.prepare(c.type == .kv ? .existsLive : .exists, id: c.id, table: c.table)
        defer { s.reset() }
        s.bind(1, key)
        if c.type == .kv { s.bind(2, now()) }
        let found = try s.step()
        if cacheable { readCache.remember(ref, exists: found) }
        return found
    }

    // MARK: - Rows and index entries

    /// Queues a document row for a multi-row INSERT (see `DocumentRows.queue`).
    func queueInsert(_ c: CollectionInfo, key: String, json: [UInt8]) throws {
        try account(json.count)
        try rows.queue(c, key: key, json: json)
    }

    /// Writes the rows queued for a multi-row INSERT. Every other use of the connection calls
    /// this first, so that reads and later writes see them.
    public func flushPendingInserts() throws {
        try rows.flush()
        try flushCaptures()
    }

    func discardPendingInserts() {
        rows.discard()
        capturedInserts.discard()
    }

    /// Writes the row of `doc`; returns its JSON text (the change stream keeps the same bytes).
    @discardableResult
    func writeRow(_ c: CollectionInfo, key: String, doc: Object, insert: Bool) throws -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(256)
        JSONWriter.write(.object(doc), into: &json)
        try account(json.count)
        try rows.write(c, key: key, doc: doc, json: json, insert: insert)
        return json
    }

    /// Removes the entries the stored `doc` has in the indexes and views of `c`.
    func removeEntries(_ c: CollectionInfo, doc: Object, key: String) throws {
        try removeViewEntries(c, key: key)
        try indexes.remove(c.name, doc: doc, key: key)
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
