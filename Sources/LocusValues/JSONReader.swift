// A strict, fast UTF-8 JSON reader producing Values. Invalid input is an error carrying the
// byte offset, never a crash; nesting is bounded; \u escapes and surrogate pairs are decoded.
// It can also read only chosen top-level attributes of an object, skipping the rest, which
// is how collection scans fetch just the attributes a query uses.

import LocusErrors

/// Reads JSON text into `Value`s.
public struct JSONReader {
    /// Deepest nesting accepted before the input is rejected.
    public static let maxDepth = 200

    /// Parses one complete JSON value; trailing non-whitespace is an error.
    public static func parse(_ text: String) throws -> Value {
        var text = text
        return try text.withUTF8 { buf throws in try parse(buf) }
    }

    /// Parses one complete JSON value from UTF-8 bytes.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Value {
        var r = JSONReader(bytes)
        r.skipWhitespace()
        let v = try r.readValue(depth: 0)
        r.skipWhitespace()
        if r.pos != r.end { throw r.error("unexpected trailing content") }
        return v
    }

    /// Parses a top-level object keeping only the attributes in `wanted`.
    /// Returns nil when the text is not an object.
    public static func parseProjecting(_ bytes: UnsafeBufferPointer<UInt8>, wanted: [String]) throws -> Value {
        var r = JSONReader(bytes)
        r.skipWhitespace()
        guard r.pos < r.end, r.bytes[r.pos] == UInt8(ascii: "{") else { return try parse(bytes) }
        if wanted.isEmpty { return .object(Object()) }
        r.pos += 1
        var obj = Object(minimumCapacity: wanted.count)
        r.skipWhitespace()
        if r.peek == UInt8(ascii: "}") { return .object(obj) }
        while true {
            r.skipWhitespace()
            guard r.peek == UInt8(ascii: "\"") else { throw r.error("expected attribute name") }
            let key = try r.readString()
            r.skipWhitespace()
            guard r.peek == UInt8(ascii: ":") else { throw r.error("expected ':'") }
            r.pos += 1
            r.skipWhitespace()
            if wanted.contains(key) {
                obj.appendUnique(key, try r.readValue(depth: 1))
                if obj.count == wanted.count { return .object(obj) }
            } else {
                try r.skipValue(depth: 1)
            }
            r.skipWhitespace()
            let c = r.peek
            r.pos += 1
            if c == UInt8(ascii: "}") { break }
            if c != UInt8(ascii: ",") { throw r.error("expected ',' or '}'") }
        }
        return .object(obj)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var pos = 0
    let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.end = bytes.count
    }

    var peek: UInt8 { pos < end ? bytes[pos] : 0 }

    func error(_ what: String) -> LocusError {
        LocusError(.corruptedJSON, "\(what) at offset \(pos)")
    }

    mutating func skipWhitespace() {
        while pos < end {
            let c = bytes[pos]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { break }
        }
    }

    mutating func readValue(depth: Int) throws -> Value {
        if depth > JSONReader.maxDepth { throw error("nesting too deep") }
        guard pos < end else { throw error("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            pos += 1
            var obj = Object()
            skipWhitespace()
            if peek == UInt8(ascii: "}") { pos += 1; return .object(obj) }
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw error("expected attribute name") }
                let key = try readString()
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw error("expected ':'") }
                pos += 1
                skipWhitespace()
                let v = try readValue(depth: depth + 1)
                obj[key] = v  // a repeated name keeps the last value, as ArangoDB does
                skipWhitespace()
                let c = peek
                pos += 1
                if c == UInt8(ascii: "}") { return .object(obj) }
                if c != UInt8(ascii: ",") { pos -= 1; throw error("expected ',' or '}'") }
            }
        case UInt8(ascii: "["):
            pos += 1
            var arr: [Value] = []
            skipWhitespace()
            if peek == UInt8(ascii: "]") { pos += 1; return .array(arr) }
            while true {
                skipWhitespace()
                arr.append(try readValue(depth: depth + 1))
                skipWhitespace()
                let c = peek
                pos += 1
                if c == UInt8(ascii: "]") { return .array(arr) }
                if c != UInt8(ascii: ",") { pos -= 1; throw error("expected ',' or ']'") }
            }
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumber())
        default:
            throw error("unexpected character")
        }
    }

    mutating func skipValue(depth: Int) throws {
        if depth > JSONReader.maxDepth { throw error("nesting too deep") }
        guard pos < end else { throw error("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "\""):
            pos += 1
            while pos < end {
                let c = bytes[pos]
                if c == UInt8(ascii: "\"") { pos += 1; return }
                if c == UInt8(ascii: "\\") { pos += 2 } else if c < 0x20 { throw error("control character in string") } else { pos += 1 }
            }
            throw error("unterminated string")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            _ = try readValue(depth: depth)
        default:
            _ = try readValue(depth: depth)
        }
    }

    mutating func expectWord(_ w: StaticString) throws {
        let n = w.utf8CodeUnitCount
        guard pos + n <= end else { throw error("unexpected end of input") }
        let p = w.utf8Start
        for i in 0..<n where bytes[pos + i] != p[i] { throw error("invalid literal") }
        pos += n
    }

    mutating func readNumber() throws -> Double {
        let start = pos
        var negative = false
        if peek == UInt8(ascii: "-") { negative = true; pos += 1 }
        guard pos < end, bytes[pos] >= 0x30, bytes[pos] <= 0x39 else { throw error("invalid number") }
        var intPart: UInt64 = 0
        var digits = 0
        if bytes[pos] == 0x30 {
            pos += 1
            if pos < end, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { throw error("leading zero in number") }
            digits = 1
        } else {
            while pos < end, bytes[pos] >= 0x30, bytes[pos] <= 0x39 {
                if digits < 18 { intPart = intPart &* 10 &+ UInt64(bytes[pos] - 0x30) }
                digits += 1
                pos += 1
            }
        }
        var simple = digits <= 15
        if pos < end, bytes[pos] == UInt8(ascii: ".") {
            simple = false
            pos += 1
            guard pos < end, bytes[pos] >= 0x30, bytes[pos] <= 0x39 else { throw error("invalid number") }
            while pos < end, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
        }
        if pos < end, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            simple = false
            pos += 1
            if pos < end, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < end, bytes[pos] >= 0x30, bytes[pos] <= 0x39 else { throw error("invalid number") }
            while pos < end, bytes[pos] >= 0x30, bytes[pos] <= 0x39 { pos += 1 }
        }
        if simple {
            let d = Double(intPart)
            return negative ? -d : d
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        guard let d = Double(text) else { throw error("invalid number") }
        return d.isFinite ? d : (d > 0 ? Double.greatestFiniteMagnitude : -Double.greatestFiniteMagnitude)
    }

    mutating func readHex4() throws -> UInt32 {
        guard pos + 4 <= end else { throw error("invalid unicode escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("invalid unicode escape")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    mutating func readString() throws -> String {
        pos += 1  // opening quote
        let start = pos
        // Fast path: no escapes.
        while pos < end {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                let s = UnsafeBufferPointer(rebasing: bytes[start..<pos])
                pos += 1
                guard let str = String(validating: s, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
                return str
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw error("control character in string") }
            pos += 1
        }
        var out: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < end {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                guard let str = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
                return str
            }
            if c < 0x20 { throw error("control character in string") }
            if c != UInt8(ascii: "\\") { out.append(c); pos += 1; continue }
            pos += 1
            guard pos < end else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard pos + 6 <= end, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate")
                    }
                    pos += 2
                    let low = try readHex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw error("invalid surrogate pair") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw error("unpaired surrogate")
                }
                guard let u = Unicode.Scalar(scalar) else { throw error("invalid unicode escape") }
                out.append(contentsOf: UTF8.encode(u)!)
            default:
                pos -= 1
                throw error("invalid escape sequence")
            }
        }
        throw error("unterminated string")
    }
}
