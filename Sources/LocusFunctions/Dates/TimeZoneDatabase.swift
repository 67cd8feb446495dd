// IANA time zones read from the system's compiled zoneinfo (RFC 8536 TZif files, with the
// POSIX TZ rule in their footer for instants past the last listed transition). It answers the
// two questions the date functions ask: the local offset in force at a UTC instant, and the UTC
// instant of a local wall-clock time (the earlier one when a fall-back makes it ambiguous, the
// transition itself when a spring-forward skips it, as the C++ date library's `choose::earliest`).

#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import LocusValues

/// The offset, abbreviation and validity interval of the local time in force at an instant.
public struct ZoneInterval: Equatable, Sendable {
    /// Seconds east of UTC.
    public var offset: Int
    public var isDST: Bool
    public var abbreviation: String
    /// UTC seconds at which this local time starts and stops applying; nil when unbounded.
    public var begin: Int64?
    public var end: Int64?
}

/// One time zone's rules.
public final class TimeZoneRules: Sendable {
    struct LocalType: Equatable, Sendable {
        var offset: Int
        var isDST: Bool
        var abbreviation: String
    }

    /// A POSIX TZ string such as `CET-1CEST,M3.5.0,M10.5.0/3`.
    struct PosixRule: Sendable {
        enum Day: Sendable {
            case julianNoLeap(Int)  // Jn, 1…365, February 29 never counted
            case julianZero(Int)  // n, 0…365
            case monthWeekDay(month: Int, week: Int, weekday: Int)  // Mm.w.d
        }
        var standard: LocalType
        var daylight: LocalType?
        var start = Day.monthWeekDay(month: 3, week: 2, weekday: 0), startTime = 7200
        var end = Day.monthWeekDay(month: 11, week: 1, weekday: 0), endTime = 7200
    }

    public let name: String
    let transitions: [Int64]
    let transitionTypes: [LocalType]
    let initialType: LocalType
    let rule: PosixRule?

    init(name: String, transitions: [Int64], transitionTypes: [LocalType], initialType: LocalType, rule: PosixRule?) {
        self.name = name
        self.transitions = transitions
        self.transitionTypes = transitionTypes
        self.initialType = initialType
        self.rule = rule
    }

    /// The local time in force at `t` (UTC seconds).
    public func interval(at t: Int64) -> ZoneInterval {
        if let last = transitions.last, t >= last, let rule {
            var info = ruleInterval(rule, at: t)
            if info.begin.map({ $0 < last }) ?? true { info.begin = last }
            return info
        }
        guard let first = transitions.first, t >= first else {
            let type = transitions.isEmpty ? (rule.map { ruleInterval($0, at: t) }) : nil
            return type
                ?? ZoneInterval(
                    offset: initialType.offset, isDST: initialType.isDST,
                    abbreviation: initialType.abbreviation, begin: nil, end: transitions.first)
        }
        var lo = 0, hi = transitions.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if transitions[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        let type = transitionTypes[lo]
        let end = lo + 1 < transitions.count ? transitions[lo + 1] : (rule.flatMap { ruleInterval($0, at: t).end })
        return ZoneInterval(
            offset: type.offset, isDST: type.isDST, abbreviation: type.abbreviation, begin: transitions[lo], end: end)
    }

    /// The UTC seconds of local wall-clock seconds `local`.
    public func utc(ofLocal local: Int64) -> Int64 {
        // The two candidate offsets are those in force a day either side; try the earlier
        // instant first so that an ambiguous time resolves to its first occurrence.
        let before = interval(at: local - 86_400).offset, after = interval(at: local + 86_400).offset
        for offset in [max(before, after), min(before, after)]
        where interval(at: local - Int64(offset)).offset == offset {
            return local - Int64(offset)
        }
        // Skipped by a spring-forward: the instant of the transition.
        return interval(at: local - Int64(before)).begin ?? local - Int64(before)
    }

    // MARK: - POSIX rules

    private func ruleInterval(_ rule: PosixRule, at t: Int64) -> ZoneInterval {
        guard let daylight = rule.daylight else {
            return ZoneInterval(
                offset: rule.standard.offset, isDST: false, abbreviation: rule.standard.abbreviation, begin: nil,
                end: nil)
        }
        let year = CivilDateTime(milliseconds: t * 1000).year
        // Transition instants around `t`, each with the type it switches to.
        var edges: [(Int64, LocalType)] = []
        for y in (year - 1)...(year + 1) {
            edges.append((Self.instant(rule.start, year: y) + Int64(rule.startTime - rule.standard.offset), daylight))
            edges.append((Self.instant(rule.end, year: y) + Int64(rule.endTime - daylight.offset), rule.standard))
        }
        edges.sort { $0.0 < $1.0 }
        let i = edges.lastIndex { $0.0 <= t } ?? 0
        let type = edges[i].1
        return ZoneInterval(
            offset: type.offset, isDST: type.isDST, abbreviation: type.abbreviation,
            begin: edges[i].0, end: i + 1 < edges.count ? edges[i + 1].0 : nil)
    }

    /// UTC seconds of local midnight, at offset zero, of a rule's day in `year`.
    static func instant(_ day: PosixRule.Day, year: Int) -> Int64 {
        let jan1 = CivilCalendar.days(fromCivil: year, 1, 1)
        let dayNumber: Int
        switch day {
        case .julianNoLeap(let n):
            dayNumber = jan1 + n - 1 + (CivilCalendar.isLeapYear(year) && n >= 60 ? 1 : 0)
        case .julianZero(let n):
            dayNumber = jan1 + n
        case .monthWeekDay(let m, let w, let d):
            let first = CivilCalendar.days(fromCivil: year, m, 1)
            var dayOfMonth = (d - CivilCalendar.weekday(days: first) + 7) % 7 + (w - 1) * 7
            while dayOfMonth >= CivilCalendar.daysInMonth(year, m) { dayOfMonth -= 7 }
            dayNumber = first + dayOfMonth
        }
        return Int64(dayNumber) * 86_400
    }
}

/// The system's zoneinfo, with parsed zones cached.
public enum TimeZoneDatabase {
    static let directory = "/usr/share/zoneinfo"
    private static let cache = Mutex<[String: TimeZoneRules]>([:])

    /// The zone named `name`, or nil when there is none.
    public static func zone(_ name: String) -> TimeZoneRules? {
        if let z = cache.withLock({ $0[name] }) { return z }
        if name == "UTC" || name == "Etc/UTC" {
            return TimeZoneRules(
                name: name, transitions: [], transitionTypes: [],
                initialType: .init(offset: 0, isDST: false, abbreviation: "UTC"), rule: nil)
        }
        guard isZoneName(name), let bytes = readFile("\(directory)/\(name)"),
            let z = TZifReader.parse(bytes, name: name)
        else {
            return nil
        }
        cache.withLock { c in
            if c.count > 1024 { c.removeAll() }
            c[name] = z
        }
        return z
    }

    /// The names of every zone and link, sorted, from the database's source index.
    public static let names: [String] = {
        guard let bytes = readFile("\(directory)/tzdata.zi") else { return ["Etc/UTC", "UTC"] }
        var out: [String] = []
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.first == "Z", f.count > 1 { out.append(String(f[1])) }
            if f.first == "L", f.count > 2 { out.append(String(f[2])) }
        }
        return out.sorted()
    }()

    /// The database's release, such as "2025b".
    public static let version: String = {
        guard let bytes = readFile("\(directory)/tzdata.zi") else { return "unknown" }
        let first = String(decoding: bytes.prefix(64), as: UTF8.self).split(separator: "\n").first ?? ""
        return first.hasPrefix("# version ") ? String(first.dropFirst(10)) : "unknown"
    }()

    /// The zone the machine runs in: `TZ`, else the target of /etc/localtime, else UTC.
    public static var localZoneName: String {
        if let tz = getenv("TZ").map({ String(cString: $0) }), !tz.isEmpty {
            let name = tz.hasPrefix(":") ? String(tz.dropFirst()) : tz
            if zone(name) != nil { return name }
        }
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/etc/localtime", &buffer, buffer.count - 1)
        if n > 0 {
            let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let parts = target.split(separator: "/", omittingEmptySubsequences: false)
            if let i = parts.lastIndex(of: "zoneinfo"), i + 1 < parts.count {
                return parts[(i + 1)...].joined(separator: "/")
            }
        }
        return "Etc/UTC"
    }

    /// A name made only of the characters zone names use, so that it cannot leave the directory.
    static func isZoneName(_ name: String) -> Bool {
        !name.isEmpty && name.count < 64 && !name.hasPrefix("/") && !name.containsBytes("..")
            && name.utf8.allSatisfy {
                $0 < 128
                    && (($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57)
                        || "/_+-".utf8.contains($0))
            }
    }

    static func readFile(_ path: String) -> [UInt8]? { LocalFiles.read(path, limit: 1 << 22) }
}
