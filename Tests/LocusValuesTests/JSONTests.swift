// JSON reader and writer: strictness with offsets, escapes and surrogates, number printing,
// and the write-then-read identity over generated values.

import LocusTestSupport
import Testing
import LocusErrors
@testable import LocusValues

@Suite struct JSONTests {
    @Test func readsAndWritesCompactJSON() throws {
        let text = #"{"a":1,"b":[true,false,null],"c":"x\ny","d":{"e":-2.5}}"#
        let v = try JSONReader.parse(text)
        #expect(JSONWriter.string(v) == text)
    }

    @Test func keepsAttributeOrder() throws {
        let v = try JSONReader.parse(#"{"z":1,"a":2,"m":3}"#)
        #expect(v.objectValue?.keys == ["z", "a", "m"])
    }

    @Test(arguments: [
        ("{", 1), ("[1,]", 3), ("01", 1), ("\"abc", 4), ("tru", 0), ("{\"a\" 1}", 5),
        ("1 2", 2), ("\"\\x\"", 2), ("\"\\ud800\"", 7), ("[1.]", 3), ("", 0), ("[1e400]", 6), ("-1e999999", 9),
    ])
    func rejectsInvalidJSONWithOffset(_ text: String, _ offset: Int) {
        #expect {
            _ = try JSONReader.parse(text)
        } throws: { e in
            guard let e = e as? LocusError else { return false }
            return e.code == .corruptedJSON && e.message.hasSuffix("offset \(offset)")
        }
    }

    @Test func decodesSurrogatePairsAndEscapes() throws {
        let v = try JSONReader.parse(#""\ud83d\ude00 \u00e9 \/ \t""#)
        #expect(v == .string("😀 é / \t"))
        #expect(JSONWriter.string(.string("a\"b\\c\u{1}")) == #""a\"b\\c\u0001""#)
    }

    @Test func rejectsTooDeepNesting() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: LocusError.self) { try JSONReader.parse(deep) }
    }

    @Test func printsNumbersAsArangoDB() {
        #expect(JSONWriter.formatNumber(1) == "1")
        #expect(JSONWriter.formatNumber(-0.0) == "0")
        #expect(JSONWriter.formatNumber(2.5) == "2.5")
        #expect(JSONWriter.formatNumber(0.1 + 0.2) == "0.30000000000000004")
        #expect(JSONWriter.formatNumber(0.0000002) == "2e-7")
        #expect(JSONWriter.formatNumber(1e300) == "1e+300")
        #expect(JSONWriter.formatNumber(1e20) == "100000000000000000000")
        #expect(JSONWriter.formatNumber(1e21) == "1e+21")
        #expect(JSONWriter.formatNumber(1152921504606846976) == "1152921504606847000")
        #expect(JSONWriter.formatNumber(0.000001) == "0.000001")
        #expect(JSONWriter.formatNumber(-1.5e-7) == "-1.5e-7")
        #expect(JSONWriter.formatNumber(123.456) == "123.456")
        #expect(JSONWriter.formatNumber(-0.5) == "-0.5")
        #expect(JSONWriter.formatNumber(9007199254740992) == "9007199254740992")
        // Integral values from 9e15 on are not written as integers: Swift's text, without ".0".
        #expect(JSONWriter.formatNumber(9e15) == "9000000000000000")
        #expect(JSONWriter.formatNumber(-9.5e15) == "-9500000000000000")
        #expect(JSONWriter.formatNumber(1e16) == "10000000000000000")
        #expect(JSONWriter.string(.array([.number(9e15), .number(1e16)])) == "[9000000000000000,10000000000000000]")
        #expect(Value.num(.nan) == .null)
    }

    @Test func projectingReaderKeepsOnlyWantedAttributes() throws {
        var text = #"{"a":1,"big":{"x":[1,2,{"y":"}"}]},"b":"two","c":3}"#
        let v = try text.withUTF8 { try JSONReader.parseProjecting($0, wanted: ["b", "a"]) }
        #expect(JSONWriter.string(v) == #"{"a":1,"b":"two"}"#)
    }

    @Test func numbersParseExactlyAsSwiftDoes() throws {
        var rng = SeededGenerator(seed: 11)
        var texts = [
            "0.1", "0.30000000000000004", "-0.0", "1e-7", "123456789012345.6", "0.000001234", "1.7976931348623157e308",
            "5e-324", "100.0", "-42.4200", "0.6394267984578837",
        ]
        for _ in 0..<2000 {
            texts.append(String(Double.random(in: -1e6...1e6, using: &rng)))
            texts.append(String(Double(Int.random(in: -99999...99999, using: &rng)) / 1000))
        }
        for t in texts {
            #expect(try JSONReader.parse(t) == .number(Double(t)!), "\(t)")
        }
    }

    @Test func printedNumbersReadBackExactly() throws {
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<3000 {
            let d = Double(bitPattern: rng.next())
            guard d.isFinite else { continue }
            let text = JSONWriter.formatNumber(d)
            #expect(Double(text) == d || (d == 0 && text == "0"), "\(d) printed as \(text)")
        }
    }

    @Test func roundTripsGeneratedValues() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let v = ValueGenerator.value(depth: 3, using: &rng)
            let text = JSONWriter.string(v)
            let back = try JSONReader.parse(text)
            #expect(back.compare(v) == 0, "\(v)")
            #expect(JSONWriter.string(back) == text)
            // What the engine wrote reads back the same without checking names for repeats.
            var bytes = Array(text.utf8)
            let stored = try bytes.withUnsafeMutableBufferPointer {
                try JSONReader.parseStored(UnsafeBufferPointer($0))
            }
            #expect(JSONWriter.string(stored) == text)
        }
    }

    /// Containers are written through their own buffer (`ByteSink`), other values straight into
    /// the caller's array: a value reads the same either way.
    @Test func valuesWriteAlikeInsideAndOutsideContainers() {
        var rng = SeededGenerator(seed: 11)
        var scalars: [Value] = [.null, true, false, 0, -7, 12345678901, "", "plain", "tab\tquote\"", "é😀", "\u{1}"]
        for _ in 0..<2000 {
            let d = Double(bitPattern: rng.next())
            if d.isFinite { scalars.append(.number(d)) }
        }
        for v in scalars {
            let alone = JSONWriter.string(v)
            #expect(JSONWriter.string([v, v]) == "[\(alone),\(alone)]")
            #expect(JSONWriter.string(["k": v]) == #"{"k":"# + alone + "}")
        }
    }

    @Test func repeatedNamesKeepTheLastValue() throws {
        #expect(JSONWriter.string(try JSONReader.parse(#"{"a":1,"b":2,"a":3}"#)) == #"{"a":3,"b":2}"#)
    }

    /// Strings are written eight bytes at a time while none needs escaping: a byte that does
    /// (a quote, a backslash, every control byte) is escaped at every offset into a word, and
    /// bytes outside ASCII pass as they are.
    @Test func stringsAreEscapedWhereverTheirSpecialBytesFall() throws {
        func escaped(_ c: Character) -> String {
            switch c {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            case "\r": return "\\r"
            case "\t": return "\\t"
            case "\u{08}": return "\\b"
            case "\u{0C}": return "\\f"
            default:
                let v = c.unicodeScalars.first!.value
                guard v < 0x20 else { return String(c) }
                let hex = Array("0123456789abcdef")
                return "\\u00" + String(hex[Int(v >> 4)]) + String(hex[Int(v & 15)])
            }
        }
        let specials = (0..<0x20).map { Character(Unicode.Scalar($0)!) } + ["\"", "\\", "é", "😀", "\u{7F}"]
        for length in 0...40 {
            let plain = String(String(repeating: "abcdefgh", count: 6).prefix(length))
            #expect(JSONWriter.string(.string(plain)) == "\"\(plain)\"")
            for at in 0...length {
                for special in specials {
                    var text = plain
                    text.insert(special, at: text.index(text.startIndex, offsetBy: at))
                    let expected = "\"" + text.map(escaped).joined() + "\""
                    let written = JSONWriter.string(.string(text))
                    #expect(written == expected, "\(special.unicodeScalars.first!.value) at \(at) of \(length)")
                    #expect(try JSONReader.parse(written) == .string(text))
                }
            }
        }
    }

    /// Strings are read eight bytes at a time: whatever ends or interrupts a run (a quote, an
    /// escape, a control byte, a byte outside ASCII) is found at every offset into a word.
    @Test func stringsReadAlikeWhereverTheirSpecialBytesFall() throws {
        for length in 0...40 {
            let plain = String(repeating: "abcdefgh", count: 6).prefix(length)
            #expect(try JSONReader.parse("\"\(plain)\"") == .string(String(plain)))
            for at in 0...length {
                for inserted in ["\\\"", "\\\\", "\\n", "\\u00e9", "é", "😀", "\u{7F}"] {
                    var text = Array(plain.utf8)
                    text.insert(contentsOf: Array(inserted.utf8), at: at)
                    let json = "\"" + String(decoding: text, as: UTF8.self) + "\""
                    let value = try JSONReader.parse(json)
                    #expect(try JSONReader.parse(JSONWriter.string(value)) == value)
                    guard case .string(let read) = value else { Issue.record("not a string: \(json)"); continue }
                    // An escape reads as one byte, or as the two of é; anything else as itself.
                    let added = inserted.hasPrefix("\\") ? (inserted == "\\u00e9" ? 2 : 1) : inserted.utf8.count
                    #expect(read.utf8.count == length + added)
                }
                // A raw control byte and a byte that is not UTF-8 are refused wherever they are.
                for refused: UInt8 in [0x01, 0x1F, 0xFF, 0xC3] {
                    var bytes = Array("\"\(plain)".utf8)
                    bytes.insert(refused, at: 1 + at)
                    bytes.append(UInt8(ascii: "\""))
                    #expect(throws: LocusError.self, "byte \(refused) at \(at) of \(length)") {
                        try bytes.withUnsafeBufferPointer { try JSONReader.parse($0) }
                    }
                }
            }
        }
    }
}
