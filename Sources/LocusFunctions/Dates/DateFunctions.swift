// The DATE_* functions and IS_DATESTRING, with ArangoDB 3.12's semantics: component
// extraction (optionally in an IANA time zone), construction from components, arithmetic with
// units or ISO 8601 durations, differences, comparisons, truncation, rounding and time-zone
// conversion. Argument handling lives in DateArguments, formatting in DateFormat.

import LocusErrors
import LocusValues

enum DateFunctions {
    typealias Fields = CivilDateTime

    /// A function of one date and an optional time zone, reading the date's local fields.
    static func component(_ name: String, zoned: Bool = true, _ f: @escaping @Sendable (Fields, Int64) -> Value)
        -> FunctionDefinition
    {
        FunctionDefinition(name, 1, zoned ? 2 : 1, signature: zoned ? "\(name)(date, timezone)" : "\(name)(date)") {
            a, env in
            guard let t = DateArguments.timestamp(name, a[0], env), let zone = DateArguments.zone(name, a, 1, env)
            else { return .null }
            let local = DateArguments.local(t, zone)
            return f(Fields(milliseconds: local), local)
        }
    }

    /// DATE_TIMESTAMP and DATE_ISO8601: a date, or year, month, day and optional time fields.
    static func construct(_ name: String, _ a: [Value], _ env: FunctionEnvironment) -> Int64? {
        if a.count == 1 { return DateArguments.timestamp(name, a[0], env) }
        guard a.count >= 3, a.allSatisfy({ $0.numberValue != nil || $0.stringValue != nil }) else {
            _ = Args.invalid(name, env)
            return nil
        }
        let n = a.map { v -> Int in
            let d = v.toNumber
            return d.isFinite && abs(d) < 1e12 ? Int(d.rounded(.towardZero)) : (d > 0 ? Int(1e12) : -Int(1e12))
        }
        guard (0...9999).contains(n[0]), (1...12).contains(n[1]), (1...31).contains(n[2]),
            n.dropFirst(3).allSatisfy({ $0 >= 0 })
        else { _ = DateArguments.invalidDate(name, env); return nil }
        let fields = Fields(
            year: n[0], month: n[1], day: n[2], hour: n.count > 3 ? n[3] : 0, minute: n.count > 4 ? n[4] : 0,
            second: n.count > 5 ? n[5] : 0, millisecond: n.count > 6 ? min(n[6], 999) : 0)
        return fields.milliseconds
    }

    // MARK: - Arithmetic

    /// DATE_ADD and DATE_SUBTRACT (`sign` -1): `(date, amount, unit[, timezone])` or
    /// `(date, isoDuration[, timezone])`.
    static func add(_ name: String, _ a: [Value], sign: Int, _ env: FunctionEnvironment) -> Value {
        guard let t = DateArguments.timestamp(name, a[0], env) else { return .null }
        let durationForm = a.count == 2 || (a[1].stringValue?.hasPrefix("P") ?? false)
        guard let zone = DateArguments.zone(name, a, durationForm ? 2 : 3, env) else { return .null }
        if durationForm && a.count == 4 { return Args.invalid(name, env) }
        let local = DateArguments.local(t, zone)
        let moved: Int64
        if durationForm {
            guard case .string(let text) = a[1] else { return Args.invalid(name, env) }
            guard let d = ISODuration(text), let m = d.apply(to: local, sign: sign) else {
                return DateArguments.invalidDate(name, env)
            }
            moved = m
        } else {
            guard case .number(let amount) = a[1], amount.isFinite, abs(amount) < 1e13, a[2].stringValue != nil else {
                return Args.invalid(name, env)
            }
            guard let unit = DateUnit(a[2]) else { return DateArguments.invalidDate(name, env) }
            guard let m = addUnits(local, amount * Double(sign), unit) else {
                return DateArguments.invalidDate(name, env)
            }
            moved = m
        }
        return DateArguments.isoValue(name, DateArguments.utc(moved, zone), env)
    }

    /// Adds `amount` units the way ArangoDB does: whole years and months move the calendar
    /// (their fractions cascade down as twelfths of a year and 30-day months), the rest is
    /// fixed time. Nil when the result would leave any representable range.
    static func addUnits(_ t: Int64, _ amount: Double, _ unit: DateUnit) -> Int64? {
        var fields = Fields(milliseconds: t)
        let sign: Double = amount < 0 ? -1 : 1
        var rest = abs(amount)
        var fixed = 0.0
        switch unit {
        case .year, .month:
            guard rest < 1_000_000 else { return nil }
            if unit == .year {
                let whole = rest.rounded(.towardZero)
                fields.year += Int(sign * whole)
                rest = (rest - whole) * 12
            }
            let whole = rest.rounded(.towardZero)
            fields.month += Int(sign * whole)
            fixed = (rest - whole) * 30 * DateUnit.day.milliseconds
        default:
            fixed = rest * unit.milliseconds
        }
        guard fixed < 1e17 else { return nil }
        return fields.milliseconds + Int64(sign * fixed.rounded(.towardZero))
    }

    static func diff(_ a: [Value], _ env: FunctionEnvironment) -> Value {
        let name = "DATE_DIFF"
        guard let t1 = DateArguments.timestamp(name, a[0], env), let t2 = DateArguments.timestamp(name, a[1], env)
        else { return .null }
        guard a[2].stringValue != nil else { return Args.invalid(name, env) }
        // The fourth argument is asFloat (a boolean) or the first date's zone; what follows
        // is the zones that are left: (…, true, zone) puts both dates in one zone, (…, zone1,
        // zone2) and (…, asFloat, zone1, zone2) each in its own.
        var asFloat = false
        var zone1: TimeZoneRules? = nil
        var zone2: TimeZoneRules? = nil
        if a.count > 3 {
            switch a[3] {
            case .bool(let b): asFloat = b
            case .string:
                guard let z = DateArguments.zone(name, a, 3, env) else { return .null }
                zone1 = z
                if a.count == 4 { zone2 = z }
            default: return Args.invalid(name, env)
            }
        }
        if a.count > 4 {
            guard case .string = a[4] else { return Args.invalid(name, env) }
            guard let z = DateArguments.zone(name, a, 4, env) else { return .null }
            if case .bool = a[3] {
                zone1 = z
                if a.count == 5 { zone2 = z }
            } else {
                zone2 = z
            }
        }
        if a.count > 5 {
            guard case .string = a[5] else { return Args.invalid(name, env) }
            guard let z = DateArguments.zone(name, a, 5, env) else { return .null }
            zone2 = z
        }
        guard let unit = DateUnit(a[2]) else { return DateArguments.invalidDate(name, env) }
        let delta = Double(DateArguments.local(t2, zone2) - DateArguments.local(t1, zone1)) / unit.milliseconds
        return .num(asFloat ? delta : delta.rounded(.toNearestOrAwayFromZero))
    }

    static func compare(_ a: [Value], _ env: FunctionEnvironment) -> Value {
        let name = "DATE_COMPARE"
        guard let t1 = DateArguments.timestamp(name, a[0], env), let t2 = DateArguments.timestamp(name, a[1], env)
        else { return .null }
        guard let start = DateUnit(a[2]) else { return Args.invalid(name, env) }
        // The fourth argument is the end of the range, or else the first date's zone.
        var end = start
        var zoneIndices: (first: Int, second: Int)? = nil
        if a.count > 3 {
            if let unit = DateUnit(a[3]) {
                end = unit
                if a.count > 4 { zoneIndices = (4, a.count == 6 ? 5 : 4) }
            } else {
                guard a.count < 6 else { return Args.invalid(name, env) }
                zoneIndices = (3, a.count == 5 ? 4 : 3)
            }
        }
        var zone1: TimeZoneRules? = nil
        var zone2: TimeZoneRules? = nil
        if let (first, second) = zoneIndices {
            for i in Set([first, second]) {
                guard case .string = a[i] else { return Args.invalid(name, env) }
            }
            guard case .some(let z1) = DateArguments.zone(name, a, first, env),
                case .some(let z2) = DateArguments.zone(name, a, second, env)
            else { return .null }
            zone1 = z1
            zone2 = z2
        }
        // As ArangoDB: weeks are no place in the range, so a range starting there compares
        // nothing.
        guard start != .week else { return .bool(true) }
        let f1 = Fields(milliseconds: DateArguments.local(t1, zone1))
        let f2 = Fields(milliseconds: DateArguments.local(t2, zone2))
        let parts: [(DateUnit, KeyPath<Fields, Int>)] = [
            (.year, \.year), (.month, \.month), (.day, \.day), (.hour, \.hour),
            (.minute, \.minute), (.second, \.second), (.millisecond, \.millisecond),
        ]
        // From the start down to the end of the range; the year, when it starts the range, is
        // compared even when the range ends above it.
        for (unit, path) in parts where unit >= start {
            if unit != .year && end < unit { break }
            if f1[keyPath: path] != f2[keyPath: path] { return .bool(false) }
        }
        return .bool(true)
    }

    static func trunc(_ a: [Value], _ env: FunctionEnvironment) -> Value {
        let name = "DATE_TRUNC"
        guard let t = DateArguments.timestamp(name, a[0], env) else { return .null }
        guard a[1].stringValue != nil else { return Args.invalid(name, env) }
        guard let unit = DateUnit(a[1]), unit != .week else { return DateArguments.invalidDate(name, env) }
        guard let zone = DateArguments.zone(name, a, 2, env) else { return .null }
        var f = Fields(milliseconds: DateArguments.local(t, zone))
        if unit < .millisecond { f.millisecond = 0 }
        if unit < .second { f.second = 0 }
        if unit < .minute { f.minute = 0 }
        if unit < .hour { f.hour = 0 }
        if unit < .day { f.day = 1 }
        if unit < .month { f.month = 1 }
        return DateArguments.isoValue(name, DateArguments.utc(f.milliseconds, zone), env)
    }

    static func round(_ a: [Value], _ env: FunctionEnvironment) -> Value {
        let name = "DATE_ROUND"
        guard let t = DateArguments.timestamp(name, a[0], env) else { return .null }
        guard case .number(let amount) = a[1], amount.isFinite, amount >= 1 else { return Args.invalid(name, env) }
        guard let unit = DateUnit(a[2]), unit >= .day else { return Args.invalid(name, env) }
        // A bucket wider than the whole date range puts every date in the first one.
        guard amount * unit.milliseconds < 1e18 else { return DateArguments.isoValue(name, 0, env) }
        guard let zone = DateArguments.zone(name, a, 3, env) else { return .null }
        let bucket = Int64(amount.rounded(.towardZero)) * Int64(unit.milliseconds)
        let local = DateArguments.local(t, zone)
        return DateArguments.isoValue(name, DateArguments.utc(local - local % bucket, zone), env)
    }

    // MARK: - Time zones

    /// DATE_UTCTOLOCAL and DATE_LOCALTOUTC, with the zone's interval when asked for.
    static func convert(_ name: String, _ a: [Value], toLocal: Bool, _ env: FunctionEnvironment) -> Value {
        guard let t = DateArguments.timestamp(name, a[0], env) else { return .null }
        guard case .string = a[1] else { return Args.invalid(name, env) }
        guard case .some(.some(let zone)) = DateArguments.zone(name, a, 1, env) else { return .null }
        var detailed = false
        if a.count > 2 {
            guard case .bool(let b) = a[2] else { return Args.invalid(name, env) }
            detailed = b
        }
        let result = toLocal ? DateArguments.local(t, zone) : DateArguments.utc(t, zone)
        let text = DateArguments.isoValue(name, result, env, zulu: !toLocal)
        guard detailed, !text.isNull else { return text }
        let utc = toLocal ? t : result
        let info = zone.interval(at: CivilCalendar.floorDiv(utc, 1000))
        func bound(_ s: Int64?) -> Value {
            guard let s, (DateText.minimum...DateText.maximum).contains(s * 1000) else { return .null }
            return .string(DateText.iso(s * 1000))
        }
        let zoneInfo: Value = [
            "name": .string(info.abbreviation), "begin": bound(info.begin), "end": bound(info.end),
            "dst": .bool(info.isDST), "offset": .int(info.offset),
        ]
        return [toLocal ? "local" : "utc": text, "tzdb": .string(TimeZoneDatabase.version), "zoneInfo": zoneInfo]
    }

    // MARK: - The table

    static let rows: [FunctionDefinition] = [
        FunctionDefinition("DATE_NOW", 0, 0, deterministic: false, signature: "DATE_NOW()") { _, env in
            .number((env.wallClock.now() * 1000).rounded(.down))
        },
        FunctionDefinition("IS_DATESTRING", 1, 1, signature: "IS_DATESTRING(value)") { a, _ in
            guard case .string(let s) = a[0] else { return .bool(false) }
            return .bool(DateText.parse(s) != nil)
        },
        FunctionDefinition(
            "DATE_TIMESTAMP", 1, 7,
            signature: "DATE_TIMESTAMP(date | year, month, day, hour, minute, second, millisecond)"
        ) { a, env in
            construct("DATE_TIMESTAMP", a, env).map { .number(Double($0)) } ?? .null
        },
        FunctionDefinition(
            "DATE_ISO8601", 1, 7, signature: "DATE_ISO8601(date | year, month, day, hour, minute, second, millisecond)"
        ) { a, env in
            construct("DATE_ISO8601", a, env).map { DateArguments.isoValue("DATE_ISO8601", $0, env) } ?? .null
        },
        component("DATE_DAYOFWEEK") { _, t in
            .int(CivilCalendar.weekday(days: Int(CivilCalendar.floorDiv(t, CivilCalendar.msPerDay))))
        },
        component("DATE_YEAR") { f, _ in .int(f.year) },
        component("DATE_MONTH") { f, _ in .int(f.month) },
        component("DATE_DAY") { f, _ in .int(f.day) },
        component("DATE_HOUR") { f, _ in .int(f.hour) },
        component("DATE_MINUTE") { f, _ in .int(f.minute) },
        component("DATE_SECOND", zoned: false) { f, _ in .int(f.second) },
        component("DATE_MILLISECOND", zoned: false) { f, _ in .int(f.millisecond) },
        component("DATE_DAYOFYEAR") { f, _ in .int(CivilCalendar.dayOfYear(f.year, f.month, f.day)) },
        component("DATE_ISOWEEK") { f, _ in .int(CivilCalendar.isoWeek(f.year, f.month, f.day).week) },
        component("DATE_ISOWEEKYEAR") { f, _ in
            let w = CivilCalendar.isoWeek(f.year, f.month, f.day)
            return ["week": .int(w.week), "year": .int(w.year)]
        },
        component("DATE_LEAPYEAR") { f, _ in .bool(CivilCalendar.isLeapYear(f.year)) },
        component("DATE_QUARTER") { f, _ in .int((f.month - 1) / 3 + 1) },
        component("DATE_DAYS_IN_MONTH") { f, _ in .int(CivilCalendar.daysInMonth(f.year, f.month)) },
        FunctionDefinition("DATE_FORMAT", 2, 3, signature: "DATE_FORMAT(date, format, timezone)") { a, env in
            guard let t = DateArguments.timestamp("DATE_FORMAT", a[0], env) else { return .null }
            guard case .string(let format) = a[1] else { return Args.invalid("DATE_FORMAT", env) }
            guard let zone = DateArguments.zone("DATE_FORMAT", a, 2, env) else { return .null }
            return .string(DateFormat.format(DateArguments.local(t, zone), format))
        },
        FunctionDefinition(
            "DATE_ADD", 2, 4,
            signature: "DATE_ADD(date, amount, unit, timezone) | DATE_ADD(date, isoDuration, timezone)"
        ) { a, env in
            add("DATE_ADD", a, sign: 1, env)
        },
        FunctionDefinition(
            "DATE_SUBTRACT", 2, 4,
            signature: "DATE_SUBTRACT(date, amount, unit, timezone) | DATE_SUBTRACT(date, isoDuration, timezone)"
        ) { a, env in
            add("DATE_SUBTRACT", a, sign: -1, env)
        },
        FunctionDefinition("DATE_DIFF", 3, 6, signature: "DATE_DIFF(date1, date2, unit, asFloat, timezone1, timezone2)")
        { a, env in diff(a, env) },
        FunctionDefinition(
            "DATE_COMPARE", 3, 6,
            signature: "DATE_COMPARE(date1, date2, unitRangeStart, unitRangeEnd, timezone1, timezone2)"
        ) { a, env in
            compare(a, env)
        },
        FunctionDefinition("DATE_TRUNC", 2, 3, signature: "DATE_TRUNC(date, unit, timezone)") { a, env in trunc(a, env)
        },
        FunctionDefinition("DATE_ROUND", 3, 4, signature: "DATE_ROUND(date, amount, unit, timezone)") { a, env in
            round(a, env)
        },
        FunctionDefinition("DATE_UTCTOLOCAL", 2, 3, signature: "DATE_UTCTOLOCAL(date, timezone, zoneinfo)") { a, env in
            convert("DATE_UTCTOLOCAL", a, toLocal: true, env)
        },
        FunctionDefinition("DATE_LOCALTOUTC", 2, 3, signature: "DATE_LOCALTOUTC(date, timezone, zoneinfo)") { a, env in
            convert("DATE_LOCALTOUTC", a, toLocal: false, env)
        },
        FunctionDefinition("DATE_TIMEZONE", 0, 0, signature: "DATE_TIMEZONE()") { _, _ in
            .string(TimeZoneDatabase.localZoneName)
        },
        FunctionDefinition("DATE_TIMEZONES", 0, 0, signature: "DATE_TIMEZONES()") { _, _ in
            .array(TimeZoneDatabase.names.map(Value.string))
        },
    ]
}
