// The convention every replicated record follows: its causal length counts its lives. Odd
// while the record exists, even once it is removed; each removal or revival adds one, and of
// two replicas' views the longer wins. Storage, merges, the feed and the audit read it only
// through these names.

public enum CausalLength {
    /// True while a record of this length exists (odd lengths).
    @inlinable public static func isLive(_ length: Int) -> Bool { length % 2 == 1 }

    /// The length a local write gives a record that had `prior` (nil for a record never seen):
    /// unchanged when the record already is as the write leaves it, otherwise one more.
    /// A first write is length 1 when it creates and 2 when it removes.
    @inlinable public static func settled(_ prior: Int?, live: Bool) -> Int {
        guard let prior else { return live ? 1 : 2 }
        return isLive(prior) == live ? prior : prior + 1
    }

    /// The first live length above `length`: a life that wins over every write of that one.
    @inlinable public static func liveAbove(_ length: Int) -> Int {
        isLive(length) ? length + 2 : length + 1
    }
}
