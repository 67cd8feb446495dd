// The merge rule of replication, as a pure value: the replicated state of one key and how
// a change joins into it. Lives are ordered by causal length (a higher life wins whole);
// within a life, the marker and each attribute are last-writer-wins registers ordered by
// stamp. The join is commutative, associative and idempotent, which the tests check.

import LocusValues

/// The merged state of one document (or catalog entry) at a PoP.
public struct ReplicatedState: Sendable, Equatable {
    /// The life: 0 for a key never seen, odd while it exists, even once removed.
    public var causalLength = 0
    /// The stamp of the life's first write or last whole replace.
    public var marker = ChangeStamp.zero
    /// The user attributes (with `_from`/`_to`) as merged.
    public var values = Object()
    /// Attributes written after the marker, with their stamps (always newer than the marker).
    public var attributeStamps: [String: ChangeStamp] = [:]
    /// Whether a row exists: false once removed, or for a key-value entry purged after expiry.
    public var present = false

    public init() {}

    public init(
        causalLength: Int, marker: ChangeStamp, values: Object, attributeStamps: [String: ChangeStamp], present: Bool
    ) {
        self.causalLength = causalLength
        self.marker = marker
        self.values = values
        self.attributeStamps = attributeStamps
        self.present = present
    }

    /// The newest stamp in the state (it becomes the document's `_rev`).
    public var newestStamp: ChangeStamp {
        attributeStamps.values.reduce(marker) { max($0, $1) }
    }

    /// Joins one change into the state; returns whether anything changed.
    @discardableResult
    public mutating func apply(_ change: Change) -> Bool {
        let before = self
        switch change.body {
        case .marker(let base):
            if change.causalLength < causalLength { return false }
            if change.causalLength == causalLength && change.stamp <= marker { return false }
            let sameLife = change.causalLength == causalLength
            let kept = sameLife ? attributeStamps.filter { $0.value > change.stamp } : [:]
            var merged = Object()
            if let base {
                for (k, v) in base where kept[k] == nil { merged.appendUnique(k, v) }
            }
            for k in values.keys where kept[k] != nil { merged[k] = values[k] }
            causalLength = change.causalLength
            marker = change.stamp
            attributeStamps = kept
            values = CausalLength.isLive(change.causalLength) ? merged : Object()
            present = CausalLength.isLive(change.causalLength) && base != nil
        case .moved:
            return false
        case .attribute(let name, let value):
            if change.causalLength < causalLength || !CausalLength.isLive(change.causalLength) { return false }
            if change.causalLength > causalLength {
                // The life's first write has not arrived yet: start the life without it.
                causalLength = change.causalLength
                marker = .zero
                values = Object()
                attributeStamps = [:]
                present = true
            }
            if change.stamp <= marker { return false }
            if let s = attributeStamps[name], change.stamp <= s { return false }
            attributeStamps[name] = change.stamp
            values[name] = value
            present = true
        }
        return self != before
    }
}
