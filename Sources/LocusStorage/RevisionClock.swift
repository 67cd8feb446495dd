// The ticks that stamp writes: `_rev` values, generated keys, and at a PoP the hybrid logical
// clock of every change. Ticks strictly increase on one connection, and at a PoP they also
// pass every stamp seen from other PoPs, so that a local write after a merge sorts after what
// it merged.

/// A strictly increasing source of ticks.
struct RevisionClock {
    private var hybrid = HybridLogicalClock()
    /// The last tick handed out (0 before the first).
    private(set) var last: UInt64 = 0

    /// A new tick at wall-clock time `now` (seconds): a hybrid logical clock value at a PoP
    /// (`hybrid`), else microseconds.
    mutating func next(now: Double, hybrid isHybrid: Bool) -> UInt64 {
        last = isHybrid ? hybrid.tick(now: now) : max(UInt64(now * 1_000_000), last + 1)
        return last
    }

    /// Moves the hybrid clock past a stamp written elsewhere.
    mutating func observe(_ stamp: UInt64) { hybrid.observe(stamp) }
}
