// One namespace of the `_system` database's system table as JSON records, read once and kept
// in memory until this server changes it (the server is the only writer of users and API
// keys, which live here).

import Locus
import LocusValues
import Synchronization

/// The records of one system-table namespace, by their entry key, cached.
final class SystemRecords<Record: Sendable>: Sendable {
    let system: Database
    let namespace: String
    private let decode: @Sendable (Value) -> Record?
    private let cache = Mutex<[String: Record]?>(nil)

    init(system: Database, namespace: String, decode: @escaping @Sendable (Value) -> Record?) {
        self.system = system
        self.namespace = namespace
        self.decode = decode
    }

    /// True once the records are in memory.
    var isLoaded: Bool { cache.withLock { $0 != nil } }

    /// Every record, by entry key; entries that do not decode are left out.
    func all() throws -> [String: Record] {
        if let known = cache.withLock({ $0 }) { return known }
        var loaded: [String: Record] = [:]
        for entry in try system.systemEntries(namespace) {
            if let r = (try? JSONReader.parse(entry.value)).flatMap(decode) { loaded[entry.key] = r }
        }
        cache.withLock { $0 = loaded }
        return loaded
    }

    /// Stores (or with nil removes) the record under `key`.
    func set(_ key: String, _ json: Value?) throws {
        try system.setSystemEntry(namespace, key: key, value: json.map { JSONWriter.string($0) })
        cache.withLock { $0 = nil }
    }
}
