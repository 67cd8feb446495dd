// A database as a PoP of a fabric: making it one, its identity, and the replicator that
// serves and pulls its changes. Replication goes through the same lock as queries.

import LocusErrors
import LocusReplication
import LocusStorage

extension Database: ReplicaStore {
    public func withStorage<R>(_ body: (Storage) throws -> R) throws -> R {
        try store.withLock { try body($0) }
    }

    /// Which PoP of which fabric this database is, or nil when it is not replicated.
    public var replica: ReplicaIdentity? {
        store.withLock { $0.replica }
    }

    /// Makes this database the PoP `pop` of `fabric`: from now on every write is captured
    /// for replication, and what it already holds is recorded as written here. `epoch`
    /// names this copy of the PoP (a fresh random one by default).
    public func enableReplication(pop: String, fabric: Fabric, epoch: String? = nil) throws {
        guard fabric.pop(pop) != nil else {
            throw LocusError(.badParameter, "'\(pop)' is not a PoP of fabric '\(fabric.name)'")
        }
        let e = epoch ?? String(UInt64.random(in: 1...UInt64.max), radix: 36)
        try store.withLock { s in
            try s.enableReplica(pop: pop, epoch: e)
            if try s.fabricDescription() != fabric.json { try s.setFabricDescription(fabric.json) }
        }
    }

    /// The fabric this PoP belongs to.
    public func fabric() throws -> Fabric {
        try Replicator(store: self).fabric(
            try store.withLock { s in
                guard s.replica != nil else {
                    throw LocusError(.badParameter, "this database is not a PoP of a fabric")
                }
                return s
            })
    }

    /// A replicator serving and pulling this PoP's change feed.
    public func replicator(pageLimit: Int = 1000) -> Replicator {
        Replicator(store: self, pageLimit: pageLimit)
    }
}
