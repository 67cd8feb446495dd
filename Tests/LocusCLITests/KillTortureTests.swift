// kill -9 torture: `locus` processes killed at random moments while they import, run writing
// queries and sync a local fabric. After every kill the file passes SQLite's integrity check
// and the interrupted operation happened whole or not at all; after the sync kills, one more
// sync converges every PoP. A few kills of each kind run by default; LOCUS_SLOW_TESTS=1 runs
// 1,000 of each, and LOCUS_KILLS=N sets the count.

import CSQLite
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

    func tempDir() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("locus-kill-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `locus args` and kills it with SIGKILL after `delay` seconds; false when it ended
    /// first (then it must have succeeded).
    func killed(_ args: [String], after delay: Double) throws -> Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Repository.locusBinary)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
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

    /// SQLite's `PRAGMA integrity_check` of the file (recovering its WAL as any opener does).
    func integrity(_ path: String) -> String {
        var db: OpaquePointer?
        defer { sqlite3_close(db) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { return "cannot open" }
        var s: OpaquePointer?
        defer { sqlite3_finalize(s) }
        guard sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nil) == SQLITE_OK,
            sqlite3_step(s) == SQLITE_ROW, let text = sqlite3_column_text(s, 0)
        else { return "cannot check" }
        return String(cString: text)
    }

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
            #expect(integrity(db) == "ok", "round \(round)")
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
            } else if try killed(["fabric", "sync", "--dir", dir], after: killMoment(syncTime)) {
                interrupted += 1
            }
            for pop in ["fra", "iad", "bom"] { #expect(integrity(dir + "/\(pop).db") == "ok", "round \(round) \(pop)") }
        }
        print("kill -9 torture, fabric sync: \(Self.kills) runs, \(interrupted) killed")
        #expect(interrupted > 0)
        #expect(try cli.locus(["fabric", "sync", "--dir", dir]).status == 0)
        for pop in ["fra", "iad", "bom"] {
            #expect(try count(["--pop", pop, "--dir", dir], "users") == written, "\(pop)")
        }
    }
}
