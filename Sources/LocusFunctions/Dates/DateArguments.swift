// How date functions read their arguments, as ArangoDB's do: a date is a millisecond timestamp
// (truncated to an integer) or a date string, anything else warns 1542 and an invalid or
// out-of-range date warns 1572, both yielding null; units are the case-insensitive names of
// years down to milliseconds; a time-zone argument is an IANA name.

import LocusErrors
import LocusValues

/// A unit of DATE_ADD, DATE_DIFF, DATE_COMPARE, DATE_TRUNC and DATE_ROUND.
enum DateUnit: Int, Comparable {
    case year, month, week, day, hour, minute, second, millisecond

    init?(_ v: Value) {
        guard case .string(let s) = v else { return nil }
        switch s.lowercased() {
        case "y", "year", "years": self = .year
        case "m", "month", "months": self = .month
        case "w", "week", "weeks": self = .week
        case "d", "day", "days": self = .day
        case "h", "hour", "hours": self = .hour
        case "i", "minute", "minutes": self = .minute
        case "s", "second", "seconds": self = .second
        case "f", "millisecond", "milliseconds": self = .millisecond
        default: return nil
        }
    }

    /// The unit's fixed length in milliseconds; years and months as the C++ date library
    /// counts them (365.2425 days, a twelfth of that).
    var milliseconds: Double {
        switch self {
        case .year: 31_556_952_000
        case .month: 2_629_746_000
        case .week: 604_800_000
        case .day: 86_400_000
        case .hour: 3_600_000
        case .minute: 60_000
        case .second: 1000
        case .millisecond: 1
        }
    }

    static func < (a: DateUnit, b: DateUnit) -> Bool { a.rawValue < b.rawValue }
}

/// Argument readers shared by the date functions.
enum DateArguments {
    static func invalidDate(_ name: String, _ env: FunctionEnvironment) -> Value {
        env.warn(.invalidDateValue, "in function '\(name)()': " + ErrorCode.invalidDateValue.format([]))
        return .null
    }

    /// The timestamp of a date argument, or nil after the warning ArangoDB gives.
    static func timestamp(_ name: String, _ v: Value, _ env: FunctionEnvironment) -> Int64? {
        switch v {
        case .number(let n):
            guard n.isFinite, abs(n) < 1e16 else { _ = invalidDate(name, env); return nil }
            let t = Int64(n.rounded(.towardZero))
            guard (DateText.minimum...DateText.maximum).contains(t) else { _ = invalidDate(name, env); return nil }
            return t
        case .string(let s):
            guard let t = DateText.parse(s) else { _ = invalidDate(name, env); return nil }
            return t
        default:
            _ = Args.invalid(name, env)
            return nil
        }
    }

    /// The zone of an optional time-zone argument: `.some(nil)` when absent or null, nil
    /// after a warning when it names no zone.
    static func zone(_ name: String, _ a: [Value], _ i: Int, _ env: FunctionEnvironment) -> TimeZoneRules?? {
        guard i < a.count, !a[i].isNull else { return .some(nil) }
        guard case .string(let s) = a[i], let z = TimeZoneDatabase.zone(s) else {
            _ = Args.invalid(name, env)
            return nil
        }
        return .some(z)
    }

    /// A UTC timestamp as wall-clock time in `zone` (unchanged without one).
    static func local(_ t: Int64, _ zone: TimeZoneRules?) -> Int64 {
        guard let zone else { return t }
        return t + Int64(zone.interval(at: CivilCalendar.floorDiv(t, 1000)).offset) * 1000
    }

    /// A wall-clock time in `zone` back to UTC.
    static func utc(_ local: Int64, _ zone: TimeZoneRules?) -> Int64 {
        guard let zone else { return local }
        let seconds = CivilCalendar.floorDiv(local, 1000)
        return zone.utc(ofLocal: seconds) * 1000 + (local - seconds * 1000)
    }

    /// The ISO string of a computed timestamp, or null plus 1572 when it left the valid range.
    static func isoValue(_ name: String, _ t: Int64, _ env: FunctionEnvironment, zulu: Bool = true) -> Value {
        guard (DateText.minimum...DateText.maximum).contains(t) else { return invalidDate(name, env) }
        return .string(DateText.iso(t, zulu: zulu))
    }
}
