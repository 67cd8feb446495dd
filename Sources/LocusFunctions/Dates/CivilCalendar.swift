// The proleptic Gregorian calendar on millisecond timestamps: conversions between days since
// the epoch and civil dates, and the calendar facts the date functions report (leap years,
// month lengths, weekdays, ISO weeks). Pure arithmetic, UTC, no time zones.

/// A calendar date and wall-clock time, each field as ArangoDB's date functions expose it.
public struct CivilDateTime: Equatable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour = 0
    public var minute = 0
    public var second = 0
    public var millisecond = 0

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0)
    {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.millisecond) = (hour, minute, second, millisecond)
    }

    /// The fields of a millisecond timestamp.
    public init(milliseconds t: Int64) {
        let days = CivilCalendar.floorDiv(t, CivilCalendar.msPerDay)
        let rest = Int(t - days * CivilCalendar.msPerDay)
        (year, month, day) = CivilCalendar.civil(fromDays: Int(days))
        hour = rest / 3_600_000
        minute = rest / 60_000 % 60
        second = rest / 1000 % 60
        millisecond = rest % 1000
    }

    /// The timestamp of these fields. Days past the month's end roll into the next month, and
    /// times past midnight into the next day, as the C++ date library ArangoDB uses does.
    public var milliseconds: Int64 {
        let days = Int64(CivilCalendar.days(fromCivil: year, month, 1) + day - 1)
        return days * CivilCalendar.msPerDay + Int64(hour) * 3_600_000 + Int64(minute) * 60_000 + Int64(second) * 1000
            + Int64(millisecond)
    }
}

/// Calendar arithmetic.
public enum CivilCalendar {
    public static let msPerDay: Int64 = 86_400_000

    /// Floor division, so that instants before the epoch fall on the right day.
    @inlinable public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    public static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeapYear(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). Months
    /// outside 1…12 carry into the year.
    public static func days(fromCivil y: Int, _ m: Int, _ d: Int) -> Int {
        let carry = Int(floorDiv(Int64(m - 1), 12))
        let y = y + carry, m = m - carry * 12
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func civil(fromDays z: Int) -> (year: Int, month: Int, day: Int) {
        let z = z + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// 0 for Sunday through 6 for Saturday.
    public static func weekday(days: Int) -> Int { Int(floorDiv(Int64(days) + 4, 7) * -7 + Int64(days) + 4) }

    /// 1-based day of the year.
    public static func dayOfYear(_ y: Int, _ m: Int, _ d: Int) -> Int {
        days(fromCivil: y, m, d) - days(fromCivil: y, 1, 1) + 1
    }

    /// The ISO 8601 week and week-based year of a date.
    public static func isoWeek(_ y: Int, _ m: Int, _ d: Int) -> (week: Int, year: Int) {
        let day = days(fromCivil: y, m, d)
        let isoWeekday = (weekday(days: day) + 6) % 7  // Monday 0 … Sunday 6
        let thursday = day - isoWeekday + 3
        let year = civil(fromDays: thursday).year
        return ((thursday - days(fromCivil: year, 1, 1)) / 7 + 1, year)
    }
}
