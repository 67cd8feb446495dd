// `locus serve`: ArangoDB's HTTP API (and, at a PoP, the sync endpoint) over the data of a
// `--data` directory, one `--db` file, or a `--pop` of a local fabric.

#if canImport(Glibc)
import Glibc
#endif
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Locus
import LocusServer
import Synchronization

extension Commands {
    static func serve(_ a: Arguments) throws -> Int32 {
        guard let listen = a.options["listen"] else {
            throw Arguments.UsageError(message: "serve needs --listen HOST:PORT")
        }
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), port >= 0,
            port < 65536,
            colon > listen.startIndex
        else { throw Arguments.UsageError(message: "--listen needs HOST:PORT, such as 127.0.0.1:8529") }
        let host = String(listen[..<colon])
        let layout: DataLayout
        let served: String
        if let pop = a.options["pop"] {
            guard let dir = a.options["dir"] ?? ProcessInfo.processInfo.environment["LOCUS_FABRIC_DIR"] else {
                throw Arguments.UsageError(message: "--pop needs --dir FABRIC_DIR (or $LOCUS_FABRIC_DIR)")
            }
            layout = .pop(name: pop, directory: dir)
            served = "PoP \(pop) of the fabric in \(dir)"
        } else if let dir = a.options["data"] {
            layout = .directory(dir)
            served = "the databases in \(dir)"
        } else {
            let path = a.options["db"] ?? defaultDatabasePath()
            guard path != ":memory:" else {
                throw Arguments.UsageError(message: "serve needs a database file, not :memory:")
            }
            layout = .file(path)
            served = path
        }
        var options = ServerOptions(layout: layout, host: host, port: port)
        options.authentication = !a.switches.contains("no-auth")
        if let file = a.options["root-password-file"] {
            options.rootPassword = String(decoding: try Database.readFile(file), as: UTF8.self).trimming(
                String.whitespace)
        } else if let p = ProcessInfo.processInfo.environment["LOCUS_ROOT_PASSWORD"] {
            options.rootPassword = p
        }
        if let e = ProcessInfo.processInfo.environment["LOCUS_ROOT_EMAIL"], !e.isEmpty { options.rootEmail = e }
        if let t = a.options["tenant"] {
            guard !t.isEmpty, t.utf8.count <= 64 else {
                throw Arguments.UsageError(message: "--tenant needs a name of 1 to 64 bytes")
            }
            options.tenant = t
        }
        options.tlsCertificate = a.options["tls-cert"]
        options.tlsKey = a.options["tls-key"]
        if let m = a.options["max-body"] {
            guard let n = Int(m), n > 0 else {
                throw Arguments.UsageError(message: "--max-body needs a number of bytes")
            }
            options.maxBody = n
        }
        if let w = a.options["workers"] {
            guard let n = Int(w), n > 0, n <= 256 else {
                throw Arguments.UsageError(message: "--workers needs a number from 1 to 256")
            }
            options.workers = n
        }
        options.peers = try peers(a)
        options.pullEvery = try interval(a) ?? 1
        options.syncAuthenticator = try authenticator(a)
        if !options.peers.isEmpty, case .pop = layout {
        } else if !options.peers.isEmpty {
            throw Arguments.UsageError(message: "--peer needs --pop NAME --dir DIR: only a PoP pulls from peers")
        }
        let outcome = ServeOutcome()
        let configured = options
        let authNote = options.authentication ? "" : "(no authentication) "
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await LocusServer.run(configured) { url in
                    Output.err("locus \(authNote)listening on \(url), serving \(served)")
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
