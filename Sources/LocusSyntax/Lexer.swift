// Turns query text into tokens: names, quoted names, keywords, numbers (decimal, .5, 0x, 0b),
// strings with JSON escapes, bind parameters, comments and operators. Errors are 1501 with
// line and column.

import LocusErrors

/// The C8QL lexer.
public struct Lexer {
    let bytes: [UInt8]
    var pos = 0
    var line = 1
    var lineStart = 0

    public init(_ text: String) { bytes = Array(text.utf8) }

    /// All tokens, ending with `.end`.
    public static func tokenize(_ text: String) throws -> [Token] {
        var lx = Lexer(text)
        var out: [Token] = []
        // A typical query has about one token in three bytes; room for one in two means the
        // array rarely grows.
        out.reserveCapacity(lx.bytes.count / 2 + 2)
        while true {
            let t = try lx.next()
            let isEnd = t.kind == .end
            out.append(t)
            if isEnd { return out }
        }
    }

    var position: SourcePosition { SourcePosition(line: line, column: pos - lineStart + 1, offset: pos) }

    func fail(_ problem: SyntaxProblem, at p: SourcePosition) -> LocusError {
        LocusError.syntax(problem, at: p)
    }

    func peek(_ k: Int = 0) -> UInt8 { pos + k < bytes.count ? bytes[pos + k] : 0 }

    mutating func advance() {
        if bytes[pos] == 0x0A { line += 1; lineStart = pos + 1 }
        pos += 1
    }

    mutating func skipTrivia() throws {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0xA0 {
                advance()
            } else if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/") {
                while pos < bytes.count && bytes[pos] != 0x0A { pos += 1 }
            } else if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let start = position
                pos += 2
                while true {
                    if pos >= bytes.count {
                        throw fail(.unterminated("multi-line comment"), at: start)
                    }
                    if bytes[pos] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") { pos += 2; break }
                    advance()
                }
            } else {
                return
            }
        }
    }

    static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_") || c == UInt8(ascii: "$")
    }
    static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) }
    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    static let punctuators: [String] = [
        "...", "..", "==", "!=", "<=", ">=", "&&", "||", "=~", "!~", "::", "?", ":", "(", ")", "[", "]",
        "{", "}", ",", ".", "+", "-", "*", "/", "%", "<", ">", "=", "!",
    ]
    /// The punctuators as bytes, by their first byte, longest first (as `punctuators` lists
    /// them), computed once: a punctuator is matched against the few that start like it.
    static let punctuatorsByFirstByte: [[(text: String, bytes: [UInt8])]] = {
        var table = [[(text: String, bytes: [UInt8])]](repeating: [], count: 256)
        for p in punctuators {
            let bytes = Array(p.utf8)
            table[Int(bytes[0])].append((p, bytes))
        }
        return table
    }()

    /// The byte offset at which the next token's reading starts.
    public var offset: Int { pos }

    /// Steps over the character at `offset`, which `next()` refused, so that reading can go on
    /// past it (a reader that only wants the text's structure, such as the shell's statement
    /// splitter, does so).
    public mutating func skipCharacter() {
        guard pos < bytes.count else { return }
        advance()
        while pos < bytes.count && bytes[pos] & 0xC0 == 0x80 { pos += 1 }
    }

    /// The next token: `.end` once the text is used up, and again on every call after that.
    public mutating func next() throws -> Token {
        try skipTrivia()
        let start = position
        guard pos < bytes.count else { return Token(kind: .end, position: start, text: "") }
        let c = bytes[pos]
        let startPos = pos
        func text(_ from: Int) -> String { String(decoding: bytes[from..<pos], as: UTF8.self) }

        if Lexer.isNameStart(c) {
            while pos < bytes.count && Lexer.isNameChar(bytes[pos]) { pos += 1 }
            let name = bytes[startPos..<pos]
            let word = text(startPos)
            // A name of `_` and `$` only is refused (a lone `$` among them).
            if name.allSatisfy({ $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "$") }) {
                throw fail(.unexpectedName(word), at: start)
            }
            if let k = Keyword.reserved(ascii: name) { return Token(kind: .keyword(k), position: start, text: word) }
            return Token(kind: .name(word), position: start, text: word)
        }
        if Lexer.isDigit(c)
            || (c == UInt8(ascii: ".") && Lexer.isDigit(peek(1))
                && !(startPos > 0 && bytes[startPos - 1] == UInt8(ascii: ".")))
        {
            return try lexNumber(start)
        }
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let s = try lexQuoted(quote: c, start: start, what: "string literal")
            return Token(kind: .string(s), position: start, text: text(startPos))
        case UInt8(ascii: "`"):
            let s = try lexQuoted(quote: c, start: start, what: "identifier")
            return Token(kind: .quotedName(s), position: start, text: text(startPos))
        case 0xC2 where peek(1) == 0xB4:  // ´forward tick´
            pos += 1
            let s = try lexQuoted(quote: 0xB4, start: start, what: "identifier", prefix: 0xC2)
            return Token(kind: .quotedName(s), position: start, text: text(startPos))
        case UInt8(ascii: "@"):
            pos += 1
            let isCollection = peek() == UInt8(ascii: "@")
            if isCollection { pos += 1 }
            let nameStart = pos
            while pos < bytes.count && Lexer.isNameChar(bytes[pos]) && bytes[pos] != UInt8(ascii: "$") { pos += 1 }
            let name = String(decoding: bytes[nameStart..<pos], as: UTF8.self)
            if name.isEmpty || name.allSatisfy({ $0 == "_" }) {
                throw fail(.invalidBindParameterName, at: start)
            }
            return Token(
                kind: isCollection ? .bindCollection(name) : .bindValue(name), position: start, text: text(startPos))
        default:
            for (p, u) in Lexer.punctuatorsByFirstByte[Int(c)] where pos + u.count <= bytes.count {
                var match = true
                for k in 0..<u.count where bytes[pos + k] != u[k] { match = false; break }
                if match {
                    pos += u.count
                    return Token(kind: .punct(p), position: start, text: p)
                }
            }
            // Report the whole offending character, not a byte of it.
            var end = pos + 1
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
            let ch = String(decoding: bytes[pos..<end], as: UTF8.self)
            throw fail(.unexpectedCharacter(ch), at: start)
        }
    }

    mutating func lexQuoted(quote: UInt8, start: SourcePosition, what: String, prefix: UInt8? = nil) throws -> String {
        pos += 1
        var out: [UInt8] = []
        while true {
            guard pos < bytes.count else {
                throw fail(.unterminated(what), at: start)
            }
            let c = bytes[pos]
            if let prefix, c == prefix, peek(1) == quote { pos += 2; break }
            if prefix == nil && c == quote { pos += 1; break }
            if c == UInt8(ascii: "\\") && pos + 1 < bytes.count {
                pos += 1
                let e = bytes[pos]
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var v: UInt32 = 0
                    var ok = pos + 4 < bytes.count
                    if ok {
                        for i in 1...4 {
                            guard let d = Lexer.hexValue(bytes[pos + i]) else { ok = false; break }
                            v = v << 4 | d
                        }
                    }
                    if !ok { out.append(UInt8(ascii: "u")); pos += 1; continue }
                    pos += 4
                    if v >= 0xD800 && v < 0xDC00, pos + 6 < bytes.count, bytes[pos + 1] == UInt8(ascii: "\\"),
                        bytes[pos + 2] == UInt8(ascii: "u")
                    {
                        var low: UInt32 = 0
                        var lowOK = true
                        for i in 3...6 {
                            guard let d = Lexer.hexValue(bytes[pos + i]) else { lowOK = false; break }
                            low = low << 4 | d
                        }
                        if lowOK && low >= 0xDC00 && low < 0xE000 {
                            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                            pos += 6
                        }
                    }
                    out.append(contentsOf: UTF8.encode(Unicode.Scalar(v) ?? "\u{FFFD}")!)
                default: out.append(e)
                }
                pos += 1
                continue
            }
            out.append(c)
            advance()
        }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw fail(.invalidUTF8(what), at: start)
        }
        return s
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: UInt32(c - 0x30)
        case 0x41...0x46: UInt32(c - 0x41 + 10)
        case 0x61...0x66: UInt32(c - 0x61 + 10)
        default: nil
        }
    }

    mutating func lexNumber(_ start: SourcePosition) throws -> Token {
        let startPos = pos
        if bytes[pos] == UInt8(ascii: "0")
            && (peek(1) | 0x20 == UInt8(ascii: "x") || peek(1) | 0x20 == UInt8(ascii: "b"))
        {
            let radix: UInt64 = peek(1) | 0x20 == UInt8(ascii: "x") ? 16 : 2
            pos += 2
            var v: UInt64 = 0
            let digitsStart = pos
            while pos < bytes.count, let d = Lexer.hexValue(bytes[pos]), UInt64(d) < radix {
                v = v &* radix &+ UInt64(d)
                pos += 1
                if v > UInt64(UInt32.max) { throw fail(.numberOutOfRange, at: start) }
            }
            if pos == digitsStart || (pos < bytes.count && Lexer.isNameChar(bytes[pos])) {
                throw fail(.invalidNumberLiteral(nil), at: start)
            }
            return Token(
                kind: .number(Double(v)), position: start, text: String(decoding: bytes[startPos..<pos], as: UTF8.self))
        }
        while pos < bytes.count && Lexer.isDigit(bytes[pos]) { pos += 1 }
        let intDigits = pos - startPos
        if peek() == UInt8(ascii: ".") && Lexer.isDigit(peek(1)) {
            pos += 1
            while pos < bytes.count && Lexer.isDigit(bytes[pos]) { pos += 1 }
        }
        if peek() | 0x20 == UInt8(ascii: "e") {
            var k = 1
            if peek(k) == UInt8(ascii: "+") || peek(k) == UInt8(ascii: "-") { k += 1 }
            if Lexer.isDigit(peek(k)) {
                pos += k
                while pos < bytes.count && Lexer.isDigit(bytes[pos]) { pos += 1 }
            }
        }
        let text = String(decoding: bytes[startPos..<pos], as: UTF8.self)
        // AQL rejects leading zeros such as 01 or 00.5.
        if intDigits > 1 && bytes[startPos] == UInt8(ascii: "0") {
            throw fail(.invalidNumberLiteral(text), at: start)
        }
        if pos < bytes.count && Lexer.isNameStart(bytes[pos]) {
            throw fail(.invalidNumberLiteral(text), at: start)
        }
        guard let d = Double(text) else { throw fail(.invalidNumber(text), at: start) }
        return Token(kind: .number(d), position: start, text: text)
    }
}
