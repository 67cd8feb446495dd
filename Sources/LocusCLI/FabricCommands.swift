// The fabric subcommands: `fabric init|status|sync` on a local fabric directory,
// `fabric keygen|attest` for a fabric authority and its PoP attestations, and `sync` (pull
// from a peer once or every few seconds), optionally authenticated with the fabric secret.

import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Locus
import LocusServer
import LocusValues

struct FabricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fabric", abstract: "Local fabrics of PoPs, and attestations of a fabric's PoPs.",
        subcommands: [Init.self, Status.self, Sync.self, Keygen.self, Attest.self])

    /// `--dir DIR`: the local fabric's directory, one database per PoP.
    struct Directory: ParsableArguments {
        @Option(help: ArgumentHelp("The local fabric's directory.", valueName: "dir")) var dir: String
    }

    struct Init: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a local fabric: one PoP database per PoP of a fabric file.")
        @Option(help: ArgumentHelp("The fabric file (JSON).", valueName: "file")) var fabric: String
        @OptionGroup var directory: Directory
        @Option(help: ArgumentHelp("Only these PoPs.", valueName: "a,b,c")) var pops: String?

        func execute() throws -> Int32 {
            guard let data = FileManager.default.contents(atPath: fabric) else {
                throw LocusError(.badParameter, "cannot read fabric file '\(fabric)'")
            }
            let f = try Fabric(json: String(decoding: data, as: UTF8.self))
            let local = try LocalFabric.create(fabric: f, directory: directory.dir, pops: commaList(pops))
            Output.out(
                "fabric \(f.name): \(local.pops.count) PoP database\(local.pops.count == 1 ? "" : "s") in \(directory.dir)"
            )
            return 0
        }
    }

    struct Status: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Each PoP's stream position, how far it lags its peers, and records it misses.")
        @OptionGroup var directory: Directory
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            let status = try LocalFabric(directory: directory.dir).status()
            if output.json {
                let rows: [Value] = status.map { s in
                    [
                        "pop": .string(s.pop), "epoch": .string(s.epoch), "position": .int(s.position),
                        "lag": .object(s.lag.reduce(into: Object()) { $0[$1.peer] = .int($1.behind) }),
                        "missing": .int(s.missing),
                    ]
                }
                Output.out(JSONWriter.string(.array(rows)))
            } else {
                Output.out(
                    "pop\tposition\tbehind (changes not yet pulled, worst peer)\tmissing (records it should hold)")
                for s in status {
                    let worst = s.lag.max { $0.behind < $1.behind }
                    Output.out(
                        "\(s.pop)\t\(s.position)\t\(worst.map { "\($0.behind) from \($0.peer)" } ?? "-")\t\(s.missing)")
                }
            }
            return 0
        }
    }

    struct Sync: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Run sync rounds between every pair of PoPs until nothing changes.")
        @OptionGroup var directory: Directory
        @Option(help: "At most this many rounds.") var rounds = 10

        func validate() throws {
            guard rounds > 0 else { throw ValidationError("--rounds needs a positive number") }
        }

        func execute() throws -> Int32 {
            let applied = try LocalFabric(directory: directory.dir).sync(rounds: rounds)
            Output.out(
                "\(applied.count) round\(applied.count == 1 ? "" : "s"); changes applied per round: \(applied.map(String.init).joined(separator: ", "))"
            )
            return 0
        }
    }

    struct Keygen: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Make a fabric authority's key pair: the private key to a file, the public key printed.")
        @Option(help: ArgumentHelp("Where the private key goes (mode 0600).", valueName: "keyfile")) var out: String

        func execute() throws -> Int32 {
            let key = Attestation.newAuthority()
            guard
                FileManager.default.createFile(
                    atPath: out, contents: Data((key.privateKey + "\n").utf8),
                    attributes: [.posixPermissions: 0o600])
            else { throw LocusError(.badParameter, "cannot write key file '\(out)'") }
            Output.out(key.publicKey)
            return 0
        }
    }

    struct Attest: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "attest",
            abstract: "Sign each PoP of a fabric file with the authority's key.")
        @Option(help: ArgumentHelp("The fabric file (JSON).", valueName: "file")) var fabric: String
        @Option(help: ArgumentHelp("The authority's private key.", valueName: "keyfile")) var key: String
        @Option(help: ArgumentHelp("Where the attested fabric goes (default: over --fabric).", valueName: "file"))
        var out: String?

        func execute() throws -> Int32 {
            guard let data = FileManager.default.contents(atPath: fabric),
                let keyData = FileManager.default.contents(atPath: key)
            else {
                throw LocusError(.badParameter, "cannot read '\(fabric)' or '\(key)'")
            }
            let privateKey = String(decoding: keyData, as: UTF8.self).trimming(String.whitespace)
            let attested = try Attestation.attest(
                try Fabric(json: String(decoding: data, as: UTF8.self)), privateKey: privateKey)
            let destination = out ?? fabric
            guard FileManager.default.createFile(atPath: destination, contents: Data((attested.json + "\n").utf8))
            else {
                throw LocusError(.badParameter, "cannot write '\(destination)'")
            }
            Output.out("attested \(attested.pops.count) PoPs of fabric \(attested.name) in \(destination)")
            return 0
        }
    }
}

struct SyncCommand: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Pull a PoP's changes from its peers, once or every few seconds.")

    @OptionGroup var target: DatabaseTarget
    @OptionGroup var peers: SyncPeers

    func execute() throws -> Int32 {
        let transports = try peers.transports()
        guard !transports.isEmpty else { throw UsageError("sync needs --peer URL") }
        let replicator = try target.open().replicator()
        _ = try replicator.identity()  // fails early when this database is not a PoP
        guard let every = peers.every else { return SyncCommand.pullAll(replicator, transports, quiet: false) ? 0 : 1 }
        while true {
            _ = SyncCommand.pullAll(replicator, transports, quiet: true)
            usleep(UInt32(min(every, 3600) * 1_000_000))
        }
    }

    /// Pulls from each peer; failures are reported and do not stop the others.
    static func pullAll(_ replicator: Replicator, _ peers: [HTTPSyncTransport], quiet: Bool) -> Bool {
        var ok = true
        for p in peers {
            do {
                let s = try replicator.pull(from: p)
                if !quiet || s.applied > 0 {
                    Output.out(
                        "pulled from \(p.hostAndPort): \(s.received) changes received, \(s.applied) applied, \(s.pages) page\(s.pages == 1 ? "" : "s")"
                    )
                }
            } catch let e as LocusError {
                ok = false
                Output.err("sync with \(p.hostAndPort) failed: \(e.rendered())")
            } catch {
                ok = false
                Output.err("sync with \(p.hostAndPort) failed: \(error)")
            }
        }
        return ok
    }
}
