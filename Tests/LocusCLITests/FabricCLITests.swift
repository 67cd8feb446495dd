// The fabric commands through the built binary: a local fabric (init, --pop writes, status,
// sync), and two real `locus serve` processes on 127.0.0.1 that pull from each other and
// converge after concurrent writes on both.

import Foundation
import Testing
import LocusTestSupport
@testable import LocusValues

@Suite(.serialized) struct FabricCLITests {
    let cli = CLITests()

    static var trio: String {
        Repository.path("Fixtures/fabrics/trio.json")
    }

    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    func tempDir() -> String { scratch.make("fabric", create: false) }

    func keys(_ dir: String, _ pop: String) throws -> Value? {
        try cli.locus([
            "query", "--json", "--pop", pop, "--dir", dir, "FOR u IN users SORT u._key RETURN [u._key, u.v]",
        ]).json?[attribute: "result"]
    }

    @Test func localFabricInitWriteStatusSync() throws {
        let dir = tempDir()
        let initRun = try cli.locus(["fabric", "init", "--fabric", FabricCLITests.trio, "--dir", dir])
        #expect(initRun.status == 0, "\(initRun.err)")
        #expect(try cli.locus(["collection", "create", "users", "--pop", "fra", "--dir", dir]).status == 0)
        #expect(
            try cli.locus(["query", "--pop", "fra", "--dir", dir, #"INSERT {_key: "a", v: 1} INTO users"#]).status == 0)
        let status = try cli.locus(["fabric", "status", "--json", "--dir", dir])
        #expect(status.json?[index: 0][attribute: "pop"] == "fra")
        #expect(status.json?[index: 1][attribute: "lag"][attribute: "fra"].numberValue ?? 0 > 0)
        #expect(try cli.locus(["fabric", "sync", "--dir", dir]).status == 0)
        #expect(try keys(dir, "bom") == [["a", 1]])
        let after = try cli.locus(["fabric", "status", "--json", "--dir", dir])
        for i in 0..<3 {
            for (_, behind) in after.json?[index: i][attribute: "lag"].objectValue ?? Object() { #expect(behind == 0) }
        }
        // Unknown PoPs and missing directories are errors, not new databases.
        let bad = try cli.locus(["query", "--pop", "nowhere", "--dir", dir, "RETURN 1"])
        #expect(bad.status == 1 && bad.err.contains("not a PoP"))
        let noDir = try cli.locus(["query", "--pop", "fra", "RETURN 1"])
        #expect(noDir.status == 2)
        let badFabric = try cli.locus(["fabric", "init", "--fabric", "/nonexistent.json", "--dir", tempDir()])
        #expect(badFabric.status == 1)
    }

    @Test func keygenAndAttestSignEveryPoP() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let key = dir + "/authority.key", fabric = dir + "/fabric.json"
        let gen = try cli.locus(["fabric", "keygen", "--out", key])
        let publicKey = gen.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(gen.status == 0 && publicKey.count == 64)
        let attest = try cli.locus(["fabric", "attest", "--fabric", FabricCLITests.trio, "--key", key, "--out", fabric])
        #expect(attest.status == 0, "\(attest.err)")
        let written = try JSONReader.parse(try String(contentsOfFile: fabric, encoding: .utf8))
        #expect(written[attribute: "authority"] == .string(publicKey))
        #expect(
            written[attribute: "pops"].arrayValue?.allSatisfy { $0[attribute: "attestation"].stringValue?.count == 128 }
                == true)
        #expect(try cli.locus(["fabric", "init", "--fabric", fabric, "--dir", dir + "/f"]).status == 0)
        #expect(
            try cli.locus([
                "fabric", "attest", "--fabric", FabricCLITests.trio, "--key", fabric, "--out", dir + "/x.json",
            ]).status == 1)
    }

    @Test func thePromptShowsSetsAndExplainsPolicies() throws {
        let dir = tempDir()
        #expect(try cli.locus(["fabric", "init", "--fabric", FabricCLITests.trio, "--dir", dir]).status == 0)
        #expect(try cli.locus(["collection", "create", "users", "--pop", "fra", "--dir", dir]).status == 0)
        #expect(
            try cli.locus(["query", "--pop", "fra", "--dir", dir, "INSERT {_key: 'u1', residency: 'EU'} INTO users"])
                .status == 0)
        let policy = dir + "/policy.json"
        try
            #"{"version": 1, "default": "everywhere", "collections": {"users": {"placement": "everywhere", "rules": [{"when": "doc.residency == 'EU'", "allow": ["jurisdiction:eu"]}]}}}"#
            .write(toFile: policy, atomically: true, encoding: .utf8)
        let r = try cli.locus(
            ["--db", dir + "/fra.db"],
            stdin: ".policy set \(policy)\n.policy\n.placement users u1\n.policy set /nonexistent\n.quit\n")
        #expect(r.out.contains("policy version 1 set"), "\(r.out) \(r.err)")
        #expect(r.out.contains("\"jurisdiction:eu\""))
        #expect(r.out.contains("users/u1 may live at fra"))
        #expect(r.err.contains("cannot read file") && r.status == 1)
    }

    @Test func twoServeProcessesConvergeOverLoopback() throws {
        let dir = tempDir()
        #expect(try cli.pairFabric(dir, collection: "users"))
        #expect(try cli.locus(["collection", "create", "users", "--pop", "iad", "--dir", dir]).status == 0)
        // Ports nothing listens on now (ports picked from the process id could be taken by
        // another test's server running at the same time, and the servers would not start).
        var ports = [LoopbackPort.free()]
        while ports.count < 2 {
            let port = LoopbackPort.free()
            if !ports.contains(port) { ports.append(port) }
        }
        // The servers authenticate each other with the fabric secret.
        let secret = dir + "/fabric.secret", wrong = dir + "/wrong.secret"
        try "correct horse battery staple\n".write(toFile: secret, atomically: true, encoding: .utf8)
        try "not the fabric's secret at all".write(toFile: wrong, atomically: true, encoding: .utf8)
        var servers: [Process] = []
        defer { for s in servers { s.terminate(); s.waitUntilExit() } }
        for (i, pop) in ["fra", "iad"].enumerated() {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLITests.binary)
            p.arguments = [
                "serve", "--pop", pop, "--dir", dir, "--listen", "127.0.0.1:\(ports[i])",
                "--peer", "http://127.0.0.1:\(ports[1 - i])", "--every", "0.1", "--secret-file", secret, "--no-auth",
            ]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            servers.append(p)
        }
        // Concurrent writes on both PoPs while the servers pull from each other.
        for i in 0..<10 {
            _ = try cli.locus(["query", "--pop", "fra", "--dir", dir, "INSERT {_key: 'f\(i)', v: \(i)} INTO users"])
            _ = try cli.locus(["query", "--pop", "iad", "--dir", dir, "INSERT {_key: 'i\(i)', v: \(i)} INTO users"])
        }
        _ = try cli.locus(["query", "--pop", "fra", "--dir", dir, "UPDATE 'i0' WITH {v: 'from fra'} IN users"])
        var converged = false
        for _ in 0..<100 {
            let a = try keys(dir, "fra"), b = try keys(dir, "iad")
            if a != nil, a == b, a?.arrayValue?.count == 20, a?[index: 10] == ["i0", "from fra"] {
                converged = true
                break
            }
            usleep(100_000)
        }
        let fra = try keys(dir, "fra"), iad = try keys(dir, "iad")
        #expect(converged, "fra: \(String(describing: fra)) iad: \(String(describing: iad))")
        // The endpoint answers errors in ArangoDB's form.
        let sync = try cli.locus([
            "sync", "--pop", "fra", "--dir", dir, "--peer", "http://127.0.0.1:\(ports[1])", "--secret-file", secret,
        ])
        #expect(sync.status == 0, "\(sync.err)")
        for extra in [[], ["--secret-file", wrong]] {
            let unsigned = try cli.locus(
                ["sync", "--pop", "fra", "--dir", dir, "--peer", "http://127.0.0.1:\(ports[1])"] + extra)
            #expect(
                unsigned.status == 1 && unsigned.err.contains("11") && unsigned.err.contains("fabric secret"),
                "\(unsigned.err)")
        }
        let refused = try cli.locus(["sync", "--pop", "fra", "--dir", dir, "--peer", "http://127.0.0.1:1"])
        #expect(refused.status == 1 && refused.err.contains("1400"))
    }
}
