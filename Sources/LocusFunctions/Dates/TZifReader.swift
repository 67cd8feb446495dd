// Reads RFC 8536 TZif files (versions 1 to 4) and the POSIX TZ string in their footer into
// TimeZoneRules. Malformed files yield nil, never a crash: every count is checked against the
// bytes actually present.

enum TZifReader {
    typealias LocalType = TimeZoneRules.LocalType
    typealias PosixRule = TimeZoneRules.PosixRule

    static func parse(_ b: [UInt8], name: String) -> TimeZoneRules? {
        guard b.count >= 44, b[0] == 0x54, b[1] == 0x5A, b[2] == 0x69, b[3] == 0x66 else { return nil }
        let version = b[4]
        guard let v1 = block(b, at: 0, timeSize: 4) else { return nil }
        // Version 2 and later repeat the data with 64-bit times, then a footer.
        guard version >= 0x32, let v2 = block(b, at: v1.end, timeSize: 8) else {
            return rules(v1, name: name, rule: nil)
        }
        var footer: PosixRule? = nil
        if v2.end < b.count, b[v2.end] == 0x0A {
            let text = b[(v2.end + 1)...].prefix { $0 != 0x0A }
            footer = posixRule(String(decoding: text, as: UTF8.self))
        }
        return rules(v2, name: name, rule: footer)
    }

    struct Block {
        var transitions: [Int64]
        var typeIndices: [Int]
        var types: [LocalType]
        var end: Int
    }

    static func block(_ b: [UInt8], at start: Int, timeSize: Int) -> Block? {
        func u32(_ i: Int) -> Int? {
            i + 4 <= b.count ? Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) : nil
        }
        func i32(_ i: Int) -> Int? { u32(i).map { Int(Int32(bitPattern: UInt32($0))) } }
        func i64(_ i: Int) -> Int64? {
            guard i + 8 <= b.count else { return nil }
            return (0..<8).reduce(Int64(0)) { $0 << 8 | Int64(b[i + $1]) }
        }
        guard start + 44 <= b.count, let isutcnt = u32(start + 20), let isstdcnt = u32(start + 24),
            let leapcnt = u32(start + 28),
            let timecnt = u32(start + 32), let typecnt = u32(start + 36), let charcnt = u32(start + 40),
            typecnt > 0, typecnt < 256, timecnt < 100_000, charcnt < 65_536, leapcnt < 10_000
        else { return nil }
        var p = start + 44
        let size = timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt
        guard p + size <= b.count else { return nil }
        var transitions: [Int64] = []
        for i in 0..<timecnt {
            guard let t = timeSize == 4 ? i32(p + 4 * i).map(Int64.init) : i64(p + 8 * i) else { return nil }
            transitions.append(t)
        }
        p += timecnt * timeSize
        let indices = (0..<timecnt).map { Int(b[p + $0]) }
        guard indices.allSatisfy({ $0 < typecnt }) else { return nil }
        p += timecnt
        let typesStart = p
        p += typecnt * 6
        let chars = Array(b[p..<(p + charcnt)])
        var types: [LocalType] = []
        for i in 0..<typecnt {
            let at = typesStart + 6 * i
            guard let offset = i32(at) else { return nil }
            let index = Int(b[at + 5])
            let abbreviation =
                index < chars.count ? String(decoding: chars[index...].prefix { $0 != 0 }, as: UTF8.self) : ""
            types.append(LocalType(offset: offset, isDST: b[at + 4] != 0, abbreviation: abbreviation))
        }
        return Block(transitions: transitions, typeIndices: indices, types: types, end: start + 44 + size)
    }

    static func rules(_ block: Block, name: String, rule: PosixRule?) -> TimeZoneRules {
        TimeZoneRules(
            name: name, transitions: block.transitions, transitionTypes: block.typeIndices.map { block.types[$0] },
            initialType: block.types[0], rule: rule)
    }

    // MARK: - POSIX TZ strings

    /// Parses `std offset [dst [offset] [,start[/time],end[/time]]]`; nil when malformed.
    static func posixRule(_ text: String) -> PosixRule? {
        var s = Substring(text)
        guard !s.isEmpty, let stdName = abbreviation(&s), let stdOffset = signedTime(&s) else { return nil }
        var rule = PosixRule(
            standard: LocalType(offset: -stdOffset, isDST: false, abbreviation: stdName), daylight: nil)
        guard !s.isEmpty else { return rule }
        guard let dstName = abbreviation(&s) else { return nil }
        var dstOffset = -stdOffset + 3600
        if let o = s.first, o != "," { guard let v = signedTime(&s) else { return nil }; dstOffset = -v }
        rule.daylight = LocalType(offset: dstOffset, isDST: true, abbreviation: dstName)
        guard s.first == "," else { return s.isEmpty ? rule : nil }
        s = s.dropFirst()
        guard let start = day(&s) else { return nil }
        rule.start = start
        if s.first == "/" { s = s.dropFirst(); guard let t = signedTime(&s) else { return nil }; rule.startTime = t }
        guard s.first == "," else { return nil }
        s = s.dropFirst()
        guard let end = day(&s) else { return nil }
        rule.end = end
        if s.first == "/" { s = s.dropFirst(); guard let t = signedTime(&s) else { return nil }; rule.endTime = t }
        return s.isEmpty ? rule : nil
    }

    static func abbreviation(_ s: inout Substring) -> String? {
        if s.first == "<" {
            guard let close = s.firstIndex(of: ">") else { return nil }
            let name = s[s.index(after: s.startIndex)..<close]
            s = s[s.index(after: close)...]
            return String(name)
        }
        let name = s.prefix { $0.isLetter }
        guard name.count >= 3 else { return nil }
        s = s.dropFirst(name.count)
        return String(name)
    }

    /// `[+-]hh[:mm[:ss]]` in seconds.
    static func signedTime(_ s: inout Substring) -> Int? {
        var sign = 1
        if s.first == "+" { s = s.dropFirst() } else if s.first == "-" { sign = -1; s = s.dropFirst() }
        var parts: [Int] = []
        while parts.count < 3 {
            let digits = s.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 3, let v = Int(digits) else { return nil }
            parts.append(v)
            s = s.dropFirst(digits.count)
            guard s.first == ":" else { break }
            s = s.dropFirst()
        }
        let seconds = parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
        return sign * seconds
    }

    static func day(_ s: inout Substring) -> PosixRule.Day? {
        func number() -> Int? {
            let digits = s.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 3 else { return nil }
            s = s.dropFirst(digits.count)
            return Int(digits)
        }
        switch s.first {
        case "J":
            s = s.dropFirst()
            guard let n = number(), (1...365).contains(n) else { return nil }
            return .julianNoLeap(n)
        case "M":
            s = s.dropFirst()
            guard let m = number(), s.first == "." else { return nil }
            s = s.dropFirst()
            guard let w = number(), s.first == "." else { return nil }
            s = s.dropFirst()
            guard let d = number(), (1...12).contains(m), (1...5).contains(w), (0...6).contains(d) else { return nil }
            return .monthWeekDay(month: m, week: w, weekday: d)
        default:
            guard let n = number(), (0...365).contains(n) else { return nil }
            return .julianZero(n)
        }
    }
}
