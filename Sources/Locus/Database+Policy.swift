// Data sovereignty through the embedding API: setting and reading the placement policy,
// explaining where a record may and does live, the placement section of EXPLAIN, and the
// PoP's audit log. Enforcement itself lives under storage; this is the way in.

import LocusErrors
import LocusPolicy
import LocusStorage
import LocusValues

/// Where a record may live under the policy, and why.
public struct PlacementExplanation: Sendable, Equatable {
    /// The PoP that judged it.
    public var pop: String
    /// The PoPs allowed to hold the record.
    public var allowed: SiteSet
    /// The rule or default that decided it.
    public var reason: String
    /// Whether this PoP holds the record.
    public var heldHere: Bool
}

/// One entry of a PoP's audit log.
public struct AuditEntry: Sendable, Equatable {
    /// Seconds since 1970.
    public var at: Double
    /// `send`, `receive`, `evict` or `policy`.
    public var event: String
    public var peer: String?
    public var collection: String?
    public var count: Int
    /// Counts of withheld or refused changes, a record digest, or a policy version.
    public var detail: String?
}

extension Database {
    /// Replaces the placement policy (JSON; see `PlacementPolicy`). Its version must exceed the
    /// current one. Records this PoP may no longer hold are evicted before this returns.
    public func setPlacementPolicy(_ json: String) throws {
        try store.withLock { try $0.setPlacementPolicy(json) }
    }

    /// The policy in force (JSON text and version), or nil.
    public func placementPolicy() throws -> (text: String, version: Int)? {
        try store.withLock { try $0.placementPolicy() }
    }

    /// Where the record `collection/key` may live and whether this PoP holds it. The record is
    /// judged by its content here; `document` judges a record this PoP does not hold.
    public func explainPlacement(collection: String, key: String, document: Object? = nil) throws
        -> PlacementExplanation
    {
        try store.withLock { s in
            guard let pop = s.replica?.pop else {
                throw LocusError(.badParameter, "this database is not a PoP of a fabric")
            }
            guard let policy = s.placementGate else {
                throw LocusError(.policyInvalid, "this PoP has no placement policy")
            }
            let c = try s.requireCollection(collection)
            let stored = try s.get(c, key: key)
            guard case .object(let doc)? = stored ?? document.map(Value.object) else {
                throw LocusError(
                    .documentNotFound, "\(collection)/\(key) is not held at PoP \(pop); pass the document to judge it")
            }
            let why = policy.explain(collection: collection, document: Storage.userAttributes(doc))
            let allowed = try s.judge(collection: collection, document: doc) ?? .everywhere
            var reason = why.reason
            if allowed != why.placement { reason += ", narrowed to where both endpoints may live" }
            return PlacementExplanation(pop: pop, allowed: allowed, reason: reason, heldHere: stored != nil)
        }
    }

    /// The PoP's audit log: transfers to and from peers, evictions and policy changes.
    public func auditLog() throws -> [AuditEntry] {
        try store.withLock { s in
            try s.auditLog().map {
                AuditEntry(
                    at: $0.at, event: $0.event, peer: $0.peer, collection: $0.collection,
                    count: $0.count, detail: $0.detail)
            }
        }
    }
}
