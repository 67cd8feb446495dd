// Change capture at a PoP: the identity of the database within its fabric, and the clock
// table that records who last wrote each document life and attribute (the feed that peers
// pull from it is in Storage+Feed.swift). Every local write records its clocks in the
// transaction of the write itself, so no change is lost and none is invented.

import LocusErrors
import LocusValues

/// Which PoP of which fabric a database is. `epoch` names this copy of the database: a PoP
/// recreated from scratch gets a new epoch, so peers know to pull it again from the start.
public struct ReplicaIdentity: Sendable, Equatable {
    public var pop: String
    public var epoch: String
    public init(pop: String, epoch: String) {
        self.pop = pop
        self.epoch = epoch
    }
}

extension Storage {
    /// PoP names: letters, digits, `-` and `_`, at most 64 characters (they end generated keys).
    public static func isValidPopName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy {
                ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95
            }
    }

    static let replicaSchema = """
        CREATE TABLE IF NOT EXISTS locus_replica(name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS locus_sites(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);
        CREATE TABLE IF NOT EXISTS locus_clock(
            coll INTEGER NOT NULL, key TEXT NOT NULL, attr TEXT NOT NULL, cl INTEGER NOT NULL,
            hlc INTEGER NOT NULL, site INTEGER NOT NULL, seq INTEGER NOT NULL,
            PRIMARY KEY(coll, key, attr)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS locus_clock_seq ON locus_clock(seq);
        CREATE TABLE IF NOT EXISTS locus_peers(peer TEXT PRIMARY KEY NOT NULL, epoch TEXT NOT NULL, position INTEGER NOT NULL);
        """ + placementSchema + ChangeStream.schema

    /// True while local writes must be recorded as changes (not while merging remote ones).
    var capturing: Bool { replica != nil && !applyingRemote }

    /// Reads the PoP identity, when this database has one.
    func loadReplica() throws {
        let t = try sql.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'locus_replica'")
        let exists = try t.step()
        t.reset()
        guard exists else { return }
        guard let pop = try replicaSetting("pop"), let epoch = try replicaSetting("epoch") else { return }
        // PoPs made before change streams existed get their table (a read-only connection
        // cannot, and only reads it through a writer's).
        if try !sql.tableExists("locus_stream") { try? sql.execute(ChangeStream.schema) }
        try sites.load()
        let m = try sql.prepare("SELECT coalesce(max(seq), 0), coalesce(max(hlc), 0) FROM locus_clock")
        _ = try m.step()
        replicaSequence = m.int(0)
        revisions.observe(UInt64(bitPattern: Int64(m.int(1))))
        m.reset()
        replica = ReplicaIdentity(pop: pop, epoch: epoch)
        if !isReader {
            // Deleted content is zeroed, not left in free space: eviction relies on it.
            try sql.execute("PRAGMA secure_delete=ON")
            try sql.execute(Storage.placementSchema)
        }
        try installPolicy()
        // An eviction interrupted by a crash is completed now.
        if !isReader { try completeEvictions() }
    }

    /// Makes this database the PoP `pop` (with `epoch` naming this copy). Data already stored
    /// is recorded as written here, so that it replicates. Calling it again with the same PoP
    /// does nothing; a database cannot change PoPs.
    public func enableReplica(pop: String, epoch: String) throws {
        guard Storage.isValidPopName(pop) else {
            throw LocusError(.badParameter, "invalid PoP name '\(pop)': use letters, digits, '-' and '_'")
        }
        if let replica {
            guard replica.pop == pop else {
                throw LocusError(.badParameter, "this database is PoP '\(replica.pop)', not '\(pop)'")
            }
            return
        }
        try flushPendingInserts()
        try sql.execute("PRAGMA secure_delete=ON")
        try transaction(write: true) {
            try sql.execute(Storage.replicaSchema)
            try setReplicaSetting("pop", pop)
            try setReplicaSetting("epoch", epoch)
            replica = ReplicaIdentity(pop: pop, epoch: epoch)
            do {
                let stamp = try localStamp()
                for c in collections {
                    try writeClock(coll: 0, key: c.name, attr: "", cl: 1, stamp: stamp)
                    for ix in catalog.indexes(of: c.name) {
                        try writeClock(coll: 0, key: c.name, attr: "index:" + ix.name, cl: 1, stamp: stamp)
                    }
                    var keys: [String] = []
                    let s = try sql.prepare("SELECT key FROM \(c.table)")
                    while try s.step() { keys.append(s.text(0)!) }
                    s.reset()
                    for k in keys { try writeClock(coll: c.id, key: k, attr: "", cl: 1, stamp: stamp) }
                }
                for kind in DefinitionKind.allCases {
                    for d in try definitions(kind) {
                        try writeClock(coll: 0, key: kind.keyPrefix + d.name, attr: "", cl: 1, stamp: stamp)
                    }
                }
            } catch {
                replica = nil
                throw error
            }
        }
    }

    /// A setting of the PoP (`pop`, `epoch`, `fabric`), or nil.
    public func replicaSetting(_ name: String) throws -> String? {
        let s = try sql.prepare("SELECT value FROM locus_replica WHERE name = ?")
        defer { s.reset() }
        s.bind(1, name)
        return try s.step() ? s.text(0) : nil
    }

    func setReplicaSetting(_ name: String, _ value: String) throws {
        let s = try sql.prepare("INSERT OR REPLACE INTO locus_replica(name, value) VALUES (?, ?)")
        s.bind(1, name)
        s.bind(2, value)
        try s.run()
    }

    /// Stores the fabric description (JSON text) as replicated metadata.
    public func setFabricDescription(_ json: String) throws {
        guard replica != nil else { throw LocusError(.badParameter, "this database is not a PoP of a fabric") }
        try transaction(write: true) {
            try setReplicaSetting("fabric", json)
            let prior = try clockRow(coll: 0, key: Change.fabricKey, attr: "")
            try writeClock(coll: 0, key: Change.fabricKey, attr: "", cl: prior?.cl ?? 1, stamp: try localStamp())
        }
    }

    /// The fabric description this PoP knows, or nil.
    public func fabricDescription() throws -> String? {
        replica == nil ? nil : try replicaSetting("fabric")
    }

    /// The position of the newest change in this PoP's feed.
    public var feedPosition: Int { replicaSequence }

    // MARK: - Clock rows

    /// The local number of a PoP name in the clock table (another connection may have added it).
    func siteId(_ name: String) throws -> Int { try sites.id(of: name) }

    func siteName(_ id: Int) throws -> String { try sites.name(of: id) }

    /// The stamp of the write in progress (its `_rev` tick), by this PoP.
    func localStamp() throws -> ChangeStamp {
        ChangeStamp(hlc: revisions.last == 0 ? nextTick() : revisions.last, site: replica!.pop)
    }

    struct ClockRow: Equatable {
        var cl: Int
        var stamp: ChangeStamp
    }

    func clockRow(coll: Int, key: String, attr: String) throws -> ClockRow? {
        let s = try sql.prepare(.clockRow)
        defer { s.reset() }
        s.bind(1, coll)
        s.bind(2, key)
        s.bind(3, attr)
        guard try s.step() else { return nil }
        return ClockRow(
            cl: s.int(0), stamp: ChangeStamp(hlc: UInt64(bitPattern: Int64(s.int(1))), site: try siteName(s.int(2))))
    }

    /// The attribute clocks of a key (its marker excluded).
    func attributeClocks(coll: Int, key: String) throws -> [String: ChangeStamp] {
        let s = try sql.prepare("SELECT attr, hlc, site FROM locus_clock WHERE coll = ? AND key = ? AND attr != ''")
        defer { s.reset() }
        s.bind(1, coll)
        s.bind(2, key)
        var out: [String: ChangeStamp] = [:]
        while try s.step() {
            out[s.text(0)!] = ChangeStamp(hlc: UInt64(bitPattern: Int64(s.int(1))), site: try siteName(s.int(2)))
        }
        return out
    }

    func writeClock(coll: Int, key: String, attr: String, cl: Int, stamp: ChangeStamp) throws {
        // Feed positions follow the order of writes: queued inserts take theirs first.
        if !capturedInserts.isEmpty { try flushCaptures() }
        replicaSequence += 1
        let s = try sql.prepare(.writeClock)
        s.bind(1, coll)
        s.bind(2, key)
        s.bind(3, attr)
        s.bind(4, cl)
        s.bind(5, Int(Int64(bitPattern: stamp.hlc)))
        s.bind(6, try siteId(stamp.site))
        s.bind(7, replicaSequence)
        try s.run()
    }

    func deleteClock(coll: Int, key: String, attr: String) throws {
        let s = try sql.prepare("DELETE FROM locus_clock WHERE coll = ? AND key = ? AND attr = ?")
        s.bind(1, coll)
        s.bind(2, key)
        s.bind(3, attr)
        try s.run()
    }

    func deleteAttributeClocks(coll: Int, key: String) throws {
        let s = try sql.prepare(.deleteAttributeClocks)
        s.bind(1, coll)
        s.bind(2, key)
        try s.run()
    }

    // MARK: - Capturing local writes

    /// A document inserted: the next live life of its key (or, for a key-value entry that
    /// expired in place, a new first write of the same life).
    func recordInsert(_ c: CollectionInfo, key: String) throws {
        let cl = try startLife(c, key: key).causalLength
        try writeClock(coll: c.id, key: key, attr: "", cl: cl, stamp: try localStamp())
    }

    /// The causal length an insert gives `key`, whose attribute clocks (of an earlier life)
    /// it deletes, and whether the key has a marker here already: the caller writes the
    /// marker. A key without one has no placement here either (the two are written and
    /// erased together).
    func startLife(_ c: CollectionInfo, key: String) throws -> (causalLength: Int, known: Bool) {
        let (prior, attributeClocks) = try keyClocks(coll: c.id, key: key)
        var cl = CausalLength.settled(prior, live: true)
        // A key evicted here starts a life above the one evicted, which its allowed PoPs may
        // still have: a new write must not lose to it.
        if prior == nil, policy.gate != nil, let evicted = try eviction(collection: c.name, key: key) {
            cl = CausalLength.liveAbove(evicted.cl)
        }
        if attributeClocks { try deleteAttributeClocks(coll: c.id, key: key) }
        return (cl, prior != nil)
    }

    /// The life of a key's marker, if it has one, and whether it has attribute clocks: one
    /// probe of the clock table, which a new key (the common insert) answers with no row.
    func keyClocks(coll: Int, key: String) throws -> (marker: Int?, attributeClocks: Bool) {
        let s = try sql.prepare(.keyClocks)
        defer { s.reset() }
        s.bind(1, coll)
        s.bind(2, key)
        var marker: Int? = nil
        var attributeClocks = false
        while try s.step() {
            if s.text(0) == "" { marker = s.int(1) } else { attributeClocks = true }
        }
        return (marker, attributeClocks)
    }

    /// A document replaced (a new marker for the whole document) or updated (a clock per
    /// changed attribute, so that concurrent updates of other attributes elsewhere survive).
    /// Key-value entries are registers: any write replaces the whole entry.
    func recordReplace(_ c: CollectionInfo, key: String, old: Object, new: Object, partial: Bool) throws {
        let stamp = try localStamp()
        guard let prior = try clockRow(coll: c.id, key: key, attr: "") else {
            return try recordInsert(c, key: key)
        }
        if !partial || c.type == .kv {
            try deleteAttributeClocks(coll: c.id, key: key)
            try writeClock(coll: c.id, key: key, attr: "", cl: prior.cl, stamp: stamp)
            return
        }
        for name in Storage.changedAttributes(old, new) {
            try writeClock(coll: c.id, key: key, attr: name, cl: prior.cl, stamp: stamp)
        }
    }

    /// Moves the HLC past every stamp of a key, so that a write made after reading it
    /// outranks what it read, however far ahead the clock of the PoP that wrote that was.
    func observeClocks(coll: Int, key: String) throws {
        let s = try sql.prepare("SELECT max(hlc) FROM locus_clock WHERE coll = ? AND key = ?")
        defer { s.reset() }
        s.bind(1, coll)
        s.bind(2, key)
        if try s.step(), !s.isNull(0) { revisions.observe(UInt64(bitPattern: Int64(s.int(0)))) }
    }

    /// Re-reads the feed position at the start of a write transaction: another connection
    /// (another process) may have written since.
    func refreshFeedPosition() throws {
        let s = try sql.prepare("SELECT seq, hlc FROM locus_clock ORDER BY seq DESC LIMIT 1")
        defer { s.reset() }
        if try s.step() {
            replicaSequence = max(replicaSequence, s.int(0))
            revisions.observe(UInt64(bitPattern: Int64(s.int(1))))
        }
    }

    /// A document removed: its life ends, and its attribute clocks go with it.
    func recordRemove(_ c: CollectionInfo, key: String) throws {
        try observeClocks(coll: c.id, key: key)
        let prior = try clockRow(coll: c.id, key: key, attr: "")
        let cl = CausalLength.settled(prior?.cl, live: false)
        try deleteAttributeClocks(coll: c.id, key: key)
        _ = nextTick()
        try writeClock(coll: c.id, key: key, attr: "", cl: cl, stamp: try localStamp())
    }

    /// A collection created (`live`) or dropped, in the catalog's clocks.
    func recordCollection(_ name: String, live: Bool) throws {
        let prior = try clockRow(coll: 0, key: name, attr: "")
        let cl = CausalLength.settled(prior?.cl, live: live)
        try deleteAttributeClocks(coll: 0, key: name)
        _ = nextTick()
        try writeClock(coll: 0, key: name, attr: "", cl: cl, stamp: try localStamp())
    }

    /// An index created or dropped on `collection`.
    func recordIndex(collection: String, name: String) throws {
        guard let prior = try clockRow(coll: 0, key: collection, attr: "") else { return }
        _ = nextTick()
        try writeClock(coll: 0, key: collection, attr: "index:" + name, cl: prior.cl, stamp: try localStamp())
    }

    static let systemAttributes: Set<String> = ["_key", "_id", "_rev"]

    /// The user attributes (and `_from`/`_to`) whose values differ between two versions.
    static func changedAttributes(_ old: Object, _ new: Object) -> [String] {
        var out: [String] = []
        for (k, v) in new where !systemAttributes.contains(k) {
            if let o = old[k], o == v { continue }
            out.append(k)
        }
        for (k, _) in old where !systemAttributes.contains(k) && new[k] == nil { out.append(k) }
        return out
    }

    // MARK: - Peers

    /// How far this PoP has pulled `peer`'s feed, for the copy of it named `epoch`.
    public func watermark(peer: String, epoch: String) throws -> Int {
        let s = try sql.prepare("SELECT epoch, position FROM locus_peers WHERE peer = ?")
        defer { s.reset() }
        s.bind(1, peer)
        guard try s.step(), s.text(0) == epoch else { return 0 }
        return s.int(1)
    }

    /// Every peer this PoP has pulled from, with the epoch and position reached.
    public func watermarks() throws -> [(peer: String, epoch: String, position: Int)] {
        guard replica != nil else { return [] }
        let s = try sql.prepare("SELECT peer, epoch, position FROM locus_peers ORDER BY peer")
        defer { s.reset() }
        var out: [(String, String, Int)] = []
        while try s.step() { out.append((s.text(0)!, s.text(1)!, s.int(2))) }
        return out
    }

    public func setWatermark(peer: String, epoch: String, position: Int) throws {
        let s = try sql.prepare("INSERT OR REPLACE INTO locus_peers(peer, epoch, position) VALUES (?, ?, ?)")
        s.bind(1, peer)
        s.bind(2, epoch)
        s.bind(3, position)
        try s.run()
    }
}
