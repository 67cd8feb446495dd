// The fabric subcommands: `fabric init|status|sync` on a local fabric directory,
// `fabric keygen|attest` for a fabric authority and its PoP attestations, and `sync` (pull
// from a peer once or every few seconds), optionally authenticated with the fabric secret.

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Locus
import LocusSyntax
import LocusServer
import LocusValues

extension Commands {
    static func fabric(_ a: Arguments) throws -> Int32 {
        let verb = try a.require(0, "fabric subcommand (init, status, sync, keygen, attest)")
        switch verb {
        case "keygen":
            // The private key goes to a file only its owner can read; the public key is printed.
            guard let out = a.options["out"] else {
                throw Arguments.UsageError(message: "fabric keygen needs --out KEYFILE")
            }
            let key = Attestation.newAuthority()
            guard
                FileManager.default.createFile(
                    atPath: out, contents: Data((key.privateKey + "\n").utf8),
                    attributes: [.posixPermissions: 0o600])
            else { throw LocusError(.badParameter, "cannot write key file '\(out)'") }
            Output.out(key.publicKey)
            return 0
        case "attest":
            guard let file = a.options["fabric"], let keyFile = a.options["key"] else {
                throw Arguments.UsageError(message: "fabric attest needs --fabric FILE --key KEYFILE")
            }
            guard let data = FileManager.default.contents(atPath: file),
                let keyData = FileManager.default.contents(atPath: keyFile)
            else {
                throw LocusError(.badParameter, "cannot read '\(file)' or '\(keyFile)'")
            }
            let key = String(decoding: keyData, as: UTF8.self).trimming(String.whitespace)
            let attested = try Attestation.attest(
                try Fabric(json: String(decoding: data, as: UTF8.self)), privateKey: key)
            let out = a.options["out"] ?? file
            guard FileManager.default.createFile(atPath: out, contents: Data((attested.json + "\n").utf8)) else {
                throw LocusError(.badParameter, "cannot write '\(out)'")
            }
            Output.out("attested \(attested.pops.count) PoPs of fabric \(attested.name) in \(out)")
            return 0
        default:
            break
        }
        guard let dir = a.options["dir"] else { throw Arguments.UsageError(message: "fabric \(verb) needs --dir DIR") }
        switch verb {
        case "init":
            guard let file = a.options["fabric"] else {
                throw Arguments.UsageError(message: "fabric init needs --fabric FILE")
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw LocusError(.badParameter, "cannot read fabric file '\(file)'")
            }
            let text = String(decoding: data, as: UTF8.self)
            let f = try Fabric(json: text)
            let pops = a.options["pops"].map { $0.split(separator: ",").map { String($0).trimmingWhitespace() } }
            let local = try LocalFabric.create(fabric: f, directory: dir, pops: pops)
            Output.out(
                "fabric \(f.name): \(local.pops.count) PoP database\(local.pops.count == 1 ? "" : "s") in \(dir)")
        case "status":
            let local = try LocalFabric(directory: dir)
            let status = try local.status()
            if a.switches.contains("json") {
                Output.out(
                    JSONWriter.string(
                        .array(
                            status.map { s in
                                [
                                    "pop": .string(s.pop), "epoch": .string(s.epoch), "position": .int(s.position),
                                    "lag": .object(s.lag.reduce(into: Object()) { $0[$1.peer] = .int($1.behind) }),
                                    "missing": .int(s.missing),
                                ]
                            })))
            } else {
                Output.out(
                    "pop\tposition\tbehind (changes not yet pulled, worst peer)\tmissing (records it should hold)")
                for s in status {
                    let worst = s.lag.max { $0.behind < $1.behind }
                    Output.out(
                        "\(s.pop)\t\(s.position)\t\(worst.map { "\($0.behind) from \($0.peer)" } ?? "-")\t\(s.missing)")
                }
            }
        case "sync":
            let rounds =
                try a.options["rounds"].map { r -> Int in
                    guard let n = Int(r), n > 0 else {
                        throw Arguments.UsageError(message: "--rounds needs a positive number")
                    }
                    return n
                } ?? 10
            let applied = try LocalFabric(directory: dir).sync(rounds: rounds)
            Output.out(
                "\(applied.count) round\(applied.count == 1 ? "" : "s"); changes applied per round: \(applied.map(String.init).joined(separator: ", "))"
            )
        default:
            throw Arguments.UsageError(message: "unknown fabric subcommand '\(verb)'")
        }
        return 0
    }

    static func interval(_ a: Arguments) throws -> Double? {
        try a.options["every"].map { s in
            guard let d = Double(s), d > 0 else {
                throw Arguments.UsageError(message: "--every needs a number of seconds")
            }
            return d
        }
    }

    static func peers(_ a: Arguments) throws -> [HTTPSyncTransport] {
        let auth = try authenticator(a)
        return try (a.options["peer"] ?? "").split(separator: ",").map {
            try HTTPSyncTransport(url: String($0), authenticator: auth)
        }
    }

    /// The fabric secret of `--secret-file`, which signs and checks sync requests.
    static func authenticator(_ a: Arguments) throws -> SyncAuthenticator? {
        guard let file = a.options["secret-file"] else { return nil }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LocusError(.badParameter, "cannot read secret file '\(file)'")
        }
        return try SyncAuthenticator(
            secret: Array(String(decoding: data, as: UTF8.self).trimming(String.whitespace).utf8))
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

    static func sync(_ a: Arguments) throws -> Int32 {
        let peers = try peers(a)
        guard !peers.isEmpty else { throw Arguments.UsageError(message: "sync needs --peer URL") }
        let db = try open(a)
        let replicator = db.replicator()
        _ = try replicator.identity()  // fails early when this database is not a PoP
        guard let every = try interval(a) else { return pullAll(replicator, peers, quiet: false) ? 0 : 1 }
        while true {
            _ = pullAll(replicator, peers, quiet: true)
            usleep(UInt32(min(every, 3600) * 1_000_000))
        }
    }
}
