// One replicated change: the unit that flows between PoPs. A change is a piece of the
// merged state of one document (or catalog entry), never an operation to replay, so that
// applying changes in any order, any number of times, gives the same result.

import LocusValues

/// A replicated piece of state for one key of one collection.
///
/// A document's life is numbered by its *causal length*: odd while it exists, even once
/// removed; a re-insert starts the next odd life. Within a life, the *marker* carries the
/// document as first written (or last replaced) with one stamp, and each attribute updated
/// since then carries its own stamp. The collection `""` holds the catalog: a key per
/// collection (its marker's base is `{"type": ...}`, its attributes `index:NAME` are index
/// definitions) and `@fabric`, the fabric description.
public struct Change: Sendable, Equatable {
    public enum Body: Sendable, Equatable {
        /// The start of a life (or a whole-document replace): the attributes that no newer
        /// attribute change covers, or nil when no row exists (removed, or a key-value entry
        /// purged after expiry). An attribute missing here reads as absent as of the marker,
        /// which the newer attribute change it lacks for always outranks.
        case marker(base: Object?)
        /// One attribute set (or removed, when `value` is nil) after the marker.
        case attribute(name: String, value: Value?)
        /// The record has moved away from the receiving PoP, which must evict it. The change's
        /// `key` is then the record's digest, never its key: a PoP outside a record's placement
        /// learns at most that opaque name.
        case moved
    }

    public var collection: String
    public var key: String
    public var causalLength: Int
    public var stamp: ChangeStamp
    public var body: Body
    /// The position of this change in the sending PoP's feed.
    public var sequence: Int
    /// The record's placement as the sender judged it, when a policy applies there.
    public var placement: SiteSet?

    public init(
        collection: String, key: String, causalLength: Int, stamp: ChangeStamp, body: Body, sequence: Int = 0,
        placement: SiteSet? = nil
    ) {
        self.collection = collection
        self.key = key
        self.causalLength = causalLength
        self.stamp = stamp
        self.body = body
        self.sequence = sequence
        self.placement = placement
    }

    /// The catalog pseudo-collection.
    public static let catalog = ""
    /// The catalog key of the fabric description.
    public static let fabricKey = "@fabric"

    public static func == (a: Change, b: Change) -> Bool {
        a.collection == b.collection && a.key == b.key && a.causalLength == b.causalLength && a.stamp == b.stamp
            && a.body == b.body && a.placement == b.placement
    }
}

/// A bounded slice of a PoP's change feed.
public struct ChangeFeedPage: Sendable {
    public var changes: [Change]
    /// The feed position this page reaches: every change up to it has been included.
    public var upTo: Int
    /// True when the feed holds more changes after `upTo`.
    public var more: Bool
    /// Changes left out because the requesting PoP may not hold their records (each record
    /// then travels as one `moved` notice).
    public var withheld = 0
}
