// The clocks of replication: the hybrid logical clock that stamps every replicated write (it
// reads the `WallClock` simulations replace), and the stamp order that decides which of two
// concurrent writes wins (causal length, then HLC, then PoP name).

/// A hybrid logical clock packed in 64 bits: milliseconds since the epoch in the high 48
/// bits, a logical counter in the low 16. It never goes backwards, stays close to physical
/// time, and moves past every stamp it receives, so a write that causally follows another
/// always carries a higher value.
public struct HybridLogicalClock: Sendable, Equatable {
    public private(set) var last: UInt64

    public init(last: UInt64 = 0) { self.last = last }

    static func physical(_ seconds: Double) -> UInt64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return UInt64(min(seconds * 1000, Double(1 << 47))) << 16
    }

    /// The stamp for a new local event at physical time `now`.
    public mutating func tick(now: Double) -> UInt64 {
        last = max(last &+ 1, HybridLogicalClock.physical(now))
        return last
    }

    /// Moves the clock past a stamp received from another PoP.
    public mutating func observe(_ remote: UInt64) {
        if remote > last { last = remote }
    }

    /// The milliseconds part, for display.
    public static func milliseconds(_ stamp: UInt64) -> UInt64 { stamp >> 16 }
}

/// Who wrote a replicated value and when: the HLC value and the writing PoP's name.
/// Stamps are totally ordered: HLC first, then the PoP name as a deterministic tie-break.
public struct ChangeStamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var hlc: UInt64
    public var site: String

    public init(hlc: UInt64, site: String) {
        self.hlc = hlc
        self.site = site
    }

    /// Below every real stamp: the clock of a document life whose first write is not known yet.
    public static let zero = ChangeStamp(hlc: 0, site: "")

    public static func < (a: ChangeStamp, b: ChangeStamp) -> Bool {
        a.hlc != b.hlc ? a.hlc < b.hlc : a.site < b.site
    }

    public var description: String { "\(hlc)@\(site)" }
}
