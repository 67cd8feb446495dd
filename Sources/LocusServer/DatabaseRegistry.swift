// The databases a server serves, by name: `_system` and, under `--data DIR`, one SQLite file
// per database created over the API. A single file (`--db`) or a PoP (`--pop`) serves only
// `_system`, which a PoP also answers to under its fabric's name.

#if canImport(Glibc)
import Glibc
#endif
import Locus
import Synchronization
import LocusValues

/// Where the served data lives.
public enum DataLayout: Sendable {
    /// `_system` is `DIR/_system.db`; every database created over the API is `DIR/NAME.db`.
    case directory(String)
    /// One database file, served as `_system`.
    case file(String)
    /// PoP `pop` of the local fabric in `directory`: its database is `_system`, also reachable
    /// under the fabric's name.
    case pop(name: String, directory: String)
}

/// The open databases of a server.
final class DatabaseRegistry: Sendable {
    let layout: DataLayout
    /// The fabric's name at a PoP: an alias of `_system`.
    let alias: String?
    private let open: Mutex<[String: Database]>

    init(layout: DataLayout) throws {
        self.layout = layout
        var found: [String: Database] = [:]
        switch layout {
        case .directory(let dir):
            try DatabaseRegistry.makeDirectory(dir)
            found["_system"] = try Database(path: dir + "/_system.db")
            for name in DatabaseRegistry.files(in: dir) where name != "_system" {
                found[name] = try Database(path: dir + "/" + name + ".db")
            }
            alias = nil
        case .file(let path):
            found["_system"] = try Database(path: path)
            alias = nil
        case .pop(let pop, let dir):
            let fabric = try LocalFabric(directory: dir)
            found["_system"] = try fabric.open(pop)
            alias = fabric.fabric.name
        }
        open = Mutex(found)
    }

    /// The database of that name (the fabric's name at a PoP means `_system`); 1228 when none.
    func database(_ name: String) throws -> Database {
        let resolved = name == alias ? "_system" : name
        guard let db = open.withLock({ $0[resolved] }) else { throw LocusError(.databaseNotFound, name) }
        return db
    }

    /// Every database name, `_system` first.
    var names: [String] {
        let all = open.withLock { Array($0.keys) }
        return ["_system"] + all.filter { $0 != "_system" }.sorted()
    }

    var system: Database { open.withLock { $0["_system"]! } }

    /// Creates a database; only a `--data` directory holds more than `_system`.
    func create(_ name: String) throws -> Database {
        guard case .directory(let dir) = layout else {
            throw LocusError(
                code: .forbidden,
                message: "forbidden: this server serves one database file; start it with --data DIR to create databases"
            )
        }
        guard DatabaseRegistry.isValidName(name) else { throw LocusError(.databaseNameInvalid, name) }
        return try open.withLock { dbs in
            if dbs[name] != nil { throw LocusError(.duplicateName, name) }
            let db = try Database(path: dir + "/" + name + ".db")
            dbs[name] = db
            return db
        }
    }

    /// Drops a database and deletes its file; `_system` cannot be dropped.
    func drop(_ name: String) throws {
        if name == "_system" || name == alias { throw LocusError(.forbidden, "the _system database cannot be dropped") }
        guard case .directory(let dir) = layout else { throw LocusError(.databaseNotFound, name) }
        try open.withLock { dbs in
            guard dbs.removeValue(forKey: name) != nil else { throw LocusError(.databaseNotFound, name) }
            for suffix in [".db", ".db-wal", ".db-shm"] { unlink(dir + "/" + name + suffix) }
        }
    }

    /// Where the server keeps its token secret.
    var secretPath: String {
        switch layout {
        case .directory(let dir): return dir + "/.jwt-secret"
        case .file(let path): return path + ".jwt-secret"
        case .pop(let pop, let dir): return dir + "/" + pop + ".jwt-secret"
        }
    }

    /// ArangoDB's traditional database names: a letter, then letters, digits, `_` and `-`,
    /// at most 64 bytes (so that every name is also a safe file name).
    static func isValidName(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard let f = u.first, u.count <= 64, (f >= 0x41 && f <= 0x5A) || (f >= 0x61 && f <= 0x7A) else { return false }
        return u.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F
                || $0 == 0x2D
        }
    }

    static func makeDirectory(_ dir: String) throws {
        var st = stat()
        if stat(dir, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFDIR else { throw LocusError(.badParameter, "'\(dir)' is not a directory") }
            return
        }
        guard mkdir(dir, 0o700) == 0 else {
            throw LocusError(.badParameter, "cannot create directory '\(dir)': \(String(cString: strerror(errno)))")
        }
    }

    /// The database names with a file in `dir`.
    static func files(in dir: String) -> [String] {
        LocalFiles.names(in: dir).compactMap { name in
            guard name.hasSuffix(".db") else { return nil }
            let base = String(name.dropLast(3))
            return base == "_system" || isValidName(base) ? base : nil
        }
    }
}
