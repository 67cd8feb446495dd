// The option groups several commands share: where the database is (`--db`, or `--pop` with
// `--dir`), JSON output, a query's bind values and options, and the sync peers a PoP pulls
// from. Each group also turns its options into the value the commands use.

import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials  // FileManager and ProcessInfo without ICU: faster process start
#else
import Foundation
#endif
import Locus
import LocusServer
import LocusValues

/// `--db PATH`, or `--pop NAME --dir DIR`: the database a command works on.
struct DatabaseTarget: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The database file; ':memory:' is a private in-memory database.",
            discussion: "Defaults to $LOCUS_DB, else ~/.local/share/locus/default.db.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("Act as this PoP of the local fabric in --dir.", valueName: "name"))
    var pop: String?

    @Option(
        help: ArgumentHelp(
            "The local fabric directory (for --pop; defaults to $LOCUS_FABRIC_DIR).", valueName: "dir"))
    var dir: String?

    /// The options as a plain value.
    var location: DatabaseLocation { DatabaseLocation(db: db, pop: pop, dir: dir) }

    /// The fabric directory of `--pop`: `--dir`, else `$LOCUS_FABRIC_DIR`.
    func fabricDirectory() throws -> String { try location.fabricDirectory() }

    /// The database file: `--db`, else the embedded default.
    var path: String { location.path }

    /// Opens the database, creating its folder when missing.
    func open() throws -> Database { try location.open() }
}

/// Where a command's database is: a file, or a PoP of a local fabric.
struct DatabaseLocation {
    var db: String?
    var pop: String?
    var dir: String?

    /// The fabric directory of `--pop`: `--dir`, else `$LOCUS_FABRIC_DIR`.
    func fabricDirectory() throws -> String {
        guard let dir = dir ?? ProcessInfo.processInfo.environment["LOCUS_FABRIC_DIR"] else {
            throw UsageError("--pop needs --dir FABRIC_DIR (or $LOCUS_FABRIC_DIR)")
        }
        return dir
    }

    /// The database file: `--db`, else the embedded default.
    var path: String { db ?? DatabaseLocation.defaultPath() }

    /// Opens the database, creating its folder when missing.
    func open() throws -> Database {
        if let pop { return try LocalFabric(directory: try fabricDirectory()).open(pop) }
        let path = self.path
        if path != ":memory:", let slash = path.lastIndex(of: "/"), slash > path.startIndex {
            try? FileManager.default.createDirectory(
                atPath: String(path[..<slash]), withIntermediateDirectories: true)
        }
        return try Database(path: path)
    }

    /// The embedded default database path, created on first use.
    static func defaultPath() -> String {
        if let p = ProcessInfo.processInfo.environment["LOCUS_DB"], !p.isEmpty { return p }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
        let dir = home + "/.local/share/locus"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/default.db"
    }
}

/// `--json`: results, and errors, as JSON on stdout.
struct JSONOutput: ParsableArguments {
    @Flag(help: "Print the result, and any error, as JSON.")
    var json = false
}

/// `--bind JSON` and `--options JSON`: what a query runs with.
struct QueryInputs: ParsableArguments {
    @Option(help: ArgumentHelp("Bind parameter values, as a JSON object.", valueName: "json"))
    var bind: String?

    @Option(
        help: ArgumentHelp(
            "Query options as ArangoDB's cursor API takes them, such as {\"fullCount\": true}.",
            valueName: "json"))
    var options: String?

    func bindVars() throws -> [String: Value] { try QueryInputs.bindVars(bind) }

    /// The bind values of a `--bind` JSON object.
    static func bindVars(_ text: String?) throws -> [String: Value] {
        guard let text else { return [:] }
        guard let v = try? JSONReader.parse(text), case .object(let o) = v else {
            throw LocusError(.bindParametersInvalid)
        }
        var out: [String: Value] = [:]
        for (k, v) in o { out[k] = v }
        return out
    }

    func queryOptions() throws -> QueryOptions { try QueryInputs.queryOptions(options) }

    /// The query options of an `--options` JSON object.
    static func queryOptions(_ text: String?) throws -> QueryOptions {
        guard let text else { return QueryOptions() }
        return try QueryOptions(json: try JSONReader.parse(text))
    }
}

/// `--peer URL,… [--every S] [--secret-file FILE]`: the peers a PoP pulls changes from.
struct SyncPeers: ParsableArguments {
    @Option(help: ArgumentHelp("Peers' sync URLs, comma-separated.", valueName: "url,..."))
    var peer: String?

    @Option(help: ArgumentHelp("Pull every so many seconds.", valueName: "seconds"))
    var every: Double?

    @Option(
        help: ArgumentHelp("The fabric secret that signs and checks sync requests.", valueName: "file"))
    var secretFile: String?

    func validate() throws {
        if let every, !(every > 0) { throw ValidationError("--every needs a number of seconds") }
    }

    func transports() throws -> [HTTPSyncTransport] {
        let auth = try authenticator()
        return try (peer ?? "").split(separator: ",").map {
            try HTTPSyncTransport(url: String($0), authenticator: auth)
        }
    }

    /// The fabric secret of `--secret-file`.
    func authenticator() throws -> SyncAuthenticator? {
        guard let secretFile else { return nil }
        guard let data = FileManager.default.contents(atPath: secretFile) else {
            throw LocusError(.badParameter, "cannot read secret file '\(secretFile)'")
        }
        return try SyncAuthenticator(
            secret: Array(String(decoding: data, as: UTF8.self).trimming(String.whitespace).utf8))
    }
}

/// A comma-separated list option as trimmed names.
func commaList(_ text: String?) -> [String]? {
    text.map { $0.split(separator: ",").map { String($0).trimmingWhitespace() } }
}
