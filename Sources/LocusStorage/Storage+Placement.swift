// Sovereignty, enforced in one place: every path that moves data at a PoP (local writes,
// merges of changes from peers, the feed peers pull, policy changes) passes through here.
// Each record's placement (its SiteSet) is stored next to its clocks with an opaque digest
// of its name; a record this PoP may not hold is refused, never stored, or evicted (rows,
// index entries, clocks, then physically: secure_delete, a truncating WAL checkpoint and
// the erasure of unallocated space). Evictions are journaled so that a crash resumes them
// and no later sync resurrects what was evicted.

import LocusErrors
import LocusValues

extension Storage {
    static let placementSchema = PlacementRecords.schema + EvictionJournal.schema + AuditLog.schema

    /// The catalog key of the placement policy.
    public static let policyKey = "@policy"

    // MARK: - The policy

    /// Turns a policy's JSON text (with the fabric description) into a gate.
    public typealias PolicyCompiler = @Sendable (_ policy: String, _ fabric: String?) throws -> any PlacementGate

    /// Installs the compiler of placement policies and compiles the stored policy with it.
    public func usePolicyCompiler(_ compiler: @escaping PolicyCompiler) throws {
        policy.compiler = compiler
        try installPolicy()
    }

    /// Compiles the stored policy (when there is one) into the gate every data path consults.
    /// A policy that cannot be compiled leaves the PoP failing closed: every write and sync
    /// fails with the reason until a valid policy replaces it.
    func installPolicy() throws {
        if inTransaction { policy.changedInTransaction = true }
        guard replica != nil else { return policy.install(policy: nil, salt: [], fabric: nil) }
        policy.install(
            policy: try replicaSetting("policy"), salt: Storage.bytes(hex: try replicaSetting("policy-salt") ?? ""),
            fabric: try replicaSetting("fabric"))
    }

    /// The gate to enforce, nil when no policy applies; throws while the policy is unusable.
    func requireGate() throws -> (any PlacementGate)? { try policy.require() }

    /// The placement policy (JSON text) and its version, when this PoP has one.
    public func placementPolicy() throws -> (text: String, version: Int)? {
        guard replica != nil, let text = try replicaSetting("policy") else { return nil }
        return (text, policy.gate?.version ?? 0)
    }

    /// The compiled policy in force, for EXPLAIN and the compliance audit.
    public var placementGate: (any PlacementGate)? { policy.gate }

    /// Replaces the placement policy. The policy's version must be above the current one.
    /// Records this PoP may no longer hold are evicted in the same transaction, records whose
    /// placement widened are offered again to their new PoPs, and the policy itself
    /// replicates to every PoP as catalog metadata.
    public func setPlacementPolicy(_ text: String) throws {
        guard let replica else {
            throw LocusError(.badParameter, "a placement policy needs a PoP: this database is not part of a fabric")
        }
        guard let policyCompiler else {
            throw LocusError(.policyInvalid, "no policy compiler: set policies through the Locus API")
        }
        try flushPendingInserts()
        let compiled = try policyCompiler(text, try replicaSetting("fabric"))
        try transaction(write: true) {
            // A policy that cannot be enforced has no version to keep: any valid one replaces it.
            if let old = policy.gate, compiled.version <= old.version {
                throw LocusError(
                    .policyVersionConflict,
                    "the new policy has version \(compiled.version); this PoP already has version \(old.version)")
            }
            if try replicaSetting("policy-salt") == nil {
                try setReplicaSetting("policy-salt", JSONWriter.hexString(Storage.randomBytes(16)))
            }
            try setReplicaSetting("policy", text)
            let prior = try clockRow(coll: 0, key: Storage.policyKey, attr: "")
            _ = nextTick()
            try writeClock(coll: 0, key: Storage.policyKey, attr: "", cl: prior?.cl ?? 1, stamp: try localStamp())
            let previous = policy.gate
            try installPolicy()
            try reapplyPolicy(replacing: previous)
            try audit(
                "policy", peer: nil, collection: nil, count: 1,
                detail: "version \(compiled.version) set at \(replica.pop)")
        }
    }

    /// Re-judges records against the policy in force: stores new placements, evicts what this
    /// PoP may no longer hold, and re-offers records whose placement changed. Only collections
    /// the change can affect are judged: those whose basis differs from the `previous` policy's
    /// (all of them without one), and edges whenever any collection's basis changed.
    func reapplyPolicy(replacing previous: (any PlacementGate)?) throws {
        guard let gate = try requireGate(), let pop = replica?.pop else { return }
        // What this PoP evicted under an earlier policy may be allowed again, and the PoPs
        // holding it may never have seen a placement change (they received only the newest
        // policy): pull every peer from the start once, which merges idempotently.
        if try evictions.countByPolicy() > 0 {
            try sql.execute("DELETE FROM locus_peers")
            try evictions.forgetErasedByPolicy()
        }
        let changed = Set(
            collections.filter { c in
                previous.map { $0.basis(collection: c.name) != gate.basis(collection: c.name) } ?? true
            }
            .map(\.name))
        // Edges see their endpoints' new placements, stored as each vertex is judged.
        for c in PlacementOrder.verticesFirst(collections, type: \.type)
        where changed.contains(c.name) || (c.type == .edge && !changed.isEmpty) {
            var records: [(key: String, cl: Int)] = []
            let s = try sql.prepare("SELECT key, cl FROM locus_clock WHERE coll = ? AND attr = ''")
            s.bind(1, c.id)
            while try s.step() { records.append((s.text(0)!, s.int(1))) }
            s.reset()
            for r in records {
                let stored = try storedPlacement(c, key: r.key)
                let pin: SiteSet
                if let doc = try rawDocument(c, key: r.key) {
                    pin = try gate.placement(collection: c.name, document: doc, endpoint: localEndpoint)
                } else {
                    pin = (stored?.pin ?? .everywhere).intersection(gate.widest(collection: c.name))
                }
                if pin.contains(pop) {
                    try notePlacement(c, key: r.key, pin: pin, replacing: stored?.pin, cascade: false)
                } else {
                    // Evicted by this PoP's own judgement of the policy, which it applies to any
                    // state of the record that arrives later: the journal entry blocks nothing.
                    try evict(c, key: r.key, cl: 0, newest: 0)
                }
            }
        }
    }

    // MARK: - Placements of records

    /// The opaque name of a record outside its allowed PoPs (see `PlacementRecords.digest`).
    func digest(collection: String, key: String) -> String {
        placements.digest(collection: collection, key: key, salt: policy.salt)
    }

    /// Recomputes every stored digest after the fabric's policy salt changed (two PoPs set a
    /// first policy concurrently and the other one won).
    func redigest() throws {
        for c in collections { try placements.redigest(coll: c.id) { digest(collection: c.name, key: $0) } }
    }

    func storedPlacement(_ c: CollectionInfo, key: String) throws -> (pin: SiteSet, digest: String)? {
        try placements.placement(coll: c.id, key: key)
    }

    /// The placement this PoP holds for vertex `id` (`collection/key`), or nil.
    func localEndpoint(_ id: String) throws -> SiteSet? {
        guard let slash = id.firstIndex(of: "/"), let c = catalog.collection(String(id[..<slash])) else { return nil }
        return try storedPlacement(c, key: String(id[id.index(after: slash)...]))?.pin
    }

    /// The placement of a record (stored form or user attributes) as this PoP judges it
    /// (edges by the placements it holds for their endpoints); nil without a policy.
    public func judge(collection: String, document: Object) throws -> SiteSet? {
        guard let gate = try requireGate() else { return nil }
        return try gate.placement(
            collection: collection, document: Storage.userAttributes(document), endpoint: localEndpoint)
    }

    /// Admission of a local write: the placement of the record as it will be stored, which
    /// must include this PoP. Nil when no policy applies.
    func admit(_ c: CollectionInfo, stored: Object) throws -> SiteSet? {
        guard let pop = replica?.pop, let pin = try judge(collection: c.name, document: stored) else { return nil }
        guard pin.contains(pop) else {
            throw LocusError(
                .placementDenied, "this \(c.name) record may only be stored at \(pin), and this is PoP \(pop)")
        }
        return pin
    }

    /// Records a record's placement. When it changed, every clock of the record moves to the
    /// head of the feed, so that PoPs newly allowed receive the whole record and PoPs no
    /// longer allowed receive the notice to evict it; edges touching a vertex follow it.
    func notePlacement(_ c: CollectionInfo, key: String, pin: SiteSet, cascade: Bool = true) throws {
        try notePlacement(c, key: key, pin: pin, replacing: try storedPlacement(c, key: key)?.pin, cascade: cascade)
    }

    /// `notePlacement` for a caller that has just read the stored placement, `before`.
    func notePlacement(_ c: CollectionInfo, key: String, pin: SiteSet, replacing before: SiteSet?, cascade: Bool) throws
    {
        if before == pin { return }
        try placements.set(coll: c.id, key: key, pin: pin, digest: digest(collection: c.name, key: key))
        guard before != nil else { return }
        try resequence(coll: c.id, key: key)
        if cascade && c.type != .edge { try rejudgeEdges(touching: "\(c.name)/\(key)") }
    }

    /// Gives every clock of a record a new feed position.
    func resequence(coll: Int, key: String) throws {
        var attrs: [String] = []
        let q = try sql.prepare("SELECT attr FROM locus_clock WHERE coll = ? AND key = ? ORDER BY attr")
        q.bind(1, coll)
        q.bind(2, key)
        while try q.step() { attrs.append(q.text(0)!) }
        q.reset()
        for a in attrs {
            replicaSequence += 1
            let u = try sql.prepare("UPDATE locus_clock SET seq = ? WHERE coll = ? AND key = ? AND attr = ?")
            u.bind(1, replicaSequence)
            u.bind(2, coll)
            u.bind(3, key)
            u.bind(4, a)
            try u.run()
        }
    }

    /// Re-judges the edges whose `_from` or `_to` is `vertex`, after its placement changed.
    func rejudgeEdges(touching vertex: String) throws {
        guard let gate = try requireGate(), let pop = replica?.pop else { return }
        for e in collections where e.type == .edge {
            var keys: [String] = []
            let s = try sql.prepare(
                "SELECT key FROM \(e.table) WHERE from_id = ? UNION SELECT key FROM \(e.table) WHERE to_id = ?")
            s.bind(1, vertex)
            s.bind(2, vertex)
            while try s.step() { keys.append(s.text(0)!) }
            s.reset()
            for k in keys { try rejudgeEdge(e, key: k, gate: gate, pop: pop) }
        }
    }

    /// Judges a held edge again by its endpoints as this PoP knows them (see
    /// `endpointPlacement`): notes its placement if it may stay, evicts it if not.
    func rejudgeEdge(_ e: CollectionInfo, key: String, gate: PlacementGate, pop: String) throws {
        guard let doc = try rawDocument(e, key: key) else { return }
        let held = try storedPlacement(e, key: key)?.pin
        let pin = try gate.placement(collection: e.name, document: doc) { endpoint in
            try self.endpointPlacement(endpoint, edge: e, key: key, carried: held, gate: gate)
        }
        if pin.contains(pop) {
            try notePlacement(e, key: key, pin: pin, cascade: false)
        } else if let m = try clockRow(coll: e.id, key: key, attr: "") {
            try evict(e, key: key, cl: m.cl, newest: try newestStamp(coll: e.id, key: key))
        }
    }

    /// Where an edge's endpoint may be, as this PoP knows it: the placement it holds for the
    /// endpoint; nowhere when the endpoint moved away from here; the collection's placement
    /// when that needs no content; else the placement the sender judged (`carried`), with the
    /// edge remembered as waiting on the endpoint, so that news of the endpoint's move re-judges it.
    func endpointPlacement(_ id: String, edge: CollectionInfo, key: String, carried: SiteSet?, gate: PlacementGate)
        throws -> SiteSet
    {
        if let held = try localEndpoint(id) { return held }
        guard let slash = id.firstIndex(of: "/") else { return .nowhere }
        if try eviction(collection: String(id[..<slash]), key: String(id[id.index(after: slash)...])) != nil {
            return .nowhere
        }
        if let fixed = gate.placementWithoutContent(of: id) { return fixed }
        guard let carried else { return .nowhere }
        try placements.wait(edge: edge.id, key: key, on: id)
        return carried
    }

    /// Re-judges the edges admitted on their sender's word about an endpoint this PoP does not
    /// hold, now that the endpoint named by `digest` has moved away from here.
    func rejudgeEdgesWaiting(for digest: String) throws {
        for id in try placements.awaitedEndpoints() {
            guard let slash = id.firstIndex(of: "/"),
                self.digest(collection: String(id[..<slash]), key: String(id[id.index(after: slash)...])) == digest
            else { continue }
            let edges = try placements.takeEdges(waitingOn: id)
            guard let gate = try requireGate(), let pop = replica?.pop else { return }
            for (coll, key) in edges {
                guard let e = collections.first(where: { $0.id == coll }) else { continue }
                try rejudgeEdge(e, key: key, gate: gate, pop: pop)
            }
        }
    }

    func newestStamp(coll: Int, key: String) throws -> UInt64 {
        let s = try sql.prepare("SELECT max(hlc) FROM locus_clock WHERE coll = ? AND key = ?")
        defer { s.reset() }
        s.bind(1, coll)
        s.bind(2, key)
        return try s.step() && !s.isNull(0) ? UInt64(bitPattern: Int64(s.int(0))) : 0
    }

    // MARK: - Helpers

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8? = nil
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            default: continue
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }

    static func randomBytes(_ n: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
    }
}
