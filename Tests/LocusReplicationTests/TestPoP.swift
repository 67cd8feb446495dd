// Test helpers: small fabrics of in-memory PoPs with simulated clocks, operations at the
// storage level, and a comparison of what two PoPs hold.

import LocusPolicy
import LocusReplication
import LocusStorage
import LocusValues
import Synchronization

/// A settable, per-PoP-skewed clock.
final class SimulatedClock: WallClock, Sendable {
    let time = Mutex<Double>(1_700_000_000)
    func now() -> Double { time.withLock { $0 } }
    func set(_ t: Double) { time.withLock { $0 = t } }
    func advance(_ d: Double) { time.withLock { $0 += d } }
}

/// One in-memory PoP: its storage (behind a lock), its clock, and its replicator.
final class TestPoP: Sendable {
    let name: String
    let store: LockedStorage
    let clock: SimulatedClock
    let replicator: Replicator

    init(name: String, fabric: Fabric, pageLimit: Int = 1000, start: Double = 1_700_000_000) throws {
        self.name = name
        let s = try Storage(path: ":memory:")
        clock = SimulatedClock()
        clock.set(start)
        s.wallClock = clock
        try s.enableReplica(pop: name, epoch: "epoch-\(name)")
        try s.setFabricDescription(fabric.json)
        store = LockedStorage(s)
        replicator = Replicator(store: store, pageLimit: pageLimit)
    }

    func with<R>(_ body: (Storage) throws -> R) throws -> R { try store.withStorage(body) }

    /// Pulls everything from `peer` in process.
    @discardableResult
    func pull(_ peer: TestPoP) throws -> SyncStats {
        try replicator.pull(from: InProcessTransport(peer: peer.replicator))
    }

    func query(_ collection: String, _ key: String) throws -> Value? {
        try with { s in try s.get(try s.requireCollection(collection), key: key) }
    }

    /// Every live document of every collection at time `now`, as comparable values.
    func content(at now: Double) throws -> [String: [String: Value]] {
        let saved = clock.now()
        clock.set(now)
        defer { clock.set(saved) }
        return try with { s in
            var out: [String: [String: Value]] = [:]
            for c in s.collections {
                var docs: [String: Value] = [:]
                try s.scan(c) { bytes in
                    let v = try JSONReader.parse(bytes)
                    docs[v[attribute: "_key"].stringValue ?? ""] = v
                    return true
                }
                out[c.name] = docs
            }
            return out
        }
    }

    /// The replicated state of every key, expired key-value entries read as absent at `now`.
    func states(at now: Double) throws -> [String: [String: ReplicatedState]] {
        try with { s in
            var out: [String: [String: ReplicatedState]] = [:]
            for c in s.collections {
                var m: [String: ReplicatedState] = [:]
                for (k, var st) in try s.replicatedStates(c.name) {
                    if c.type == .kv, case .number(let t)? = st.values["expireAt"], t <= now {
                        st.present = false
                        st.values = Object()
                    }
                    if c.type == .kv, !st.present { st.values = Object() }
                    m[k] = st
                }
                out[c.name] = m
            }
            return out
        }
    }
}

func smallFabric(_ names: [String]) throws -> Fabric {
    try Fabric(
        name: "test",
        pops: names.enumerated().map { i, n in
            PointOfPresence(
                name: n, city: "City \(i)", country: i % 2 == 0 ? "DE" : "US",
                region: i % 2 == 0 ? "eu-central" : "us-east",
                jurisdictions: i % 2 == 0 ? ["eu"] : ["us"], latitude: Double(i % 90), longitude: Double(i % 180))
        })
}

extension Storage {
    func coll(_ name: String) throws -> CollectionInfo { try requireCollection(name) }

    /// UPDATE semantics at the storage level: the patch merged into the stored document.
    func update(_ collection: String, _ key: String, _ patch: Object) throws {
        let c = try coll(collection)
        try transaction(write: true) {
            guard case .object(var doc)? = try get(c, key: key) else { return }
            for (k, v) in patch { doc[k] = v }
            try replace(c, key: key, with: doc, partial: true)
        }
    }
}
