// Entries of the database's own that are no collection: named groups of key/value text (the
// server keeps its users here), invisible to queries, never replicated or exported.

import LocusErrors

extension Storage {
    func ensureSystemTable() throws {
        try sql.execute(
            "CREATE TABLE IF NOT EXISTS locus_system(namespace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(namespace, key))"
        )
    }

    /// Every entry of `namespace`, in key order.
    public func systemEntries(_ namespace: String) throws -> [(key: String, value: String)] {
        guard try sql.tableExists("locus_system") else { return [] }
        let s = try sql.prepare("SELECT key, value FROM locus_system WHERE namespace = ? ORDER BY key")
        defer { s.reset() }
        s.bind(1, namespace)
        var out: [(key: String, value: String)] = []
        while try s.step() { out.append((s.text(0) ?? "", s.text(1) ?? "")) }
        return out
    }

    /// Sets (or with nil removes) one entry, in its own transaction.
    public func setSystemEntry(_ namespace: String, key: String, value: String?) throws {
        try transaction(write: true) {
            try ensureSystemTable()
            let s = try sql.prepare(
                value == nil
                    ? "DELETE FROM locus_system WHERE namespace = ? AND key = ?"
                    : "INSERT OR REPLACE INTO locus_system(namespace, key, value) VALUES (?, ?, ?)")
            s.bind(1, namespace)
            s.bind(2, key)
            if let value { s.bind(3, value) }
            try s.run()
        }
    }
}
