// A pull asks for the next page while it merges the current one: each request starts where
// the page before ended, no more pages are asked for than the pull may take, and a page that
// fails stops the pull at the last page merged, from where the next pull resumes.

import LocusErrors
import LocusReplication
import LocusStorage
import Synchronization
import Testing

/// Pulls from a peer in process, noting where each request starts; fails request `failing`.
final class RecordingTransport: SyncTransport {
    let inner: InProcessTransport
    let failing: Int?
    let starts = Mutex<[Int]>([])

    init(peer: TestPoP, failing: Int? = nil) {
        inner = InProcessTransport(peer: peer.replicator)
        self.failing = failing
    }

    func identity() throws -> PeerIdentity { try inner.identity() }

    func pull(_ request: PullRequest) throws -> PullResponse {
        let number = starts.withLock {
            $0.append(request.after)
            return $0.count
        }
        if number == failing { throw LocusError(.replicationInvalidResponse, "the network failed request \(number)") }
        return try inner.pull(request)
    }
}

@Suite struct PullPipelineTests {
    /// `fra` holds 95 documents; `iad` pulls pages of 10.
    func pair() throws -> (fra: TestPoP, iad: TestPoP) {
        let fabric = try smallFabric(["fra", "iad"])
        let fra = try TestPoP(name: "fra", fabric: fabric)
        let iad = try TestPoP(name: "iad", fabric: fabric, pageLimit: 10)
        try fra.with { s in
            let c = try s.createCollection("docs", type: .document)
            try s.transaction(write: true) {
                for i in 1...95 { _ = try s.insert(c, ["_key": .string("d\(i)"), "n": .number(Double(i))]) }
            }
        }
        return (fra, iad)
    }

    func watermark(_ p: TestPoP, of peer: TestPoP) throws -> Int {
        try p.with { try $0.watermark(peer: peer.name, epoch: "epoch-\(peer.name)") }
    }

    @Test func eachPageIsAskedForFromWhereThePageBeforeEnded() throws {
        let (fra, iad) = try pair()
        let transport = RecordingTransport(peer: fra)
        let stats = try iad.replicator.pull(from: transport)
        let starts = transport.starts.withLock { $0 }
        #expect(starts.count == stats.pages && stats.pages >= 10)
        #expect(starts.first == 0 && starts == starts.sorted() && Set(starts).count == starts.count)
        #expect(try iad.content(at: 1_800_000_000) == fra.content(at: 1_800_000_000))
        #expect(try watermark(iad, of: fra) == fra.with { $0.feedPosition })
    }

    @Test func noMorePagesAreAskedForThanThePullMayTake() throws {
        let (fra, iad) = try pair()
        let transport = RecordingTransport(peer: fra)
        #expect(try iad.replicator.pull(from: transport, maxPages: 3).pages == 3)
        #expect(transport.starts.withLock { $0.count } == 3)
    }

    @Test func aFailedPageStopsThePullWhereTheLastMergedPageEnded() throws {
        let (fra, iad) = try pair()
        let failing = RecordingTransport(peer: fra, failing: 4)
        #expect(throws: LocusError.self) { try iad.replicator.pull(from: failing) }
        let starts = failing.starts.withLock { $0 }
        #expect(starts.count == 4)
        // Three pages were merged: the watermark is where the failed fourth one started.
        #expect(try watermark(iad, of: fra) == starts[3])
        let resumed = RecordingTransport(peer: fra)
        try iad.replicator.pull(from: resumed)
        #expect(resumed.starts.withLock { $0.first } == starts[3])
        #expect(try iad.content(at: 1_800_000_000) == fra.content(at: 1_800_000_000))
    }
}
