// Anti-entropy between PoPs: one side serves pages of its change feed, the other merges
// them and advances its watermark for that peer in the same transaction. Pulls are
// resumable (the watermark survives restarts), idempotent (merging is), and bounded (pages).
// This is the one place every replicated byte passes through on both sides.

import LocusErrors
import LocusPolicy
import LocusStorage
import LocusValues
import Synchronization

/// A PoP's storage, with access serialized by its owner (the engine's `Database`, or
/// `LockedStorage` for tools and tests).
public protocol ReplicaStore: Sendable {
    func withStorage<R>(_ body: (Storage) throws -> R) throws -> R
}

/// A Storage behind a lock.
public final class LockedStorage: ReplicaStore {
    let storage: Mutex<Storage>
    public init(_ storage: Storage) { self.storage = Mutex(storage) }
    public func withStorage<R>(_ body: (Storage) throws -> R) throws -> R {
        try storage.withLock { try body($0) }
    }
}

/// Who a peer is: its fabric, PoP name, the epoch of its copy and its feed position.
public struct PeerIdentity: Sendable, Equatable {
    public var fabric: String
    public var pop: String
    public var epoch: String
    public var position: Int

    public init(fabric: String, pop: String, epoch: String, position: Int) {
        self.fabric = fabric
        self.pop = pop
        self.epoch = epoch
        self.position = position
    }

    public var json: String {
        JSONWriter.string([
            "fabric": .string(fabric), "pop": .string(pop), "epoch": .string(epoch),
            "position": .number(Double(position)),
        ])
    }

    public init(json text: String) throws {
        let o = try SyncMessage.object(text)
        fabric = try SyncMessage.string(o, "fabric")
        pop = try SyncMessage.string(o, "pop")
        epoch = try SyncMessage.string(o, "epoch")
        position = try SyncMessage.int(o, "position")
    }
}

/// How a PoP reaches a peer: in process, over HTTP, or through a simulated network.
public protocol SyncTransport: Sendable {
    func identity() throws -> PeerIdentity
    func pull(_ request: PullRequest) throws -> PullResponse
}

/// What one pull did.
public struct SyncStats: Sendable, Equatable {
    public var pages = 0
    /// Changes received from the peer.
    public var received = 0
    /// Received changes that changed this PoP's state.
    public var applied = 0
    public init() {}
}

/// Serves and pulls the change feed of one PoP.
public final class Replicator: Sendable {
    public let store: any ReplicaStore
    /// The most changes one page carries.
    public let pageLimit: Int
    private let fabricCache = Mutex<(json: String, fabric: Fabric)?>(nil)

    public init(store: any ReplicaStore, pageLimit: Int = 1000) {
        self.store = store
        self.pageLimit = max(1, pageLimit)
    }

    /// The fabric this PoP belongs to, parsed from its replicated description.
    public func fabric(_ storage: Storage) throws -> Fabric {
        guard let text = try storage.fabricDescription() else {
            throw LocusError(.badParameter, "this database is not a PoP of a fabric (run `locus fabric init`)")
        }
        if let cached = fabricCache.withLock({ $0 }), cached.json == text { return cached.fabric }
        let f = try Fabric(json: text)
        fabricCache.withLock { $0 = (text, f) }
        return f
    }

    func me(_ storage: Storage) throws -> ReplicaIdentity {
        guard let r = storage.replica else {
            throw LocusError(.badParameter, "this database is not a PoP of a fabric (run `locus fabric init`)")
        }
        return r
    }

    /// This PoP's identity as peers see it.
    public func identity() throws -> PeerIdentity {
        try store.withStorage { s in
            let r = try me(s)
            return PeerIdentity(fabric: try fabric(s).name, pop: r.pop, epoch: r.epoch, position: s.feedPosition)
        }
    }

    /// The request for the next page of `peer`'s feed.
    public func request(to peer: PeerIdentity) throws -> PullRequest {
        try store.withStorage { s in
            let r = try me(s)
            return PullRequest(
                fabric: try fabric(s).name, pop: r.pop, epoch: peer.epoch,
                after: try s.watermark(peer: peer.pop, epoch: peer.epoch), limit: pageLimit)
        }
    }

    /// Answers a peer's request with a page of this PoP's feed. A request for another copy
    /// of this PoP (an old epoch) starts over from the beginning.
    public func serve(_ request: PullRequest) throws -> PullResponse {
        try store.withStorage { s in
            let r = try me(s)
            let f = try fabric(s)
            guard request.fabric == f.name else {
                throw LocusError(
                    .replicationInvalidResponse,
                    "PoP '\(request.pop)' belongs to fabric '\(request.fabric)', not '\(f.name)'")
            }
            guard request.pop != r.pop else {
                throw LocusError(.replicationLoop, "PoP '\(r.pop)' asked itself for changes")
            }
            guard f.pop(request.pop) != nil else {
                throw LocusError(.replicationInvalidResponse, "'\(request.pop)' is not a PoP of fabric '\(f.name)'")
            }
            let after = request.epoch == r.epoch ? request.after : 0
            let page = try s.transaction(write: false) {
                try s.changes(
                    after: after, limit: min(max(1, request.limit), 10_000), skipping: request.pop, for: request.pop)
            }
            try s.noteTransfer(page, to: request.pop)
            return PullResponse(
                fabric: f.name, pop: r.pop, epoch: r.epoch, after: after, upTo: page.upTo,
                more: page.more, changes: page.changes)
        }
    }

    /// Merges a page from a peer and, when it continues from where this PoP had got to,
    /// advances the watermark, all in one transaction. Pages that arrive late, twice or out
    /// of order merge harmlessly and never move the watermark past a gap.
    @discardableResult
    public func receive(_ response: PullResponse) throws -> Int {
        try store.withStorage { s in
            let r = try me(s)
            let f = try fabric(s)
            guard response.pop != r.pop else {
                throw LocusError(.replicationLoop, "PoP '\(r.pop)' received its own changes")
            }
            guard response.fabric == f.name, f.pop(response.pop) != nil else {
                throw LocusError(.replicationInvalidResponse, "'\(response.pop)' is not a PoP of fabric '\(f.name)'")
            }
            guard response.after <= response.upTo else {
                throw LocusError(.replicationInvalidResponse, "page after \(response.after) ends at \(response.upTo)")
            }
            return try s.transaction(write: true) {
                let position = try s.watermark(peer: response.pop, epoch: response.epoch)
                let applied = try s.apply(response.changes, from: response.pop)
                if response.after <= position && response.upTo > position {
                    try s.setWatermark(peer: response.pop, epoch: response.epoch, position: response.upTo)
                }
                return applied
            }
        }
    }

    /// Pulls everything `transport`'s peer has that this PoP lacks, page by page. The next
    /// page is requested as soon as a page has come, so the peer prepares it while this PoP
    /// merges the one before (`PageFetch`); it is asked from where this page ends, and asked
    /// again from the watermark should merging have left that anywhere else.
    @discardableResult
    public func pull(from transport: any SyncTransport, maxPages: Int = .max) throws -> SyncStats {
        let peer = try transport.identity()
        var stats = SyncStats()
        guard maxPages > 0 else { return stats }
        var fetch = PageFetch(try request(to: peer), through: transport)
        // A page still in flight when the pull ends (by an error) is waited for, not left behind.
        defer { fetch.finished() }
        while true {
            let response = try fetch.response()
            stats.pages += 1
            stats.received += response.changes.count
            let more = response.more && stats.pages < maxPages
            if more {
                var next = fetch.request
                next.after = response.upTo
                fetch = PageFetch(next, through: transport)
            }
            stats.applied += try receive(response)
            guard more else { break }
            let expected = try request(to: peer)
            if expected != fetch.request {
                fetch.finished()
                fetch = PageFetch(expected, through: transport)
            }
        }
        return stats
    }
}

/// A peer in the same process. Messages go through their JSON form, as they would on the wire.
public struct InProcessTransport: SyncTransport {
    public let peer: Replicator
    public init(peer: Replicator) { self.peer = peer }

    public func identity() throws -> PeerIdentity { try PeerIdentity(json: try peer.identity().json) }

    public func pull(_ request: PullRequest) throws -> PullResponse {
        try PullResponse(json: try peer.serve(try PullRequest(json: request.json)).json)
    }
}
