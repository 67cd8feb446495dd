// kill -9 torture: `locus` processes killed at random moments while they import, run writing
// queries and sync a local fabric. After every kill the file passes SQLite's integrity check
// and the interrupted operation happened whole or not at all; after the sync kills, one more
// sync converges every PoP. A few kills of each kind run by default; LOCUS_SLOW_TESTS=1 runs
// 1,000 of each, and LOCUS_KILLS=N sets the count.

import Foundation
import Testing
import LocusTestSupport
@testable import LocusValues

@Suite(.serialized) struct KillTortureTests {
    let cli = CLITests()

    static var kills: Int {
        let env = ProcessInfo.processInfo.environment
        if let n = env["LOCUS_KILLS"].flatMap(Int.init), n > 0 { return n }
        return env["LOCUS_SLOW_TESTS"] == "1" ? 1000 : 6
    }

    /// Documents each interrupted operation writes.
    static let batch = 4000

    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    func tempDir() -> String { scratch.make("kill") }

    /// Starts `locus args`, its output discarded.
    func launch(_ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Repository.locusBinary)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Runs `locus args` and kills it with SIGKILL after `delay` seconds; false when it ended
    /// first (then it must have succeeded).
    func killed(_ args: [String], after delay: Double) throws -> Bool {
        let p = try launch(args)
        let deadline = Date().addingTimeInterval(delay)
        while p.isRunning && Date() < deadline { usleep(2000) }
        guard p.isRunning else {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "locus \(args.prefix(2)) failed without being killed")
            return false
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        return true
    }

    /// Runs `locus args` to the end; returns how many seconds it took.
    func timed(_ args: [String]) throws -> Double {
        let start = Date()
        #expect(try cli.locus(args).status == 0, "locus \(args.prefix(2))")
        return Date().timeIntervalSince(start)
    }

    /// A moment to kill an operation that takes `duration` seconds when left alone: inside it,
    /// however slow the machine is today.
    func killMoment(_ duration: Double) -> Double { Double.random(in: 0.1...0.9) * duration }

    func count(_ args: [String], _ collection: String) throws -> Int? {
        let r = try cli.locus(["query", "--json"] + args + ["RETURN LENGTH(\(collection))"])
        return r.json?[attribute: "result"][index: 0].numberValue.map { Int($0) }
    }

    @Test func importsAndWritingQueriesAreAllOrNothing() throws {
        let dir = tempDir()
        let db = dir + "/t.db"
        #expect(try cli.locus(["collection", "create", "t", "--db", db]).status == 0)
        let dataFile = dir + "/import.jsonl"
        func importFile(_ prefix: String) throws {
            let lines = (0..<Self.batch).map { #"{"_key": "\#(prefix)-\#($0)", "v": \#($0)}"# }
            try (lines.joined(separator: "\n") + "\n").write(toFile: dataFile, atomically: true, encoding: .utf8)
        }
        func insertQuery(_ prefix: String) -> String {
            "FOR i IN 1..\(Self.batch) INSERT {_key: CONCAT('\(prefix)-', i), v: i} INTO t"
        }
        // How long each operation takes when left alone, on this machine now.
        try importFile("warm-i")
        let importTime = try timed(["import", "t", dataFile, "--db", db])
        let queryTime = try timed(["query", "--db", db, insertQuery("warm-q")])
        var expected = 2 * Self.batch
        var interrupted = 0
        var kills = 0
        for round in 0..<Self.kills {
            let wasKilled: Bool
            if round % 2 == 0 {
                try importFile("i\(round)")
                wasKilled = try killed(["import", "t", dataFile, "--db", db], after: killMoment(importTime))
            } else {
                wasKilled = try killed(["query", "--db", db, insertQuery("q\(round)")], after: killMoment(queryTime))
            }
            #expect(SQLiteIntegrity.check(db) == "ok", "round \(round)")
            let now = try #require(try count(["--db", db], "t"))
            #expect(now == expected || now == expected + Self.batch, "round \(round): \(now) after \(expected)")
            if wasKilled {
                kills += 1
                interrupted += now == expected ? 1 : 0
            }
            expected = now
        }
        print(
            "kill -9 torture, imports and writing queries: \(Self.kills) runs, \(kills) killed, \(interrupted) before commit"
        )
        // Kills that landed before the commit: without any, the test proved nothing.
        #expect(interrupted > 0)
    }

    @Test func killedSyncsLeaveEveryPoPWholeAndTheNextSyncConverges() throws {
        let dir = tempDir() + "/fabric"
        #expect(
            try cli.locus(["fabric", "init", "--fabric", Repository.path("Fixtures/fabrics/trio.json"), "--dir", dir])
                .status == 0)
        #expect(try cli.locus(["collection", "create", "users", "--pop", "fra", "--dir", dir]).status == 0)
        var written = 0
        var interrupted = 0
        var syncTime = 0.0
        for round in 0...Self.kills {
            let query = "FOR i IN 1..\(Self.batch / 4) INSERT {_key: CONCAT('s\(round)-', i), v: i} INTO users"
            #expect(try cli.locus(["query", "--pop", "fra", "--dir", dir, query]).status == 0)
            written += Self.batch / 4
            if round == 0 {
                // How long a sync of one round's writes takes when left alone.
                syncTime = try timed(["fabric", "sync", "--dir", dir])
            } else {
                // A sync that finished before its kill moment sets how long the next is given.
                let started = Date()
                if try killed(["fabric", "sync", "--dir", dir], after: killMoment(syncTime)) {
                    interrupted += 1
                } else {
                    syncTime = Date().timeIntervalSince(started)
                }
            }
            for pop in ["fra", "iad", "bom"] {
                #expect(SQLiteIntegrity.check(dir + "/\(pop).db") == "ok", "round \(round) \(pop)")
            }
        }
        print("kill -9 torture, fabric sync: \(Self.kills) runs, \(interrupted) killed")
        #expect(interrupted > 0)
        #expect(try cli.locus(["fabric", "sync", "--dir", dir]).status == 0)
        for pop in ["fra", "iad", "bom"] {
            #expect(try count(["--pop", pop, "--dir", dir], "users") == written, "\(pop)")
        }
    }

    /// Whether the PoP's database file or WAL holds `needle`.
    func holds(_ path: String, _ needle: String) -> Bool {
        ["", "-wal"].contains { suffix in
            guard let data = FileManager.default.contents(atPath: path + suffix) else { return false }
            return data.range(of: Data(needle.utf8)) != nil
        }
    }

    func policyVersion(_ pop: String, _ dir: String) throws -> Int? {
        let r = try cli.locus(["policy", "show", "--pop", pop, "--dir", dir])
        return r.json?[attribute: "version"].numberValue.map { Int($0) }
    }

    /// `policy set` killed while it evicts (a narrowing) or while it takes records back (a
    /// widening, then a sync): the policy in force is the old one with every record, or the
    /// new one; after a narrowing, once the PoP is opened again, no byte of the evicted records
    /// is left in its files. `compliance check` killed while it scans leaves every file whole
    /// and the next check clean.
    @Test func killedPolicyChangesAndComplianceChecksLeaveNoTrace() throws {
        let dir = tempDir() + "/fabric"
        #expect(
            try cli.locus(["fabric", "init", "--fabric", Repository.path("Fixtures/fabrics/trio.json"), "--dir", dir])
                .status == 0)
        #expect(try cli.locus(["collection", "create", "users", "--pop", "fra", "--dir", dir]).status == 0)
        let canary = "CANARY-kill-\(UUID().uuidString)"
        let residents = Self.batch / 4
        let insert =
            "FOR i IN 1..\(residents) INSERT {_key: CONCAT('eu', i), residency: 'EU', note: '\(canary)'} INTO users"
        #expect(try cli.locus(["query", "--pop", "fra", "--dir", dir, insert]).status == 0)
        let policyFile = dir + "/../policy.json"
        func writePolicy(version: Int, narrow: Bool) throws {
            let rules = narrow ? #"[{"when": "doc.residency == 'EU'", "allow": ["jurisdiction:eu"]}]"# : "[]"
            try
                #"{"version": \#(version), "default": "everywhere", "collections": {"users": {"placement": "everywhere", "rules": \#(rules)}}}"#
                .write(toFile: policyFile, atomically: true, encoding: .utf8)
        }
        try writePolicy(version: 1, narrow: false)
        #expect(try cli.locus(["policy", "set", policyFile, "--dir", dir]).status == 0)
        #expect(try cli.locus(["fabric", "sync", "--dir", dir]).status == 0)
        let iad = dir + "/iad.db"
        // How long a narrowing takes at iad when left alone.
        try writePolicy(version: 2, narrow: true)
        let narrowTime = try timed(["policy", "set", policyFile, "--pop", "iad", "--dir", dir])
        var version = 2
        var interrupted = 0
        // Each round kills two policy changes.
        for round in 0..<max(1, Self.kills / 2) {
            // Widen at iad and sync, so that it holds the residents again.
            version += 1
            try writePolicy(version: version, narrow: false)
            let widened = try killed(
                ["policy", "set", policyFile, "--pop", "iad", "--dir", dir], after: killMoment(narrowTime))
            #expect(SQLiteIntegrity.check(iad) == "ok", "round \(round), widening")
            let afterWidening = try #require(try policyVersion("iad", dir))
            #expect(afterWidening == version || (widened && afterWidening == version - 1), "round \(round)")
            if afterWidening != version {
                #expect(try cli.locus(["policy", "set", policyFile, "--pop", "iad", "--dir", dir]).status == 0)
            }
            #expect(try cli.locus(["fabric", "sync", "--dir", dir]).status == 0)
            #expect(try count(["--pop", "iad", "--dir", dir], "users") == residents, "round \(round): widened")
            // Narrow at iad, killed while it evicts.
            version += 1
            try writePolicy(version: version, narrow: true)
            let narrowed = try killed(
                ["policy", "set", policyFile, "--pop", "iad", "--dir", dir], after: killMoment(narrowTime))
            #expect(SQLiteIntegrity.check(iad) == "ok", "round \(round), narrowing")
            // Opening the PoP (as `count` does) completes an erasure the kill interrupted.
            let held = try #require(try count(["--pop", "iad", "--dir", dir], "users"))
            let inForce = try #require(try policyVersion("iad", dir))
            if inForce == version {
                #expect(held == 0, "round \(round): \(held) records left after the narrowing")
                #expect(!holds(iad, canary), "round \(round): evicted bytes left at iad")
            } else {
                #expect(narrowed && inForce == version - 1 && held == residents, "round \(round): \(held) held")
                interrupted += 1
                #expect(try cli.locus(["policy", "set", policyFile, "--pop", "iad", "--dir", dir]).status == 0)
                #expect(!holds(iad, canary), "round \(round): evicted bytes left at iad")
            }
        }
        print(
            "kill -9 torture, policy set: \(2 * max(1, Self.kills / 2)) runs, \(interrupted) narrowings killed before commit"
        )
        // A compliance check killed while it scans changes nothing. (The sync first brings the
        // last policy to every PoP.)
        #expect(try cli.locus(["fabric", "sync", "--dir", dir]).status == 0)
        let checkTime = try timed(["compliance", "check", "--dir", dir])
        for round in 0..<Self.kills {
            _ = try killed(["compliance", "check", "--dir", dir], after: killMoment(checkTime))
            for pop in ["fra", "iad", "bom"] {
                #expect(SQLiteIntegrity.check(dir + "/\(pop).db") == "ok", "round \(round) \(pop)")
            }
        }
        #expect(try cli.locus(["compliance", "check", "--dir", dir]).status == 0)
    }

    /// `locus serve` of PoP `pop` on `port`, once it accepts connections.
    func serve(_ pop: String, _ dir: String, port: Int) throws -> Process {
        let p = try launch(["serve", "--pop", pop, "--dir", dir, "--listen", "127.0.0.1:\(port)", "--no-auth"])
        if LoopbackPort.awaitListener(port) { return p }
        p.terminate()
        Issue.record("locus serve did not start on port \(port)")
        return p
    }

    /// Pulls over HTTP with `locus sync`, killing the puller or the serving PoP at random
    /// moments. Every file stays whole; a puller whose server died ends with exit status 1,
    /// never hangs; once the server is back, one more sync converges.
    @Test func killedHTTPSyncsLeaveBothSidesWholeAndTheNextSyncConverges() throws {
        let dir = tempDir() + "/fabric"
        #expect(
            try cli.locus([
                "fabric", "init", "--fabric", Repository.path("Fixtures/fabrics/trio.json"), "--dir", dir, "--pops",
                "fra,iad",
            ]).status == 0)
        #expect(try cli.locus(["collection", "create", "users", "--pop", "fra", "--dir", dir]).status == 0)
        let port = LoopbackPort.free()
        var server = try serve("fra", dir, port: port)
        defer { server.terminate() }
        let pull = ["sync", "--pop", "iad", "--dir", dir, "--peer", "http://127.0.0.1:\(port)"]
        var written = 0
        var syncTime = 0.0
        var pullersKilled = 0
        var serversKilled = 0
        for round in 0...Self.kills {
            let query = "FOR i IN 1..\(Self.batch / 2) INSERT {_key: CONCAT('h\(round)-', i), v: i} INTO users"
            #expect(try cli.locus(["query", "--pop", "fra", "--dir", dir, query]).status == 0)
            written += Self.batch / 2
            if round == 0 {
                syncTime = try timed(pull)
            } else if round % 2 == 1 {
                // A pull that finished before its kill moment is timed again, and another batch
                // is written for a sooner kill: a fast machine must not leave the round untested.
                for attempt in 0..<5 {
                    if attempt > 0 {
                        let more =
                            "FOR i IN 1..\(Self.batch / 2) INSERT {_key: CONCAT('h\(round)-\(attempt)-', i), v: i} INTO users"
                        #expect(try cli.locus(["query", "--pop", "fra", "--dir", dir, more]).status == 0)
                        written += Self.batch / 2
                    }
                    let started = Date()
                    if try killed(pull, after: killMoment(syncTime) / Double(1 << attempt)) {
                        pullersKilled += 1
                        break
                    }
                    syncTime = Date().timeIntervalSince(started)
                }
            } else {
                // The serving PoP dies under a pull.
                let p = try launch(pull)
                usleep(UInt32(killMoment(syncTime) * 1_000_000))
                kill(server.processIdentifier, SIGKILL)
                server.waitUntilExit()
                serversKilled += 1
                let deadline = Date().addingTimeInterval(60)
                while p.isRunning && Date() < deadline { usleep(10_000) }
                #expect(!p.isRunning, "round \(round): the puller hangs after its server died")
                if p.isRunning { kill(p.processIdentifier, SIGKILL) }
                p.waitUntilExit()
                #expect(p.terminationReason == .exit && [0, 1].contains(p.terminationStatus), "round \(round)")
                server = try serve("fra", dir, port: port)
            }
            for pop in ["fra", "iad"] {
                #expect(SQLiteIntegrity.check(dir + "/\(pop).db") == "ok", "round \(round) \(pop)")
            }
        }
        print("kill -9 torture, HTTP sync: \(pullersKilled) pullers and \(serversKilled) servers killed")
        #expect(pullersKilled > 0)
        #expect(try cli.locus(pull).status == 0)
        for pop in ["fra", "iad"] { #expect(try count(["--pop", pop, "--dir", dir], "users") == written, "\(pop)") }
    }
}
