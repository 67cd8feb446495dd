// Where a record may live: a set of PoPs, or everywhere. This is the storage layer's whole
// view of sovereignty: a placement gate (the policy module implements it) maps a record to
// its SiteSet, and storage enforces the answer on every path that moves data.

import LocusErrors
import LocusValues

/// The PoPs a record may be stored at, replicated to, logged at and returned from.
public enum SiteSet: Sendable, Hashable, CustomStringConvertible {
    case everywhere
    case only(Set<String>)

    /// Allowed nowhere: what an unknown placement fails closed to.
    public static let nowhere = SiteSet.only([])

    public func contains(_ pop: String) -> Bool {
        switch self {
        case .everywhere: true
        case .only(let s): s.contains(pop)
        }
    }

    public func intersection(_ other: SiteSet) -> SiteSet {
        switch (self, other) {
        case (.everywhere, _): other
        case (_, .everywhere): self
        case (.only(let a), .only(let b)): .only(a.intersection(b))
        }
    }

    public func union(_ other: SiteSet) -> SiteSet {
        switch (self, other) {
        case (.everywhere, _), (_, .everywhere): .everywhere
        case (.only(let a), .only(let b)): .only(a.union(b))
        }
    }

    /// `*`, or the PoP names sorted and joined with `,` (the stored and wire form).
    public var encoded: String {
        switch self {
        case .everywhere: "*"
        case .only(let s): s.sorted().joined(separator: ",")
        }
    }

    public init(encoded: String) throws {
        if encoded == "*" { self = .everywhere; return }
        if encoded.isEmpty { self = .nowhere; return }
        let names = encoded.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard names.allSatisfy(Storage.isValidPopName) else {
            throw LocusError(.replicationInvalidResponse, "invalid placement '\(encoded.prefix(200))'")
        }
        self = .only(Set(names))
    }

    public var description: String {
        switch self {
        case .everywhere: "every PoP"
        case .only(let s) where s.isEmpty: "no PoP"
        case .only(let s): s.sorted().joined(separator: ", ")
        }
    }
}

/// A compiled placement policy, as storage consults it. Implementations are pure: the same
/// policy, record and endpoint placements always give the same answer.
public protocol PlacementGate: Sendable {
    /// The policy's version (it only grows).
    var version: Int { get }
    /// The placement of a record of `collection` with user attributes `document`. Edges also
    /// take their endpoints' placements from `endpoint`, which answers nil for a vertex this
    /// PoP does not hold.
    func placement(collection: String, document: Object, endpoint: (String) throws -> SiteSet?) throws -> SiteSet
    /// The placement of vertex `id` (`collection/key`) when its collection places records
    /// without looking at them; nil when only its content can tell.
    func placementWithoutContent(of id: String) -> SiteSet?
    /// The widest placement any record of `collection` can have (for records whose content
    /// this PoP no longer has, such as tombstones).
    func widest(collection: String) -> SiteSet
    /// What places `collection`'s records by their own content (its rules and placement, or
    /// the policy default), as resolved against the fabric. Two gates that give a collection
    /// the same basis place each of its records alike, endpoints aside: a new policy need not
    /// judge that collection's records again.
    func basis(collection: String) -> String
    /// A one-line account of how `collection` is placed, for EXPLAIN.
    func summary(collection: String) -> String
    /// Why a record of `collection` with user attributes `document` is placed where it is,
    /// endpoints aside: the rule that decided (1-based; nil for the collection's placement or
    /// the policy default), in words, and the placement it gives.
    func explain(collection: String, document: Object) -> (rule: Int?, reason: String, placement: SiteSet)
}
