// ISO 8601 durations for range-based WINDOW frames ("PT30M", "P1Y6M", "P2W", "PT0.5S"),
// applied to millisecond timestamps on the UTC calendar: years and months move the calendar
// date (clamping the day to the month's length), the rest is fixed milliseconds.

import LocusErrors

/// A parsed ISO 8601 duration.
struct ISODuration: Equatable {
    var years = 0
    var months = 0
    var weeks = 0
    var days = 0
    var hours = 0
    var minutes = 0
    var milliseconds = 0.0

    /// Parses `PnYnMnWnDTnHnMnS`; seconds may have up to three decimals.
    init?(_ text: String) {
        var s = Substring(text)
        guard s.first == "P" else { return nil }
        s = s.dropFirst()
        var inTime = false
        var sawAny = false
        while !s.isEmpty {
            if s.first == "T" {
                guard !inTime else { return nil }
                inTime = true
                s = s.dropFirst()
                continue
            }
            let number = s.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let unit = s.dropFirst(number.count).first else { return nil }
            s = s.dropFirst(number.count + 1)
            sawAny = true
            let hasFraction = number.contains(".")
            if hasFraction {
                guard inTime, unit == "S", number.split(separator: ".", omittingEmptySubsequences: false).last!.count <= 3 else { return nil }
            }
            guard let value = Double(number) else { return nil }
            let whole = Int(value)
            switch (inTime, unit) {
            case (false, "Y"): years = whole
            case (false, "M"): months = whole
            case (false, "W"): weeks = whole
            case (false, "D"): days = whole
            case (true, "H"): hours = whole
            case (true, "M"): minutes = whole
            case (true, "S"): milliseconds = (value * 1000).rounded()
            default: return nil
            }
            if whole > 1_000_000 { return nil }
        }
        if !sawAny { return nil }
    }

    /// The timestamp moved by this duration, forward (`sign` 1) or back (`sign` -1).
    func apply(to ms: Double, sign: Int) -> Double {
        var t = ms
        if years != 0 || months != 0 {
            let day = (ms / 86_400_000).rounded(.down)
            let timeOfDay = ms - day * 86_400_000
            var (y, m, d) = ISODuration.civil(fromDays: Int(day))
            let totalMonths = y * 12 + (m - 1) + sign * (years * 12 + months)
            y = Int((Double(totalMonths) / 12).rounded(.down))
            m = totalMonths - y * 12 + 1
            d = min(d, ISODuration.daysInMonth(y, m))
            t = Double(ISODuration.days(fromCivil: y, m, d)) * 86_400_000 + timeOfDay
        }
        let fixed = Double(((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60_000 + milliseconds
        return t + Double(sign) * fixed
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil y: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y - 1 : y
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z: Int) -> (Int, Int, Int) {
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
}
