// A strict, fast UTF-8 JSON reader producing Values. Invalid input is an error carrying the
// byte offset, never a crash; nesting is bounded; \u escapes and surrogate pairs are decoded.
// It can also read only chosen top-level attributes of an object, skipping the rest, which
// is how collection scans fetch just the attributes a query uses.

#if canImport(Glibc)
import Glibc
#endif
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

    /// Parses JSON that this engine wrote from a `Value` (a stored document): its attribute
    /// names are unique by construction, so they are not checked against each other, which
    /// otherwise costs a comparison with every earlier name of the object.
    public static func parseStored(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Value {
        var r = JSONReader(bytes, uniqueNames: true)
        r.skipWhitespace()
        let v = try r.readValue(depth: 0)
        r.skipWhitespace()
        if r.pos != r.end { throw r.error("unexpected trailing content") }
        return v
    }

    /// Parses a top-level object keeping only the attributes in `wanted`.
    public static func parseProjecting(_ bytes: UnsafeBufferPointer<UInt8>, wanted: [String]) throws -> Value {
        try JSONProjection(wanted).parse(bytes)
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var pos = 0
    let end: Int
    /// Whether the input's attribute names are known to be unique within each object.
    let uniqueNames: Bool

    init(_ bytes: UnsafeBufferPointer<UInt8>, uniqueNames: Bool = false) {
        self.bytes = bytes
        self.end = bytes.count
        self.uniqueNames = uniqueNames
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
            skipWhitespace()
            if peek == UInt8(ascii: "}") { pos += 1; return .object(Object()) }
            // Room for four members at once: grown from nothing, both arrays are reallocated at
            // one, two and four members. (Room for eight measured 1% faster on 22-attribute
            // profiles and slower on small documents, at twice the memory for small objects.)
            var obj = Object(minimumCapacity: 4)
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\"") else { throw error("expected attribute name") }
                let key = try readString()
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw error("expected ':'") }
                pos += 1
                skipWhitespace()
                let v = try readValue(depth: depth + 1)
                if uniqueNames {
                    obj.appendUnique(key, v)
                } else {
                    obj[key] = v  // a repeated name keeps the last value, as ArangoDB does
                }
                skipWhitespace()
                let c = peek
                pos += 1
                if c == UInt8(ascii: "}") { return .object(obj) }
                if c != UInt8(ascii: ",") { pos -= 1; throw error("expected ',' or '}'") }
            }
        case UInt8(ascii: "["):
            pos += 1
            skipWhitespace()
            if peek == UInt8(ascii: "]") { pos += 1; return .array([]) }
            var arr: [Value] = []
            arr.reserveCapacity(4)  // as for objects
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

    /// Steps over one value without building it. Only used on stored documents, which Locus
    /// wrote itself, so it checks structure but not every byte.
    mutating func skipValue(depth: Int) throws {
        guard pos < end else { throw error("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var nesting = 0
            while pos < end {
                let c = bytes[pos]
                if c == UInt8(ascii: "\"") { try skipString(); continue }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    nesting += 1
                    if depth + nesting > JSONReader.maxDepth { throw error("nesting too deep") }
                } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    nesting -= 1
                    if nesting == 0 { pos += 1; return }
                }
                pos += 1
            }
            throw error("unexpected end of input")
        default:
            _ = try readValue(depth: depth)
        }
    }

    mutating func skipString() throws {
        pos += 1
        guard let base = bytes.baseAddress else { throw error("unterminated string") }
        while pos < end {
            // memchr finds the next quote quickly; a quote preceded by an odd run of
            // backslashes is escaped and the search goes on.
            guard let hit = memchr(base + pos, Int32(UInt8(ascii: "\"")), end - pos) else { break }
            let q = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            var backslashes = 0
            while q - 1 - backslashes >= pos && base[q - 1 - backslashes] == UInt8(ascii: "\\") { backslashes += 1 }
            pos = q + 1
            if backslashes % 2 == 0 { return }
        }
        pos = end
        throw error("unterminated string")
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
        let d = JSONReader.parseDouble(UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        // ArangoDB's parser (VelocyPack) refuses what no double holds, such as 1e400.
        guard d.isFinite else { throw error("number out of range") }
        return d
    }

    static let powersOfTen: [Double] = (0...22).map {
        var p = 1.0; for _ in 0..<$0 { p *= 10 }; return p
    }

    /// A syntactically valid JSON number's value. Plain decimals with at most 15 significant
    /// digits take Clinger's fast path (one exact division, correctly rounded); anything else
    /// goes to strtod on a stack copy, never through a String.
    static func parseDouble(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var negative = false
        var fast = text.count <= 32
        var seenPoint = false
        if fast {
            for c in text {
                switch c {
                case UInt8(ascii: "-"): negative = true
                case UInt8(ascii: "."): seenPoint = true
                case 0x30...0x39:
                    if mantissa > 0 || c != 0x30 { digits += 1 }
                    mantissa = mantissa &* 10 &+ UInt64(c - 0x30)
                    if seenPoint { fraction += 1 }
                default: fast = false
                }
                if !fast { break }
            }
        }
        if fast && digits <= 15 && fraction <= 22 {
            let v = Double(mantissa) / powersOfTen[fraction]
            return negative ? -v : v
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buf in
            for (i, c) in text.enumerated() { buf[i] = CChar(bitPattern: c) }
            buf[text.count] = 0
            return strtod(buf.baseAddress!, nil)
        }
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

    /// A String from UTF-8 bytes: ASCII takes the fast path; anything else is validated.
    static func makeString(_ s: UnsafeBufferPointer<UInt8>, _ r: JSONReader) throws -> String {
        var ascii = true
        for b in s where b >= 0x80 { ascii = false; break }
        return try makeString(s, ascii: ascii, r)
    }

    /// A String from UTF-8 bytes already known to be ASCII or not.
    static func makeString(_ s: UnsafeBufferPointer<UInt8>, ascii: Bool, _ r: JSONReader) throws -> String {
        if ascii { return String(decoding: s, as: UTF8.self) }
        guard let str = String(validating: s, as: UTF8.self) else { throw r.error("invalid UTF-8 in string") }
        return str
    }

    private static let everyByte: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether any of the eight bytes in `w` ends or interrupts a plain string run: a quote, a
    /// backslash or a control byte (below 0x20). Exact: the tests flag a byte only when one is.
    @inline(__always)
    static func interruptsString(_ w: UInt64) -> Bool {
        func anyZero(_ v: UInt64) -> Bool { (v &- everyByte) & ~v & highBits != 0 }
        let control = (w &- everyByte &* 0x20) & ~w & highBits != 0
        return control || anyZero(w ^ (everyByte &* 0x22)) || anyZero(w ^ (everyByte &* 0x5C))
    }

    mutating func readString() throws -> String {
        pos += 1  // opening quote
        let start = pos
        // Fast path: no escapes. Eight bytes at a time while none ends or interrupts the run,
        // noting on the way whether any is outside ASCII (which then needs validating).
        var seen: UInt64 = 0
        if let base = bytes.baseAddress {
            while pos + 8 <= end {
                let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
                if JSONReader.interruptsString(w) { break }
                seen |= w
                pos += 8
            }
        }
        var last: UInt8 = 0
        while pos < end {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                let s = UnsafeBufferPointer(rebasing: bytes[start..<pos])
                pos += 1
                return try JSONReader.makeString(s, ascii: seen & JSONReader.highBits == 0 && last < 0x80, self)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw error("control character in string") }
            last |= c
            pos += 1
        }
        var out: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < end {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                return try out.withUnsafeBufferPointer { try JSONReader.makeString($0, self) }
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
