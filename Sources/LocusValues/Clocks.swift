// Time, read in one place: the wall clock (seconds since the Unix epoch) behind a protocol that
// simulations and tests replace, and the monotonic clock that measures durations. Nothing else
// in Locus asks the operating system for the time.

#if canImport(Glibc)
import Glibc
#endif

/// A source of physical time in seconds since the Unix epoch.
///
/// Storage stamps replicated writes, judges TTL expiry and ages evictions with it, and
/// `DATE_NOW()` reads it, so a simulation that installs its own clock controls all of them.
public protocol WallClock: Sendable {
    func now() -> Double
}

/// The operating system's real-time clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// Elapsed time that never goes backwards, for timings and timeouts (not a date).
public enum MonotonicClock {
    /// Seconds since an arbitrary fixed point.
    public static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Nanoseconds since the same point, for benchmarks that report integers.
    public static func nanoseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1_000_000_000 + ts.tv_nsec
    }
}
