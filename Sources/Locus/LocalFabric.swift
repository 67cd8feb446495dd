// A local fabric: one directory holding the fabric description and one database per PoP,
// for development, tests and single-machine deployments. Sync runs in process.

#if canImport(Glibc)
import Glibc
#endif
import LocusErrors
import LocusReplication
import LocusStorage
import LocusValues

/// A directory with `fabric.json` and a `POP.db` per PoP.
public struct LocalFabric: Sendable {
    public let directory: String
    public let fabric: Fabric

    /// Creates the directory's databases, one per PoP (all of them, or `pops`).
    public static func create(fabric: Fabric, directory: String, pops: [String]? = nil) throws -> LocalFabric {
        let chosen = pops ?? fabric.pops.map(\.name)
        for p in chosen where fabric.pop(p) == nil {
            throw LocusError(.badParameter, "'\(p)' is not a PoP of fabric '\(fabric.name)'")
        }
        mkdir(directory, 0o755)
        try LocalFabric.write(directory + "/fabric.json", fabric.json + "\n")
        let local = try LocalFabric(directory: directory)
        for p in chosen {
            let db = try Database(path: local.path(of: p))
            try db.enableReplication(pop: p, fabric: fabric)
        }
        return local
    }

    /// Opens an existing local fabric.
    public init(directory: String) throws {
        self.directory = directory
        guard let text = LocalFabric.read(directory + "/fabric.json") else {
            throw LocusError(
                .badParameter, "'\(directory)' is not a local fabric (no fabric.json; run `locus fabric init`)")
        }
        fabric = try Fabric(json: text)
    }

    public func path(of pop: String) -> String { directory + "/" + pop + ".db" }

    /// The PoPs that have a database here, in fabric order.
    public var pops: [String] {
        fabric.pops.map(\.name).filter { access(path(of: $0), F_OK) == 0 }
    }

    /// Opens the database of PoP `pop`.
    public func open(_ pop: String) throws -> Database {
        guard fabric.pop(pop) != nil else {
            throw LocusError(.badParameter, "'\(pop)' is not a PoP of fabric '\(fabric.name)'")
        }
        guard access(path(of: pop), F_OK) == 0 else {
            throw LocusError(
                .badParameter, "PoP '\(pop)' has no database in '\(directory)' (run `locus fabric init --pops \(pop)`)")
        }
        let db = try Database(path: path(of: pop))
        guard db.replica?.pop == pop else { throw LocusError(.badParameter, "'\(path(of: pop))' is not PoP '\(pop)'") }
        return db
    }

    /// What one PoP has and how far behind each peer it is.
    public struct PoPStatus: Sendable {
        public var pop: String
        public var epoch: String
        public var position: Int
        /// For each other PoP: the changes of its feed this PoP has not pulled yet.
        public var lag: [(peer: String, behind: Int)]
        /// Live records this PoP should hold under the placement policy and does not
        /// (`Compliance.missing`): lag that feed positions alone do not show.
        public var missing = 0
    }

    public func status() throws -> [PoPStatus] {
        let dbs = try pops.map { ($0, try open($0)) }
        let identities = try dbs.map { try $0.1.replicator().identity() }
        let missing = try Compliance.missing(paths: pops.map { path(of: $0) })
        return try dbs.map { name, db in
            let id = try db.replicator().identity()
            let lag = try identities.filter { $0.pop != name }.map { peer in
                (peer.pop, peer.position - (try db.withStorage { try $0.watermark(peer: peer.pop, epoch: peer.epoch) }))
            }
            return PoPStatus(pop: name, epoch: id.epoch, position: id.position, lag: lag)
        }.map { s in
            var s = s
            s.missing = missing.filter { $0.pop == s.pop }.count
            return s
        }
    }

    /// Runs up to `rounds` rounds of anti-entropy (every PoP pulls from every other),
    /// stopping after a round that changed nothing. Returns the changes applied per round.
    @discardableResult
    public func sync(rounds: Int = 10) throws -> [Int] {
        let dbs = try pops.map { try open($0) }
        let replicators = dbs.map { $0.replicator() }
        var applied: [Int] = []
        for _ in 0..<max(1, rounds) {
            var n = 0
            for (i, r) in replicators.enumerated() {
                for (j, peer) in replicators.enumerated() where i != j {
                    n += try r.pull(from: InProcessTransport(peer: peer)).applied
                }
            }
            applied.append(n)
            if n == 0 { break }
        }
        return applied
    }

    static func read(_ path: String) -> String? {
        LocalFiles.read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    static func write(_ path: String, _ text: String) throws {
        guard let f = fopen(path, "wb") else { throw LocusError(.badParameter, "cannot write '\(path)'") }
        defer { fclose(f) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, f) == bytes.count else {
            throw LocusError(.badParameter, "cannot write '\(path)'")
        }
    }
}
