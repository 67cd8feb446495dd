// ArangoDB's string order: the ASCII table against ICU itself (every pair of characters and
// random strings), the documented consequences (uppercase first, punctuation before digits
// before letters, accents after their base letter), and sort keys that order as strings do.

import LocusTestSupport
import Testing

@testable import LocusValues

@Suite struct CollationTests {
    static func icu(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in ICUCollator.shared.compare(x, y) } }
    }

    static func ascii(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in Collation.compareASCII(x, y) } }
    }

    @Test func icuIsThere() { #expect(Collation.usesICU) }

    @Test func asciiTableAgreesWithICUOnEveryPairOfCharacters() {
        for p in 0..<128 {
            for q in 0..<128 {
                let a = String(UnicodeScalar(UInt8(p)))
                let b = String(UnicodeScalar(UInt8(q)))
                #expect(Self.ascii(a, b) == Self.icu(a, b), "\(p) vs \(q)")
            }
        }
    }

    @Test func asciiTableAgreesWithICUOnRandomStrings() {
        var rng = SeededGenerator(seed: 42)
        // Letters in both cases, ignorable controls, whitespace, punctuation and digits, so
        // that every level of the comparison gets to decide.
        let alphabet = Array("aAbBzZ_-. 09!~\t\u{1}\u{7F}\u{0}")
        var mismatches = 0
        for _ in 0..<100_000 {
            let a = String((0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let b = String((0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            if Self.ascii(a, b) != Self.icu(a, b) {
                mismatches += 1
                if mismatches < 5 { Issue.record("\(a.debugDescription) vs \(b.debugDescription)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func arangoDBsOrder() {
        let sorted = ["_x", "-", "😀", "0", "9", "A", "a", "Ä", "a b", "ab", "B", "b", "e", "é", "f", "Z", "z"]
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            let shuffled = sorted.shuffled(using: &rng)
            #expect(shuffled.sorted { Value.compareStrings($0, $1) < 0 } == sorted)
        }
        #expect(Value.compareStrings("A", "a") < 0)
        #expect(Value.compareStrings("a", "B") < 0)
        #expect(Value.compareStrings("abc", "abc") == 0)
        // Distinct strings never tie: the identical level tells them apart.
        #expect(Value.compareStrings("a\u{1}", "a") > 0)
    }

    @Test func sortKeysOrderAsStringsCompare() {
        let samples = [
            "", "a", "A", "ab", "aB", "Ab", "b", "B", "_", "0", "é", "e\u{301}", "ä", "Ä", "ß", "ss", "😀", "日本",
            "a\u{0}",
            "a\u{1}", "z", "Z",
        ]
        for a in samples {
            for b in samples {
                var ka: [UInt8] = []
                var kb: [UInt8] = []
                Collation.appendSortKey(of: a, to: &ka)
                Collation.appendSortKey(of: b, to: &kb)
                #expect(!ka.contains(0))
                let byKey = ka == kb ? 0 : (ka.lexicographicallyPrecedes(kb) ? -1 : 1)
                #expect(byKey == Value.compareStrings(a, b).signum(), "\(a.debugDescription) vs \(b.debugDescription)")
            }
        }
    }
}
