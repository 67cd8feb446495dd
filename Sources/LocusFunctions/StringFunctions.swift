// String functions: lengths and positions count characters (Unicode scalars), not bytes.
// Includes LIKE (with % _ and backslash escapes) and the PCRE2-backed regex family.

import LocusErrors
import LocusValues

enum StringFunctions {
    /// The largest string a function may build (the memory guard).
    static let maxStringBytes = 64 << 20

    static func str(_ v: Value) -> String { v.toStringValue }

    /// LIKE matching: `%` any run, `_` one character, backslash escapes the next character.
    static func like(_ text: String, _ pattern: String, caseInsensitive: Bool) -> Bool {
        let t = Array((caseInsensitive ? text.lowercased() : text).unicodeScalars)
        let praw = Array((caseInsensitive ? pattern.lowercased() : pattern).unicodeScalars)
        enum P { case lit(Unicode.Scalar), one, any }
        var p: [P] = []
        var i = 0
        while i < praw.count {
            let c = praw[i]
            // A backslash escapes only the wildcards and itself; before anything else it is literal.
            if c == "\\" && i + 1 < praw.count && ["%", "_", "\\"].contains(praw[i + 1]) {
                p.append(.lit(praw[i + 1])); i += 2; continue
            }
            if c == "%" {
                if case .any? = p.last {} else { p.append(.any) }
            } else if c == "_" {
                p.append(.one)
            } else {
                p.append(.lit(c))
            }
            i += 1
        }
        var ti = 0, pi = 0, starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count {
                switch p[pi] {
                case .any: starP = pi; starT = ti; pi += 1; continue
                case .one: ti += 1; pi += 1; continue
                case .lit(let c) where c == t[ti]: ti += 1; pi += 1; continue
                default: break
                }
            }
            if starP >= 0 { pi = starP + 1; starT += 1; ti = starT; continue }
            return false
        }
        while pi < p.count, case .any = p[pi] { pi += 1 }
        return pi == p.count
    }

    static func regex(_ name: String, _ pattern: Value, _ ci: Bool, _ env: FunctionEnvironment) -> CompiledRegex? {
        guard let r = RegexCache.get(str(pattern), caseInsensitive: ci) else {
            env.warn(.invalidRegex, ErrorCode.invalidRegex.template)
            return nil
        }
        return r
    }

    /// `=~` and REGEX_TEST share this.
    public static func regexTest(_ text: Value, _ pattern: Value, caseInsensitive: Bool, _ env: FunctionEnvironment)
        -> Value
    {
        guard let r = regex("REGEX_TEST", pattern, caseInsensitive, env) else { return .null }
        return .bool(r.match(Array(str(text).utf8)) != nil)
    }

    static func scalarSlice(_ s: String, _ from: Int, _ count: Int) -> String {
        let u = Array(s.unicodeScalars)
        let start = max(0, min(from, u.count))
        let end = max(start, min(u.count, start + max(0, count)))
        var out = String.UnicodeScalarView()
        out.append(contentsOf: u[start..<end])
        return String(out)
    }

    /// FIND_FIRST and FIND_LAST: the character position of `search` within text[start...end].
    static func find(_ name: String, last: Bool) -> FunctionDefinition {
        FunctionDefinition(name, 2, 4, signature: "\(name)(text, search, start, end)") { a, _ in
            let s = Array(str(a[0]).unicodeScalars)
            let start = a.count > 2 ? max(0, a[2].toNumber.clampedInt) : 0
            let end = a.count > 3 && !a[3].isNull ? min(s.count, a[3].toNumber.clampedInt + 1) : s.count
            guard start <= end else { return .int(-1) }
            var sub = String.UnicodeScalarView()
            sub.append(contentsOf: s[start..<end])
            return .int(indexOf(String(sub), str(a[1]), last: last).map { $0 + start } ?? -1)
        }
    }

    static func trim(_ s: String, _ chars: Set<Unicode.Scalar>, left: Bool, right: Bool) -> String {
        var u = Array(s.unicodeScalars)[...]
        if left { while let f = u.first, chars.contains(f) { u = u.dropFirst() } }
        if right { while let l = u.last, chars.contains(l) { u = u.dropLast() } }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: u)
        return String(out)
    }

    static func trimChars(_ args: [Value], _ i: Int) -> Set<Unicode.Scalar> {
        i < args.count && !args[i].isNull && args[i].numberValue == nil
            ? Set(str(args[i]).unicodeScalars) : [" ", "\t", "\r", "\n"]
    }

    static func concatParts(_ args: [Value]) -> [Value] {
        if args.count == 1, case .array(let a) = args[0] { return a }
        return args
    }

    static func indexOf(_ hay: String, _ needle: String, last: Bool = false) -> Int? {
        let h = Array(hay.unicodeScalars), n = Array(needle.unicodeScalars)
        if n.isEmpty { return last ? h.count : 0 }
        guard n.count <= h.count else { return nil }
        let positions = Array(0...(h.count - n.count))
        for i in (last ? positions.reversed() : positions) where Array(h[i..<i + n.count]) == n { return i }
        return nil
    }

    /// The bytes `offset ..< offset + length` of a string's UTF-8 (a negative offset counts
    /// from the end), widened by `left` and `right` characters; null plus a warning when a
    /// bound falls inside a character.
    static func substringBytes(_ a: [Value], _ env: FunctionEnvironment) -> Value {
        guard case .string(let s) = a[0], case .number(let o) = a[1] else {
            return Args.invalid("SUBSTRING_BYTES", env)
        }
        let bytes = Array(s.utf8)
        var start = o.clampedInt
        if start < 0 { start = max(0, bytes.count + start) }
        start = min(start, bytes.count)
        let length = a.count > 2 && !a[2].isNull ? a[2].toNumber.clampedInt : bytes.count
        var end = length < 0 ? start : min(bytes.count, start + min(length, bytes.count))
        func isBoundary(_ i: Int) -> Bool { i == bytes.count || bytes[i] & 0xC0 != 0x80 }
        guard isBoundary(start), isBoundary(end) else { return Args.invalid("SUBSTRING_BYTES", env) }
        var left = a.count > 3 ? max(0, a[3].toNumber.clampedInt) : 0
        while left > 0, start > 0 {
            start -= 1
            while start > 0, !isBoundary(start) { start -= 1 }
            left -= 1
        }
        var right = a.count > 4 ? max(0, a[4].toNumber.clampedInt) : 0
        while right > 0, end < bytes.count {
            end += 1
            while !isBoundary(end) { end += 1 }
            right -= 1
        }
        return .string(String(decoding: bytes[start..<end], as: UTF8.self))
    }

    static let rows: [FunctionDefinition] = [
        FunctionDefinition("CONCAT", 1, nil, signature: "CONCAT(value1, value2, ...)") { a, _ in
            var out = ""
            for v in concatParts(a) {
                switch v {
                case .null: continue
                case .string(let s): out += s
                default: out += v.toStringValue
                }
            }
            return .string(out)
        },
        FunctionDefinition("CONCAT_SEPARATOR", 2, nil, signature: "CONCAT_SEPARATOR(separator, value1, ...)") { a, _ in
            let parts = a.count == 2 && a[1].arrayValue != nil ? a[1].arrayValue! : Array(a.dropFirst())
            return .string(parts.filter { !$0.isNull }.map(str).joined(separator: str(a[0])))
        },
        FunctionDefinition("CHAR_LENGTH", 1, 1, signature: "CHAR_LENGTH(str)") { a, _ in
            .int(str(a[0]).unicodeScalars.count)
        },
        FunctionDefinition("LOWER", 1, 1, signature: "LOWER(str)") { a, _ in .string(str(a[0]).lowercased()) },
        FunctionDefinition("UPPER", 1, 1, signature: "UPPER(str)") { a, _ in .string(str(a[0]).uppercased()) },
        FunctionDefinition("SUBSTRING", 2, 3, signature: "SUBSTRING(str, offset, length)") { a, _ in
            let s = str(a[0])
            let n = s.unicodeScalars.count
            var off = a[1].toNumber.clampedInt
            if off < 0 { off = max(0, n + off) }
            // An explicit null length is 0, as ArangoDB converts it; only an absent one means "to the end".
            var len = a.count > 2 ? a[2].toNumber.clampedInt : n
            if len < 0 { len = max(0, (n - off).addingReportingOverflow(len).partialValue) }
            len = min(len, n)
            return .string(scalarSlice(s, off, len))
        },
        FunctionDefinition("SUBSTRING_BYTES", 2, 5, signature: "SUBSTRING_BYTES(str, offset, length, left, right)") {
            a, env in
            substringBytes(a, env)
        },
        FunctionDefinition("TO_CHAR", 1, 1, signature: "TO_CHAR(codepoint)") { a, env in
            guard case .number(let n) = a[0], n >= 0, n <= 0x10FFFF, n == n.rounded(), let u = Unicode.Scalar(UInt32(n))
            else {
                return Args.invalid("TO_CHAR", env)
            }
            return .string(String(Character(u)))
        },
        FunctionDefinition("LEFT", 2, 2, signature: "LEFT(str, n)") { a, _ in
            .string(scalarSlice(str(a[0]), 0, a[1].toNumber.clampedInt))
        },
        FunctionDefinition("RIGHT", 2, 2, signature: "RIGHT(str, n)") { a, _ in
            let s = str(a[0]), n = s.unicodeScalars.count, k = max(0, a[1].toNumber.clampedInt)
            return .string(scalarSlice(s, max(0, n - k), k))
        },
        FunctionDefinition("TRIM", 1, 2, signature: "TRIM(str, type|chars)") { a, _ in
            let s = str(a[0])
            if a.count > 1, let t = a[1].numberValue {
                return .string(trim(s, [" ", "\t", "\r", "\n"], left: t != 2, right: t != 1))
            }
            return .string(trim(s, trimChars(a, 1), left: true, right: true))
        },
        FunctionDefinition("LTRIM", 1, 2, signature: "LTRIM(str, chars)") { a, _ in
            .string(trim(str(a[0]), trimChars(a, 1), left: true, right: false))
        },
        FunctionDefinition("RTRIM", 1, 2, signature: "RTRIM(str, chars)") { a, _ in
            .string(trim(str(a[0]), trimChars(a, 1), left: false, right: true))
        },
        FunctionDefinition("CONTAINS", 2, 3, signature: "CONTAINS(text, search, returnIndex)") { a, _ in
            // An empty search string (null included) is found nowhere, as in ArangoDB.
            let search = str(a[1])
            let idx = search.isEmpty ? nil : indexOf(str(a[0]), search)
            if Args.optBool(a, 2) { return .int(idx ?? -1) }
            return .bool(idx != nil)
        },
        find("FIND_FIRST", last: false),
        find("FIND_LAST", last: true),
        FunctionDefinition("STARTS_WITH", 2, 4, signature: "STARTS_WITH(text, prefix | prefixes, minMatchCount)") {
            a, _ in
            if let arr = a[1].arrayValue {
                let need = a.count > 2 ? a[2].toNumber.clampedInt : 1
                let hits = arr.filter { str(a[0]).hasPrefix(str($0)) }.count
                return .bool(hits >= max(1, need))
            }
            return .bool(str(a[0]).unicodeScalars.starts(with: str(a[1]).unicodeScalars))
        },
        FunctionDefinition("SPLIT", 1, 3, signature: "SPLIT(value, separator, limit)") { a, env in
            let s = str(a[0])
            let limit = a.count > 2 && !a[2].isNull ? a[2].toNumber.clampedInt : Int.max
            // ArangoDB documents these edge cases: a negative limit gives null, 0 an empty array.
            if limit < 0 { return .null }
            var parts: [String]
            if a.count < 2 || a[1].isNull {
                parts = [s]
            } else {
                let seps = a[1].arrayValue?.map(str) ?? [str(a[1])]
                if seps.contains("") {
                    parts = s.unicodeScalars.map { String($0) }
                } else {
                    parts = []
                    var cur = ""
                    var rest = Substring(s)
                    outer: while !rest.isEmpty {
                        for sep in seps where rest.hasPrefix(sep) {
                            parts.append(cur); cur = ""; rest = rest.dropFirst(sep.count); continue outer
                        }
                        cur.append(rest.removeFirst())
                    }
                    parts.append(cur)
                }
            }
            if limit >= 0 && limit < parts.count { parts = Array(parts.prefix(limit)) }
            return .array(parts.map { .string($0) })
        },
        FunctionDefinition("SUBSTITUTE", 2, 4, signature: "SUBSTITUTE(value, search, replace, limit)") { a, _ in
            var s = str(a[0])
            var pairs: [(String, String)] = []
            if let o = a[1].objectValue {
                pairs = o.map { ($0.0, str($0.1)) }
            } else {
                let search = a[1].arrayValue?.map(str) ?? [str(a[1])]
                let repl =
                    a.count > 2 ? (a[2].arrayValue?.map(str) ?? Array(repeating: str(a[2]), count: search.count)) : []
                pairs = search.enumerated().map { ($0.element, $0.offset < repl.count ? repl[$0.offset] : "") }
            }
            let limitIndex = a[1].objectValue != nil ? 2 : 3
            var limit = a.count > limitIndex && !a[limitIndex].isNull ? a[limitIndex].toNumber.clampedInt : Int.max
            // A limit of 0 replaces nothing; a negative one does not limit.
            if limit < 0 { limit = Int.max }
            var out = ""
            var rest = Substring(s)
            var done = 0
            outer: while !rest.isEmpty {
                if done < limit {
                    for (f, r) in pairs where !f.isEmpty && rest.hasPrefix(f) {
                        out += r; rest = rest.dropFirst(f.count); done += 1; continue outer
                    }
                }
                out.append(rest.removeFirst())
            }
            s = out
            return .string(s)
        },
        FunctionDefinition("LIKE", 2, 3, signature: "LIKE(text, search, caseInsensitive)") { a, _ in
            .bool(like(str(a[0]), str(a[1]), caseInsensitive: Args.optBool(a, 2)))
        },
        FunctionDefinition("REGEX_TEST", 2, 3, signature: "REGEX_TEST(text, search, caseInsensitive)") { a, env in
            regexTest(a[0], a[1], caseInsensitive: Args.optBool(a, 2), env)
        },
        FunctionDefinition("REGEX_MATCHES", 2, 3, signature: "REGEX_MATCHES(text, regex, caseInsensitive)") { a, env in
            guard let r = regex("REGEX_MATCHES", a[1], Args.optBool(a, 2), env) else { return .null }
            let bytes = Array(str(a[0]).utf8)
            guard let m = r.match(bytes) else { return .null }
            return .array(m.map { $0.map { .string(String(decoding: bytes[$0], as: UTF8.self)) } ?? .string("") })
        },
        FunctionDefinition("REGEX_SPLIT", 2, 4, signature: "REGEX_SPLIT(text, splitExpression, caseInsensitive, limit)")
        { a, env in
            guard let r = regex("REGEX_SPLIT", a[1], Args.optBool(a, 2), env) else { return .null }
            let bytes = Array(str(a[0]).utf8)
            var out: [Value] = []
            var pos = 0, last = 0
            while pos <= bytes.count, let m = r.match(bytes, from: pos), let whole = m[0] {
                if whole.isEmpty {
                    if whole.lowerBound >= bytes.count { break }
                    pos = whole.lowerBound + 1
                    while pos < bytes.count && bytes[pos] & 0xC0 == 0x80 { pos += 1 }
                    out.append(.string(String(decoding: bytes[last..<pos], as: UTF8.self)))
                    last = pos
                    continue
                }
                out.append(.string(String(decoding: bytes[last..<whole.lowerBound], as: UTF8.self)))
                // Captured groups follow the piece they end, as ArangoDB's split returns them.
                for group in m.dropFirst() {
                    out.append(.string(group.map { String(decoding: bytes[$0], as: UTF8.self) } ?? ""))
                }
                last = whole.upperBound
                pos = whole.upperBound
            }
            out.append(.string(String(decoding: bytes[last...], as: UTF8.self)))
            if a.count > 3, !a[3].isNull { out = Array(out.prefix(max(0, a[3].toNumber.clampedInt))) }
            return .array(out)
        },
        FunctionDefinition(
            "REGEX_REPLACE", 3, 4, signature: "REGEX_REPLACE(text, search, replacement, caseInsensitive)"
        ) { a, env in
            guard let r = regex("REGEX_REPLACE", a[1], Args.optBool(a, 3), env) else { return .null }
            let bytes = Array(str(a[0]).utf8)
            let repl = Array(str(a[2]).utf8)
            var out: [UInt8] = []
            var pos = 0
            while pos <= bytes.count, let m = r.match(bytes, from: pos), let whole = m[0] {
                out.append(contentsOf: bytes[pos..<whole.lowerBound])
                var i = 0
                while i < repl.count {
                    if repl[i] == UInt8(ascii: "$"), i + 1 < repl.count, repl[i + 1] >= 0x30, repl[i + 1] <= 0x39 {
                        let g = Int(repl[i + 1] - 0x30)
                        if g < m.count, let rg = m[g] { out.append(contentsOf: bytes[rg]) }
                        i += 2
                    } else {
                        out.append(repl[i]); i += 1
                    }
                }
                if whole.isEmpty {
                    if whole.lowerBound < bytes.count { out.append(bytes[whole.lowerBound]) }
                    pos = whole.lowerBound + 1
                } else {
                    pos = whole.upperBound
                }
            }
            if pos < bytes.count { out.append(contentsOf: bytes[pos...]) }
            return .string(String(decoding: out, as: UTF8.self))
        },
        FunctionDefinition("JSON_STRINGIFY", 1, 1, signature: "JSON_STRINGIFY(value)") { a, _ in
            .string(JSONWriter.string(a[0]))
        },
        FunctionDefinition("JSON_PARSE", 1, 1, signature: "JSON_PARSE(text)") { a, env in
            guard case .string(let s) = a[0] else { return Args.invalid("JSON_PARSE", env) }
            return (try? JSONReader.parse(s)) ?? Args.invalid("JSON_PARSE", env)
        },
        FunctionDefinition("LEVENSHTEIN_DISTANCE", 2, 2, signature: "LEVENSHTEIN_DISTANCE(value1, value2)") { a, _ in
            let x = Array(str(a[0]).unicodeScalars), y = Array(str(a[1]).unicodeScalars)
            if x.isEmpty || y.isEmpty { return .int(max(x.count, y.count)) }
            var prev = Array(0...y.count), cur = [Int](repeating: 0, count: y.count + 1)
            for i in 1...x.count {
                cur[0] = i
                for j in 1...y.count {
                    cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                }
                swap(&prev, &cur)
            }
            return .int(prev[y.count])
        },
        FunctionDefinition("SOUNDEX", 1, 1, signature: "SOUNDEX(value)") { a, _ in
            let letters = str(a[0]).uppercased().unicodeScalars.filter { $0.value >= 65 && $0.value <= 90 }
            guard let first = letters.first else { return .string("") }
            func code(_ c: Unicode.Scalar) -> Character? {
                switch c {
                case "B", "F", "P", "V": "1"
                case "C", "G", "J", "K", "Q", "S", "X", "Z": "2"
                case "D", "T": "3"
                case "L": "4"
                case "M", "N": "5"
                case "R": "6"
                default: nil
                }
            }
            var out = String(Character(first))
            var last = code(first)
            for c in letters.dropFirst() {
                let k = code(c)
                if let k, k != last { out.append(k) }
                if c != "H" && c != "W" { last = k }
                if out.count == 4 { break }
            }
            while out.count < 4 { out.append("0") }
            return .string(out)
        },
        FunctionDefinition("TO_BASE64", 1, 1, signature: "TO_BASE64(value)") { a, _ in
            let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
            let bytes = Array(str(a[0]).utf8)
            var out: [UInt8] = []
            var i = 0
            while i < bytes.count {
                let n = min(3, bytes.count - i)
                var chunk: UInt32 = 0
                for k in 0..<3 { chunk = chunk << 8 | UInt32(k < n ? bytes[i + k] : 0) }
                for k in 0..<4 {
                    out.append(k <= n ? table[Int((chunk >> UInt32(18 - 6 * k)) & 63)] : UInt8(ascii: "="))
                }
                i += 3
            }
            return .string(String(decoding: out, as: UTF8.self))
        },
        FunctionDefinition("TO_HEX", 1, 1, signature: "TO_HEX(value)") { a, _ in
            .string(JSONWriter.hexString(str(a[0]).utf8))
        },
        FunctionDefinition("ENCODE_URI_COMPONENT", 1, 1, signature: "ENCODE_URI_COMPONENT(value)") { a, _ in
            let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()".utf8)
            var out = ""
            for b in str(a[0]).utf8 {
                if unreserved.contains(b) {
                    out.unicodeScalars.append(Unicode.Scalar(b))
                } else {
                    out += "%" + JSONWriter.hexString(CollectionOfOne(b)).uppercased()
                }
            }
            return .string(out)
        },
        FunctionDefinition("REPEAT", 2, 3, signature: "REPEAT(value, count, separator)") { a, _ in
            let n = a[1].toNumber.clampedInt
            guard n > 0 else { return .string("") }
            let unit = str(a[0]), sep = a.count > 2 ? str(a[2]) : ""
            if (unit.utf8.count + sep.utf8.count).multipliedReportingOverflow(by: n).partialValue > maxStringBytes
                || n > maxStringBytes
            {
                throw LocusError(.resourceLimit)
            }
            return .string(Array(repeating: unit, count: n).joined(separator: sep))
        },
    ]
}
