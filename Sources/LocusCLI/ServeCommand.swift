// `locus serve`: ArangoDB's HTTP API (and, at a PoP, the sync endpoint) over the data of a
// `--data` directory, one `--db` file, or a `--pop` of a local fabric.

import ArgumentParser
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Locus
import LocusServer
import Synchronization

struct Serve: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve ArangoDB's and Macrometa's HTTP API (and at a PoP the sync endpoint) until SIGTERM.")

    @Option(help: ArgumentHelp("Where to listen; port 0 picks a free port.", valueName: "host:port"))
    var listen: String
    @Option(help: ArgumentHelp("_system and every database created over the API, in this folder.", valueName: "dir"))
    var data: String?
    @OptionGroup var target: DatabaseTarget
    @Flag(help: "Accept requests without credentials.") var noAuth = false
    @Option(help: ArgumentHelp("root's password (default $LOCUS_ROOT_PASSWORD, else empty).", valueName: "file"))
    var rootPasswordFile: String?
    @Option(help: ArgumentHelp("The tenant Macrometa clients log in to.", valueName: "name")) var tenant: String?
    @Option(help: ArgumentHelp("A PEM certificate: serve HTTPS.", valueName: "file")) var tlsCert: String?
    @Option(help: ArgumentHelp("The certificate's PEM private key.", valueName: "file")) var tlsKey: String?
    @Option(help: ArgumentHelp("The largest request body; larger ones get 413.", valueName: "bytes")) var maxBody: Int?
    @Option(help: ArgumentHelp("Database calls run at once.", valueName: "n")) var workers: Int?
    @OptionGroup var peers: SyncPeers

    /// `--listen`'s host and port.
    var endpoint: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), colon > listen.startIndex,
            let port = Int(listen[listen.index(after: colon)...]), (0..<65536).contains(port)
        else { return nil }
        return (String(listen[..<colon]), port)
    }

    func validate() throws {
        guard endpoint != nil else { throw ValidationError("--listen needs HOST:PORT, such as 127.0.0.1:8529") }
        if let tenant, tenant.isEmpty || tenant.utf8.count > 64 {
            throw ValidationError("--tenant needs a name of 1 to 64 bytes")
        }
        if let maxBody, maxBody <= 0 { throw ValidationError("--max-body needs a number of bytes") }
        if let workers, !(1...256).contains(workers) { throw ValidationError("--workers needs a number from 1 to 256") }
        if peers.peer != nil, target.pop == nil {
            throw ValidationError("--peer needs --pop NAME --dir DIR: only a PoP pulls from peers")
        }
    }

    func execute() throws -> Int32 {
        let layout: DataLayout
        let served: String
        if let pop = target.pop {
            let dir = try target.fabricDirectory()
            layout = .pop(name: pop, directory: dir)
            served = "PoP \(pop) of the fabric in \(dir)"
        } else if let data {
            layout = .directory(data)
            served = "the databases in \(data)"
        } else {
            let path = target.path
            guard path != ":memory:" else { throw UsageError("serve needs a database file, not :memory:") }
            layout = .file(path)
            served = path
        }
        guard let (host, port) = endpoint else { throw UsageError("--listen needs HOST:PORT") }
        var options = ServerOptions(layout: layout, host: host, port: port)
        options.authentication = !noAuth
        let environment = ProcessInfo.processInfo.environment
        if let rootPasswordFile {
            options.rootPassword = String(decoding: try Database.readFile(rootPasswordFile), as: UTF8.self)
                .trimming(String.whitespace)
        } else if let p = environment["LOCUS_ROOT_PASSWORD"] {
            options.rootPassword = p
        }
        if let e = environment["LOCUS_ROOT_EMAIL"], !e.isEmpty { options.rootEmail = e }
        if let tenant { options.tenant = tenant }
        options.tlsCertificate = tlsCert
        options.tlsKey = tlsKey
        if let maxBody { options.maxBody = maxBody }
        if let workers { options.workers = workers }
        options.peers = try peers.transports()
        options.pullEvery = peers.every ?? 1
        options.syncAuthenticator = try peers.authenticator()
        let authNote = noAuth ? "(no authentication) " : ""
        return try Serve.run(options) { url in "locus \(authNote)listening on \(url), serving \(served)" }
    }

    /// Runs the server on its own task until it stops; the main thread waits for it.
    static func run(_ options: ServerOptions, banner: @escaping @Sendable (String) -> String) throws -> Int32 {
        let outcome = ServeOutcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await LocusServer.run(options) { url in
                    Output.err(banner("\(url)"))
                }
            } catch let e as LocusError {
                outcome.set(e)
            } catch {
                outcome.set(LocusError(.internalError, "\(error)"))
            }
            done.signal()
        }
        done.wait()
        if let e = outcome.error { throw e }
        return 0
    }
}

/// The error a server stopped with, handed from its task to the waiting main thread.
final class ServeOutcome: Sendable {
    private let stored = Mutex<LocusError?>(nil)
    func set(_ e: LocusError) { stored.withLock { $0 = e } }
    var error: LocusError? { stored.withLock { $0 } }
}
