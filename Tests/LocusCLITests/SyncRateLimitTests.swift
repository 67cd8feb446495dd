// A PoP's sync endpoint limits each client address (HTTP 429 past a burst of 100 requests,
// then 50 a second). `locus sync` against a limited peer waits for the rate to allow it and
// completes, rather than failing at the first 429: a long pull goes at the allowed rate.

import Foundation
import Synchronization
import Testing
import LocusTestSupport
@testable import LocusValues

/// How many of the hammering client's requests were refused, written by its thread.
final class RefusedCount: Sendable {
    let value = Mutex(0)
}

@Suite(.serialized) struct SyncRateLimitTests {
    let cli = CLITests()
    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    /// Asks the sync endpoint for its identity as fast as it answers, 50 pipelined requests a
    /// connection, for `seconds`; returns how many answers were 429.
    static func hammer(port: Int, seconds: Double) -> Int {
        var refused = 0
        let end = Date().addingTimeInterval(seconds)
        let one = "GET /_api/sync/identity HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let last = "GET /_api/sync/identity HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        let burst = Array((String(repeating: one, count: 49) + last).utf8)
        while Date() < end {
            guard let fd = LoopbackPort.connect(port) else { break }
            defer { close(fd) }
            _ = burst.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            var answer: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                answer.append(contentsOf: buffer[..<n])
            }
            refused += String(decoding: answer, as: UTF8.self).components(separatedBy: "HTTP/1.1 429").count - 1
        }
        return refused
    }

    @Test func aRateLimitedSyncWaitsForTheRateInsteadOfFailing() throws {
        let dir = scratch.make("ratelimit", create: false)
        #expect(try cli.pairFabric(dir, collection: "users"))
        #expect(
            try cli.locus([
                "query", "--pop", "fra", "--dir", dir, "FOR i IN 1..200 INSERT {_key: CONCAT('u', i), v: i} INTO users",
            ]).status == 0)
        let port = LoopbackPort.free()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Repository.locusBinary)
        server.arguments = ["serve", "--pop", "fra", "--dir", dir, "--listen", "127.0.0.1:\(port)", "--no-auth"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        #expect(LoopbackPort.awaitListener(port), "locus serve did not start")
        // Another client of the same address spends the rate while the sync starts.
        let refused = RefusedCount()
        let hammering = Thread { refused.value.withLock { $0 = Self.hammer(port: port, seconds: 1.0) } }
        hammering.start()
        usleep(300_000)
        let sync = try cli.locus(["sync", "--pop", "iad", "--dir", dir, "--peer", "http://127.0.0.1:\(port)"])
        while !hammering.isFinished { usleep(10_000) }
        #expect(refused.value.withLock { $0 } > 0, "the endpoint never limited the hammering client")
        #expect(sync.status == 0, "\(sync.err)")
        let count = try cli.locus(["query", "--json", "--pop", "iad", "--dir", dir, "RETURN LENGTH(users)"])
        #expect(count.json?[attribute: "result"] == [200])
    }
}
