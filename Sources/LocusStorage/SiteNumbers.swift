// PoP names in the clock table are small local numbers (`locus_sites`), so that every clock
// row stores an integer instead of a name. This keeps both directions cached; another
// connection may add names, so a miss asks the table. Numbers handed out by a transaction or
// statement that is undone are forgotten with it.

import LocusErrors

final class SiteNumbers {
    private let sql: SQLiteConnection
    private var ids: [String: Int] = [:]
    private var names: [Int: String] = [:]

    init(sql: SQLiteConnection) { self.sql = sql }

    /// Reads every known name (when a PoP's database is opened).
    func load() throws {
        forget()
        let s = try sql.prepare("SELECT id, name FROM locus_sites")
        defer { s.reset() }
        while try s.step() {
            guard let name = s.text(1) else { continue }
            remember(name, s.int(0))
        }
    }

    /// Drops the cache (its numbers may have been rolled back).
    func forget() {
        ids = [:]
        names = [:]
    }

    /// The number of a PoP name, given it one when it has none yet.
    func id(of name: String) throws -> Int {
        if let id = ids[name] { return id }
        let q = try sql.prepare("SELECT id FROM locus_sites WHERE name = ?")
        q.bind(1, name)
        var id: Int? = nil
        if try q.step() { id = q.int(0) }
        q.reset()
        if id == nil {
            let s = try sql.prepare("INSERT INTO locus_sites(name) VALUES (?)")
            s.bind(1, name)
            try s.run()
            id = sql.lastInsertRowID
        }
        remember(name, id!)
        return id!
    }

    /// The PoP name of a number the clock table holds.
    func name(of id: Int) throws -> String {
        if let n = names[id] { return n }
        let q = try sql.prepare("SELECT name FROM locus_sites WHERE id = ?")
        defer { q.reset() }
        q.bind(1, id)
        guard try q.step(), let n = q.text(0) else {
            throw LocusError(.internalError, "clock table names an unknown PoP #\(id)")
        }
        remember(n, id)
        return n
    }

    private func remember(_ name: String, _ id: Int) {
        ids[name] = id
        names[id] = name
    }
}
