// ArangoDB's date strings: the ISO 8601 forms its date functions accept, and the one form they
// write. Accepted: an optionally signed year, then optional `-M[M]` and `-D[D]`; an optional
// time after `T` or a blank, `HH:MM[:SS[.fff]]` with two-digit fields; an optional `Z` or
// `±HH:MM` offset. Leading and trailing blanks are ignored. The result must fall within
// 0000-01-01 … 9999-12-31, the range of every date function.

/// Parsing and printing of date strings and the valid timestamp range.
public enum DateText {
    /// The first and last millisecond any date function accepts.
    public static let minimum: Int64 = -62_167_219_200_000
    public static let maximum: Int64 = 253_402_300_799_999

    /// The timestamp of a date string; nil when it is not one.
    public static func parse(_ text: String) -> Int64? {
        var s = Array(text.utf8)[...]
        while s.first == 0x20 { s = s.dropFirst() }
        while s.last == 0x20 { s = s.dropLast() }

        func digits(_ minCount: Int, _ maxCount: Int) -> Int? {
            var n = 0, count = 0
            while count < maxCount, let c = s.first, c >= 0x30, c <= 0x39 {
                n = n * 10 + Int(c - 0x30)
                count += 1
                s = s.dropFirst()
            }
            return count >= minCount ? n : nil
        }
        func take(_ c: UInt8) -> Bool {
            guard s.first == c else { return false }
            s = s.dropFirst()
            return true
        }

        var negative = false
        if take(0x2D) { negative = true } else { _ = take(0x2B) }
        guard let year = digits(1, 6), s.first.map({ $0 < 0x30 || $0 > 0x39 }) ?? true else { return nil }
        var t = CivilDateTime(year: negative ? -year : year, month: 1, day: 1)
        if take(0x2D) {
            guard let m = digits(1, 2) else { return nil }
            t.month = m
            if take(0x2D) {
                guard let d = digits(1, 2) else { return nil }
                t.day = d
            }
        }
        if take(0x54) || take(0x20) {
            guard let h = digits(2, 2), take(0x3A), let mi = digits(2, 2) else { return nil }
            (t.hour, t.minute) = (h, mi)
            if take(0x3A) {
                guard let sec = digits(2, 2) else { return nil }
                t.second = sec
                if take(0x2E) {
                    var scale = 100, count = 0
                    while let c = s.first, c >= 0x30, c <= 0x39 {
                        t.millisecond += Int(c - 0x30) * scale
                        scale /= 10
                        count += 1
                        s = s.dropFirst()
                    }
                    guard count > 0 else { return nil }
                }
            }
        }
        var offsetSeconds = 0
        if take(0x5A) || take(0x7A) {
        } else if let sign = s.first, sign == 0x2B || sign == 0x2D {
            s = s.dropFirst()
            guard let h = digits(2, 2), take(0x3A), let m = digits(2, 2), h <= 23, m <= 59 else { return nil }
            offsetSeconds = (h * 60 + m) * 60 * (sign == 0x2D ? -1 : 1)
        }
        guard s.isEmpty, (1...12).contains(t.month), (1...31).contains(t.day), t.hour <= 23, t.minute <= 59,
            t.second <= 59,
            (0...9999).contains(t.year)
        else { return nil }
        let ms = t.milliseconds - Int64(offsetSeconds) * 1000
        return (minimum...maximum).contains(ms) ? ms : nil
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, or without the `Z` for local wall-clock times.
    public static func iso(_ ms: Int64, zulu: Bool = true) -> String {
        let t = CivilDateTime(milliseconds: ms)
        var out = year(t.year)
        out +=
            "-" + pad(t.month, 2) + "-" + pad(t.day, 2) + "T" + pad(t.hour, 2) + ":" + pad(t.minute, 2) + ":"
            + pad(t.second, 2)
        out += "." + pad(t.millisecond, 3)
        return zulu ? out + "Z" : out
    }

    /// Four digits within 0…9999, else a sign and six digits, as ArangoDB prints years.
    static func year(_ y: Int) -> String {
        (0...9999).contains(y) ? pad(y, 4) : (y < 0 ? "-" : "+") + pad(abs(y), 6)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
