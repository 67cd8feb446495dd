// Query workers in the catalog: named definitions (opaque JSON text to storage, which knows
// nothing of queries) kept in `locus_workers`. At a PoP each one is a catalog entry
// `@worker:NAME`, a single register, so that a save, an update or a drop replicates to every
// PoP of the fabric as collections and the policy do.

import LocusErrors
import LocusValues

extension Storage {
    /// The catalog key prefix of query workers.
    public static let workerKeyPrefix = "@worker:"

    /// True for a catalog key naming a query worker.
    static func isWorkerKey(_ key: String) -> Bool {
        key.hasPrefix(workerKeyPrefix) && isValidWorkerName(String(key.dropFirst(workerKeyPrefix.count)))
    }

    /// Macrometa's rule for names: a letter, then letters, digits, `_` and `-`; at most 64 bytes.
    public static func isValidWorkerName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64,
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first | 0x20)
        else { return false }
        return name.utf8.allSatisfy { c in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
                || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
    }

    func ensureWorkerTable() throws {
        try sql.execute(
            "CREATE TABLE IF NOT EXISTS locus_workers(name TEXT PRIMARY KEY NOT NULL, definition TEXT NOT NULL)")
    }

    /// Every query worker's definition, by name.
    public func queryWorkers() throws -> [(name: String, definition: String)] {
        guard try sql.tableExists("locus_workers") else { return [] }
        let s = try sql.prepare("SELECT name, definition FROM locus_workers ORDER BY name")
        defer { s.reset() }
        var out: [(name: String, definition: String)] = []
        while try s.step() { out.append((s.text(0) ?? "", s.text(1) ?? "")) }
        return out
    }

    /// One query worker's definition, or nil.
    public func queryWorker(_ name: String) throws -> String? {
        guard try sql.tableExists("locus_workers") else { return nil }
        let s = try sql.prepare("SELECT definition FROM locus_workers WHERE name = ?")
        defer { s.reset() }
        s.bind(1, name)
        return try s.step() ? s.text(0) : nil
    }

    /// Stores (or with nil drops) a worker's definition, recording the change in the catalog's
    /// clocks at a PoP.
    public func setQueryWorker(_ name: String, definition: String?) throws {
        guard Storage.isValidWorkerName(name) else {
            throw LocusError(.illegalName, "invalid query worker name '\(name)'")
        }
        try transaction(write: true) {
            try storeWorker(name, definition: definition)
            guard replica != nil else { return }
            let key = Storage.workerKeyPrefix + name
            let prior = try clockRow(coll: 0, key: key, attr: "")
            let live = definition != nil
            let cl = CausalLength.settled(prior?.cl, live: live)
            _ = nextTick()
            try writeClock(coll: 0, key: key, attr: "", cl: cl, stamp: try localStamp())
        }
    }

    func storeWorker(_ name: String, definition: String?) throws {
        try ensureWorkerTable()
        let s = try sql.prepare(
            definition == nil
                ? "DELETE FROM locus_workers WHERE name = ?"
                : "INSERT OR REPLACE INTO locus_workers(name, definition) VALUES (?, ?)")
        s.bind(1, name)
        if let definition { s.bind(2, definition) }
        try s.run()
    }

    /// A worker's catalog entry as replicated state: `{"definition": ...}`.
    func workerState(key: String) throws -> Object? {
        guard let d = try queryWorker(String(key.dropFirst(Storage.workerKeyPrefix.count))) else { return nil }
        return ["definition": .string(d)]
    }

    /// Makes the stored worker agree with a merged catalog entry.
    func materializeWorker(key: String, _ state: ReplicatedState) throws {
        let name = String(key.dropFirst(Storage.workerKeyPrefix.count))
        guard state.present else { return try storeWorker(name, definition: nil) }
        guard case .string(let d)? = state.values["definition"] else {
            throw LocusError(.replicationInvalidResponse, "query worker '\(name)' has no definition")
        }
        try storeWorker(name, definition: d)
    }
}
