// DATE_FORMAT's placeholders, matched longest first after `%` (`%yyyy` before `%yy`). A `%`
// that starts no placeholder is dropped and the text after it kept, as ArangoDB does.

enum DateFormat {
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Every placeholder without its `%`, longest spellings first within each letter.
    static let placeholders = [
        "yyyyyy", "yyyy", "yy", "y", "mmmm", "mmm", "mm", "m", "wwww", "www", "w", "dd", "d", "hh", "h",
        "ii", "i", "ss", "s", "fff", "f", "xxx", "x", "kk", "k", "t", "z", "l", "q", "a", "&", "%",
    ]

    /// Formats the wall-clock time `t` (milliseconds) by `format`.
    static func format(_ t: Int64, _ format: String) -> String {
        let f = CivilDateTime(milliseconds: t)
        let pad = DateText.pad
        var out = ""
        var rest = Substring(format)
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            rest = rest[rest.index(after: percent)...]
            guard let p = placeholders.first(where: { rest.hasPrefix($0) }) else { continue }
            rest = rest.dropFirst(p.count)
            switch p {
            case "t": out += String(t)
            case "z": out += DateText.iso(t)
            case "w": out += String(CivilCalendar.weekday(days: days(t)))
            case "y": out += String(f.year)
            case "yy":
                let two = pad(abs(f.year) % 100, 2)
                out += f.year < 0 ? "-" + two : two
            case "yyyy": out += DateText.year(f.year)
            case "yyyyyy": out += (f.year < 0 ? "-" : "+") + pad(abs(f.year), 6)
            case "m": out += String(f.month)
            case "mm": out += pad(f.month, 2)
            case "mmm": out += monthNames[f.month - 1].prefix(3)
            case "mmmm": out += monthNames[f.month - 1]
            case "d": out += String(f.day)
            case "dd": out += pad(f.day, 2)
            case "h": out += String(f.hour)
            case "hh": out += pad(f.hour, 2)
            case "i": out += String(f.minute)
            case "ii": out += pad(f.minute, 2)
            case "s": out += String(f.second)
            case "ss": out += pad(f.second, 2)
            case "f": out += String(f.millisecond)
            case "fff": out += pad(f.millisecond, 3)
            case "x": out += String(CivilCalendar.dayOfYear(f.year, f.month, f.day))
            case "xxx": out += pad(CivilCalendar.dayOfYear(f.year, f.month, f.day), 3)
            case "k": out += String(CivilCalendar.isoWeek(f.year, f.month, f.day).week)
            case "kk": out += pad(CivilCalendar.isoWeek(f.year, f.month, f.day).week, 2)
            case "l": out += CivilCalendar.isLeapYear(f.year) ? "1" : "0"
            case "q": out += String((f.month - 1) / 3 + 1)
            case "a": out += String(CivilCalendar.daysInMonth(f.year, f.month))
            case "www": out += weekdayNames[CivilCalendar.weekday(days: days(t))].prefix(3)
            case "wwww": out += weekdayNames[CivilCalendar.weekday(days: days(t))]
            case "%": out += "%"
            default: break  // "&" separates placeholders and prints nothing
            }
        }
        return out + rest
    }

    static func days(_ t: Int64) -> Int { Int(CivilCalendar.floorDiv(t, CivilCalendar.msPerDay)) }
}
