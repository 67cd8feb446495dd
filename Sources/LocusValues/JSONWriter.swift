// Writes Values as compact JSON text. Numbers print as ArangoDB prints them: integral values
// without a fraction, others in their shortest round-trip form; NaN and infinities never
// appear (a Value cannot hold them). Strings are escaped as JSON requires. Arrays and objects
// are written through a `ByteSink` (on the stack while they fit) rather than appended to the
// caller's array piece by piece, and reach it in one copy.

/// Serialises `Value`s to JSON.
public enum JSONWriter {
    /// Compact JSON for one value.
    public static func string(_ v: Value) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(v, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact JSON of `v` to a byte buffer.
    public static func write(_ v: Value, into out: inout [UInt8]) {
        switch v {
        case .array, .object:
            // Containers are written through a sink, on the stack unless they outgrow it, and
            // copied once.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { scratch in
                var sink = ByteSink(scratch: scratch)
                write(v, into: &sink)
                out.append(contentsOf: sink.bytes)
            }
        default: writeScalar(v, into: &out)
        }
    }

    /// Appends the compact JSON of `v` to a sink.
    static func write(_ v: Value, into out: inout ByteSink) {
        switch v {
        case .null:
            out.reserve(4)
            out.appendReserved(0x6E)  // n
            out.appendReserved(0x75)  // u
            out.appendReserved(0x6C)  // l
            out.appendReserved(0x6C)  // l
        case .bool(true):
            out.reserve(4)
            out.appendReserved(0x74)  // t
            out.appendReserved(0x72)  // r
            out.appendReserved(0x75)  // u
            out.appendReserved(0x65)  // e
        case .bool(false):
            out.reserve(5)
            out.appendReserved(0x66)  // f
            out.appendReserved(0x61)  // a
            out.appendReserved(0x6C)  // l
            out.appendReserved(0x73)  // s
            out.appendReserved(0x65)  // e
        case .number(let n):
            if let i = integer(n) {
                withDigits(of: i) { out.append($0) }
            } else {
                var text = formatNumber(n)
                text.withUTF8 { out.append($0) }
            }
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for i in a.indices {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(a[i], into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            let keys = o.keys, values = o.values
            for i in keys.indices {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(keys[i], into: &out)
                out.append(UInt8(ascii: ":"))
                write(values[i], into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends the JSON of a value that is not a container.
    static func writeScalar(_ v: Value, into out: inout [UInt8]) {
        switch v {
        // Literals byte by byte: appending a constant array costs a call, a retain and a
        // lazy global's check, several times the bytes' own cost.
        case .null: appendBytes(0x6E, 0x75, 0x6C, 0x6C, into: &out)  // null
        case .bool(true): appendBytes(0x74, 0x72, 0x75, 0x65, into: &out)  // true
        case .bool(false):
            appendBytes(0x66, 0x61, 0x6C, 0x73, into: &out)  // fals
            out.append(0x65)  // e
        case .number(let n):
            if let i = integer(n) {
                appendInteger(i, into: &out)
            } else {
                out.append(contentsOf: formatNumber(n).utf8)
            }
        case .string(let s): writeString(s, into: &out)
        case .array, .object: write(v, into: &out)
        }
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `n` as the integer it is printed as: an integral value below 9e15 (larger ones follow
    /// `formatNumber`'s general rules).
    @inline(__always)
    static func integer(_ n: Double) -> Int64? {
        n == n.rounded(.towardZero) && abs(n) < 9.0e15 ? Int64(n) : nil
    }

    @inline(__always)
    static func appendBytes(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, into out: inout [UInt8]) {
        out.append(a)
        out.append(b)
        out.append(c)
        out.append(d)
    }

    /// `bytes` as lower-case hexadecimal, two digits per byte.
    public static func hexString<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        if let s = bytes.withContiguousStorageIfAvailable({ hexString(UnsafeRawBufferPointer($0)) }) { return s }
        return Array(bytes).withUnsafeBytes { hexString($0) }
    }

    /// `bytes` as lower-case hexadecimal, two digits per byte, without going through a generic
    /// sequence (which, unspecialised across modules, costs hundreds of instructions a byte).
    public static func hexString(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = hex[Int(b >> 4)]
                out[2 * i + 1] = hex[Int(b & 15)]
            }
            return bytes.count * 2
        }
    }

    /// Appends the decimal digits of `v` without building a String.
    static func appendInteger(_ v: Int64, into out: inout [UInt8]) {
        if (0..<10).contains(v) { out.append(UInt8(ascii: "0") + UInt8(v)); return }
        // Byte by byte: a short number's bulk append into an array costs more than its digits.
        withDigits(of: v) { for d in $0 { out.append(d) } }
    }

    /// Calls `body` with the decimal text of `v`, written backwards on the stack.
    @inline(__always)
    static func withDigits(of v: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { digits in
            var m = v.magnitude
            var i = digits.count
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            } while m > 0
            if v < 0 {
                i -= 1
                digits[i] = UInt8(ascii: "-")
            }
            body(UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }

    /// Whether a byte needs escaping inside a JSON string: a quote, a backslash, a control byte.
    @inline(__always)
    static func needsEscape(_ c: UInt8) -> Bool { c < 0x20 || c == 0x22 || c == 0x5C }

    /// Appends a quoted, escaped JSON string. Most strings need no escape: they are checked
    /// eight bytes at a time (the bytes that interrupt a string when reading are the ones that
    /// need escaping when writing) and appended whole.
    public static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buf in
            let plain = plainPrefix(buf)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[..<plain]))
            guard plain < buf.count else { return }
            var runStart = plain
            for i in plain..<buf.count where needsEscape(buf[i]) {
                let c = buf[i]
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i]))
                out.append(0x5C)
                switch c {
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default: out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
                }
                runStart = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<buf.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// How many bytes at the start of `buf` need no escape.
    @inline(__always)
    static func plainPrefix(_ buf: UnsafeBufferPointer<UInt8>) -> Int {
        var plain = 0
        if let base = buf.baseAddress {
            while plain + 8 <= buf.count,
                !JSONReader.interruptsString(UnsafeRawPointer(base + plain).loadUnaligned(as: UInt64.self))
            {
                plain += 8
            }
        }
        while plain < buf.count && !needsEscape(buf[plain]) { plain += 1 }
        return plain
    }

    /// `writeString` into a sink. A string with something to escape (rare) is escaped by the
    /// array writer and copied.
    static func writeString(_ s: String, into out: inout ByteSink) {
        let written = s.utf8.withContiguousStorageIfAvailable { buf -> Bool in
            guard plainPrefix(buf) == buf.count else { return false }
            out.reserve(buf.count + 2)
            out.appendReserved(UInt8(ascii: "\""))
            out.append(buf)
            out.appendReserved(UInt8(ascii: "\""))
            return true
        }
        if written == true { return }
        var escaped: [UInt8] = []
        writeString(s, into: &escaped)
        escaped.withUnsafeBufferPointer { out.append($0) }
    }

    /// The text of a number as AQL prints it: JavaScript's Number#toString rules over the
    /// shortest round-trip digits (plain notation from 1e-6 up to 1e21, exponent otherwise).
    public static func formatNumber(_ n: Double) -> String {
        guard n.isFinite else { return "null" }
        if n == 0 { return "0" }
        if let i = integer(n) { return String(i) }
        // Swift and JavaScript both print the shortest round-trip digits; where Swift uses plain
        // notation the texts agree, so only exponent forms need rewriting.
        var plain = n.description
        // Read as bytes: Sequence.contains and hasSuffix on a String cost hundreds of instructions.
        let (exponentForm, pointZero) = plain.withUTF8 { b in
            (
                b.contains(UInt8(ascii: "e")),
                b.count > 2 && b[b.count - 2] == UInt8(ascii: ".") && b[b.count - 1] == 0x30
            )
        }
        if !exponentForm { return pointZero ? String(plain.dropLast(2)) : plain }
        var text = abs(n).description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var intPart = text
        var fracPart = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            fracPart = String(text[text.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var point = intPart.count + exponent  // digits before the decimal point
        let leading = digits.prefix { $0 == "0" }.count
        digits.removeFirst(leading)
        point -= leading
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.isEmpty { return "0" }
        let k = digits.count
        var out = n < 0 ? "-" : ""
        if k <= point && point <= 21 {
            out += digits + String(repeating: "0", count: point - k)
        } else if 0 < point && point <= 21 {
            out += String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        } else if -6 < point && point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + digits
        } else {
            let e = point - 1
            out +=
                String(digits.prefix(1)) + (k > 1 ? "." + String(digits.dropFirst()) : "") + "e" + (e < 0 ? "-" : "+")
                + String(abs(e))
        }
        return out
    }

    /// Indented JSON for people to read.
    public static func pretty(_ v: Value, indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch v {
        case .array(let a) where !a.isEmpty:
            return "[\n" + a.map { inner + pretty($0, indent: indent + 1) }.joined(separator: ",\n") + "\n" + pad + "]"
        case .object(let o) where !o.isEmpty:
            return "{\n"
                + o.map { (k, e) in inner + string(.string(k)) + ": " + pretty(e, indent: indent + 1) }
                .joined(separator: ",\n") + "\n" + pad + "}"
        default:
            return string(v)
        }
    }
}

extension Value: CustomStringConvertible {
    /// The value as compact JSON.
    public var description: String { JSONWriter.string(self) }
}
