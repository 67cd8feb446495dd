// Merging changes from other PoPs: each change joins into the replicated state of its key
// (ReplicatedState), and the result is materialized in the same transaction: the document
// row, its index entries, its clocks (re-sequenced into this PoP's feed only when they
// changed, so that gossip dies out), and for catalog entries the collections and indexes.

import LocusErrors
import LocusValues

extension Storage {
    struct StateKey: Hashable {
        let coll: Int
        let key: String
    }

    struct PendingState {
        let collection: CollectionInfo
        let original: ReplicatedState
        /// The row as stored before the batch, with its system attributes.
        let stored: Object?
        var state: ReplicatedState
        /// The placement the sender gave the record's latest change.
        var carried: SiteSet?
    }

    /// Merges a batch of changes from another PoP (`peer`, for the audit log) in one
    /// transaction; returns how many of them changed this PoP's state (the rest were already
    /// known, superseded, or refused by the placement policy).
    @discardableResult
    public func apply(_ changes: [Change], from peer: String? = nil) throws -> Int {
        guard let pop = replica?.pop else { throw LocusError(.badParameter, "this database is not a PoP of a fabric") }
        try flushPendingInserts()
        applyingRemote = true
        defer { applyingRemote = false }
        return try transaction(write: true) {
            var pending: [StateKey: PendingState] = [:]
            var order: [StateKey] = []
            var changed = 0
            var refused = 0
            for change in changes {
                try Storage.validate(change)
                revisions.observe(change.stamp.hlc)
                if change.collection == Change.catalog {
                    try flush(&pending, &order, refused: &refused, peer: peer)
                    var state = try loadState(coll: 0, collection: nil, key: change.key)
                    let original = state
                    if state.apply(change) {
                        changed += 1
                        try storeClocks(coll: 0, key: change.key, original, state)
                        try materializeCatalog(key: change.key, state)
                    }
                    continue
                }
                guard let c = catalog.collection(change.collection) else {
                    // Written concurrently with the collection's drop, which wins.
                    if let m = try clockRow(coll: 0, key: change.collection, attr: ""), !CausalLength.isLive(m.cl) {
                        continue
                    }
                    throw LocusError(
                        .replicationInvalidResponse, "change for unknown collection '\(change.collection)'")
                }
                if try requireGate() != nil {
                    if case .moved = change.body {
                        try flush(&pending, &order, refused: &refused, peer: peer)
                        if try applyMoveNotice(
                            c, digest: change.key, cl: change.causalLength, newest: change.stamp.hlc, peer: peer)
                        {
                            changed += 1
                        }
                        continue
                    }
                    // The sender's judgement is checked, then this PoP judges the merged record itself.
                    if let p = change.placement, !p.contains(pop) { refused += 1; continue }
                } else if case .moved = change.body {
                    continue
                }
                let k = StateKey(coll: c.id, key: change.key)
                if pending[k] == nil {
                    // Most changes a PoP receives it already has (gossip brings them from many
                    // peers): the clocks alone say so, without reading the document.
                    let marker = try clockRow(coll: c.id, key: change.key, attr: "")
                    if try isSuperseded(change, marker: marker, coll: c.id) { continue }
                    // A PoP writes a row only with its marker (and erases them together): a key
                    // without one has no row to read.
                    let stored = marker == nil ? nil : try rawStored(c, key: change.key)
                    let s = try loadState(coll: c.id, collection: c, key: change.key, stored: stored, marker: marker)
                    pending[k] = PendingState(collection: c, original: s, stored: stored, state: s)
                    order.append(k)
                }
                if pending[k]!.state.apply(change) { changed += 1 }
                pending[k]!.carried = change.placement
            }
            try flush(&pending, &order, refused: &refused, peer: peer)
            if let peer, changed > 0 || refused > 0, policy.gate != nil {
                try audit(
                    "receive", peer: peer, collection: nil, count: changed,
                    detail: refused > 0 ? "refused \(refused)" : nil)
            }
            return changed
        }
    }

    /// The replicated state of every key of a collection (removed keys included), in key order.
    public func replicatedStates(_ collection: String) throws -> [(key: String, state: ReplicatedState)] {
        guard replica != nil else { return [] }
        try flushPendingInserts()
        let c = try requireCollection(collection)
        var keys: [String] = []
        let s = try sql.prepare("SELECT key FROM locus_clock WHERE coll = ? AND attr = '' ORDER BY key")
        s.bind(1, c.id)
        while try s.step() { keys.append(s.text(0)!) }
        s.reset()
        return try keys.map { ($0, try loadState(coll: c.id, collection: c, key: $0)) }
    }

    /// True when the stored clocks (the key's `marker`, read by the caller) already outrank
    /// `change`.
    func isSuperseded(_ change: Change, marker: ClockRow?, coll: Int) throws -> Bool {
        guard let marker else { return false }
        if change.causalLength != marker.cl { return change.causalLength < marker.cl }
        if change.stamp <= marker.stamp { return true }
        guard case .attribute(let name, _) = change.body else { return false }
        if !CausalLength.isLive(change.causalLength) { return true }
        return try clockRow(coll: coll, key: change.key, attr: name).map { change.stamp <= $0.stamp } ?? false
    }

    static func validate(_ change: Change) throws {
        if change.collection == Change.catalog {
            guard
                change.key == Change.fabricKey || change.key == Storage.policyKey
                    || DefinitionKind.entry(change.key) != nil
                    || DocumentKey.isValidCollectionName(change.key)
            else {
                throw LocusError(.replicationInvalidResponse, "invalid catalog key '\(change.key)'")
            }
        } else {
            guard DocumentKey.isValidCollectionName(change.collection), DocumentKey.isValid(change.key) else {
                throw LocusError(.replicationInvalidResponse, "invalid document '\(change.collection)/\(change.key)'")
            }
        }
        guard change.causalLength > 0 else {
            throw LocusError(.replicationInvalidResponse, "invalid causal length \(change.causalLength)")
        }
        if case .attribute(let name, _) = change.body, name.isEmpty || systemAttributes.contains(name) {
            throw LocusError(.replicationInvalidResponse, "invalid attribute '\(name)'")
        }
    }

    /// The replicated state of a key as stored: clocks, and values from the row or catalog.
    /// `stored` is the row, and `marker` the key's marker clock, when the caller has read them
    /// already.
    func loadState(
        coll: Int, collection: CollectionInfo?, key: String, stored: Object?? = nil, marker: ClockRow?? = nil
    ) throws -> ReplicatedState {
        guard let m = try marker ?? clockRow(coll: coll, key: key, attr: "") else { return ReplicatedState() }
        let live = CausalLength.isLive(m.cl)
        var values: Object?
        if let collection {
            values = live ? try stored.map { $0.map(Storage.userAttributes) } ?? rawDocument(collection, key: key) : nil
        } else {
            values = try catalogState(key: key, live: live)
        }
        return ReplicatedState(
            causalLength: m.cl, marker: m.stamp, values: values ?? Object(),
            attributeStamps: try attributeClocks(coll: coll, key: key), present: values != nil)
    }

    func flush(
        _ pending: inout [StateKey: PendingState], _ order: inout [StateKey], refused: inout Int, peer: String? = nil
    ) throws {
        defer {
            pending = [:]
            order = []
        }
        for k in order {
            guard let p = pending[k], p.state != p.original else { continue }
            guard let gate = try requireGate(), let pop = replica?.pop else {
                if try queueMergedInsert(p, key: k.key, peer: peer) { continue }
                try storeClocks(coll: k.coll, key: k.key, p.original, p.state)
                let json = try materialize(p.collection, key: k.key, p.state, old: p.stored)
                try streamMerge(p.collection, key: k.key, p.state, json: json, old: p.stored, peer: peer)
                continue
            }
            let c = p.collection
            let pin: SiteSet
            if p.state.present {
                // Judged by the merged content alone (the sender judged only its own version);
                // an endpoint this PoP does not hold is judged by what it knows of it.
                pin = try gate.placement(collection: c.name, document: p.state.values) { endpoint in
                    try self.endpointPlacement(endpoint, edge: c, key: k.key, carried: p.carried, gate: gate)
                }
            } else {
                let stored = try storedPlacement(c, key: k.key)?.pin
                pin = (p.carried ?? stored ?? .everywhere).intersection(gate.widest(collection: c.name))
            }
            var allowed = pin.contains(pop)
            let evicted = try eviction(collection: c.name, key: k.key)
            if let evicted, evicted.cl > 0 {
                // After a record moved away, only a whole state of it at least as new as the
                // one that moved (its marker included) comes back; what lagging peers still
                // hold stays out, even when this PoP kept a tombstone of an earlier life of the
                // record. The very state that moved comes back when a policy widened: this
                // PoP's own judgement of its content above has allowed it.
                let newer =
                    p.state.causalLength > evicted.cl
                    || (p.state.causalLength == evicted.cl && p.state.newestStamp.hlc >= evicted.hlc)
                allowed = allowed && newer && p.state.marker != .zero
            }
            guard allowed else {
                refused += 1
                if p.original.causalLength > 0 {
                    if let marker = try clockRow(coll: c.id, key: k.key, attr: "") {
                        try reportDrop(c, key: k.key, moving: marker, peer: peer, to: pin)
                    }
                    try evict(c, key: k.key, cl: p.state.causalLength, newest: p.state.newestStamp.hlc)
                }
                continue
            }
            try storeClocks(coll: k.coll, key: k.key, p.original, p.state)
            let json = try materialize(c, key: k.key, p.state, old: p.stored)
            try streamMerge(c, key: k.key, p.state, json: json, old: p.stored, peer: peer)
            if evicted != nil { try forgetEviction(collection: c.name, key: k.key) }
            try notePlacement(c, key: k.key, pin: pin)
        }
        // The next batch reads rows and clocks directly: what this one queued must be there.
        try flushPendingInserts()
    }

    /// Writes the clocks that differ between two states, each with a new feed position.
    func storeClocks(coll: Int, key: String, _ old: ReplicatedState, _ new: ReplicatedState) throws {
        if old.causalLength != new.causalLength || old.marker != new.marker {
            try writeClock(coll: coll, key: key, attr: "", cl: new.causalLength, stamp: new.marker)
        }
        for (a, _) in old.attributeStamps where new.attributeStamps[a] == nil {
            try deleteClock(coll: coll, key: key, attr: a)
        }
        for (a, s) in new.attributeStamps where old.attributeStamps[a] != s || old.causalLength != new.causalLength {
            try writeClock(coll: coll, key: key, attr: a, cl: new.causalLength, stamp: s)
        }
    }

    /// Makes the document row and its index entries agree with a merged state; returns the
    /// row's JSON text when there is one.
    @discardableResult
    func materialize(_ c: CollectionInfo, key: String, _ state: ReplicatedState, old: Object?) throws -> [UInt8]? {
        if let old { try removeEntries(c, doc: old, key: key) }
        guard state.present else {
            if old != nil { try rows.delete(c, key: key) }
            return nil
        }
        var doc = Object(minimumCapacity: state.values.count + 3)
        doc.appendUnique("_key", .string(key))
        doc.appendUnique("_id", .string("\(c.name)/\(key)"))
        if c.type == .edge {
            if let f = state.values["_from"] { doc.appendUnique("_from", f) }
            if let t = state.values["_to"] { doc.appendUnique("_to", t) }
        }
        doc.appendUnique("_rev", .string(revisionString(state.newestStamp.hlc)))
        for (k, v) in state.values
        where !(c.type == .edge && (k == "_from" || k == "_to")) && !Storage.systemAttributes.contains(k) {
            doc.appendUnique(k, v)
        }
        let json = try writeRow(c, key: key, doc: doc, insert: old == nil)
        // Unique constraints hold per PoP at write time; a merge of concurrent writes keeps both.
        try indexes.add(try indexes.entries(c.name, doc: doc, key: key, checkingUnique: false), key: key)
        try addViewEntries(c, doc: doc, key: key)
        return json
    }

    /// The stored row with its system attributes (expired or not), or nil.
    func rawStored(_ c: CollectionInfo, key: String) throws -> Object? {
        var size = 0
        return try rawStored(c, key: key, size: &size)
    }

    /// `rawStored(_:key:)`, adding the row's size in bytes to `size`.
    func rawStored(_ c: CollectionInfo, key: String, size: inout Int) throws -> Object? {
        let s = try sql.prepare(.lookup, id: c.id, table: c.table)
        defer { s.reset() }
        s.bind(1, key)
        guard try s.step() else { return nil }
        let stored = try s.withBytes(0) { bytes in
            size += bytes.count
            return try JSONReader.parseStored(bytes)
        }
        guard case .object(let o) = stored else { return nil }
        return o
    }

    /// Makes the catalog agree with a merged catalog entry: the collection exists (with its
    /// indexes) or not; or the fabric description is stored.
    func materializeCatalog(key: String, _ state: ReplicatedState) throws {
        if key == Change.fabricKey {
            if state.present, case .string(let f)? = state.values["definition"] { try setReplicaSetting("fabric", f) }
            return
        }
        if let (kind, name) = DefinitionKind.entry(key) { return try materializeDefinition(kind, name, state) }
        if key == Storage.policyKey {
            guard state.present, case .string(let text)? = state.values["definition"],
                case .string(let salt)? = state.values["salt"], Storage.bytes(hex: salt).count == 16
            else { throw LocusError(.replicationInvalidResponse, "the placement policy entry is malformed") }
            // A policy this PoP cannot compile is refused with the page: nothing moves meanwhile.
            let compiled = try policy.compile(text, fabric: try replicaSetting("fabric"))
            let oldSalt = try replicaSetting("policy-salt")
            try setReplicaSetting("policy", text)
            try setReplicaSetting("policy-salt", salt)
            let previous = policy.gate
            try installPolicy()
            if oldSalt != nil && oldSalt != salt { try redigest() }
            try reapplyPolicy(replacing: previous)
            try audit(
                "policy", peer: state.marker.site, collection: nil, count: 1,
                detail: "version \(compiled.version) received")
            return
        }
        guard state.present else {
            if catalog.collection(key) != nil { try dropCollection(key) }
            return
        }
        guard case .string(let t)? = state.values["type"], let type = CollectionType(rawValue: t) else {
            throw LocusError(.replicationInvalidResponse, "collection '\(key)' has no valid type")
        }
        let c: CollectionInfo
        if let existing = catalog.collection(key) {
            guard existing.type == type else {
                throw LocusError(
                    .collectionTypeMismatch,
                    "'\(key)' is a \(existing.type.rawValue) collection here and a \(type.rawValue) collection at another PoP"
                )
            }
            c = existing
        } else {
            c = try createCollection(key, type: type)
        }
        var wanted: [String: Value] = [:]
        for (k, v) in state.values where k.hasPrefix("index:") { wanted[String(k.dropFirst(6))] = v }
        for ix in catalog.indexes(of: c.name) where wanted[ix.name] == nil {
            try dropIndex(collection: c.name, name: ix.name)
        }
        for (name, d) in wanted.sorted(by: { $0.key < $1.key }) where index(c.name, named: name) == nil {
            guard case .string(let t) = d[attribute: "type"], let type = IndexType(rawValue: t),
                case .array(let fs) = d[attribute: "fields"]
            else { throw LocusError(.replicationInvalidResponse, "index '\(name)' has no valid definition") }
            try createIndex(
                collection: c.name, type: type, fields: fs.compactMap(\.stringValue),
                unique: d[attribute: "unique"].isTruthy, sparse: d[attribute: "sparse"].isTruthy,
                expireAfter: d[attribute: "expireAfter"].numberValue,
                minLength: d[attribute: "minLength"].numberValue.flatMap { Int(exactly: $0) },
                geoJson: d[attribute: "geoJson"].boolValue, name: name)
        }
    }
}
