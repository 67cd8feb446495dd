// The byte layout of view entries: every kind of entry decodes to itself (zero bytes and all),
// and terms order byte by byte, so a term's postings and a prefix's terms are key ranges.

import Testing
import LocusAnalysis
import LocusStorage
import LocusValues

@Suite struct SearchKeyTests {
    func decode(_ bytes: [UInt8]) -> SearchEntry? { bytes.withUnsafeBufferPointer { SearchKey.decode($0) } }

    @Test func entriesRoundTrip() {
        let samples: [SearchEntry] = [
            .token(path: "a.b", analyzer: "text_en", term: "fox", position: 7),
            .token(path: "z\u{0}ero", analyzer: "identity", term: "n\u{0}ul", position: 0),
            .length(path: "title", analyzer: "identity", count: 70_000),
            .value(path: "n", 3.5), .value(path: "n", .null), .value(path: "flag", true),
        ]
        for e in samples { #expect(decode(SearchKey.encode(e)) == e) }
    }

    @Test func termsOrderByBytesAndRangesHoldTheirTerms() {
        let terms = ["Z", "a", "ab", "abc", "b", "é"]
        let keys = terms.map { SearchKey.encode(.token(path: "f", analyzer: "identity", term: $0, position: 0)) }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
        let prefix = SearchKey.tokens(path: "f", analyzer: "identity", prefix: "ab")
        let inside = zip(terms, keys).filter { _, k in
            !k.lexicographicallyPrecedes(prefix.lower!) && k.lexicographicallyPrecedes(prefix.upper!)
        }.map(\.0)
        #expect(inside == ["ab", "abc"])
        let exact = SearchKey.tokens(path: "f", analyzer: "identity", term: "ab")
        let one = SearchKey.encode(.token(path: "f", analyzer: "identity", term: "ab", position: 9))
        let longer = SearchKey.encode(.token(path: "f", analyzer: "identity", term: "abc", position: 0))
        #expect(!one.lexicographicallyPrecedes(exact.lower!) && one.lexicographicallyPrecedes(exact.upper!))
        #expect(!longer.lexicographicallyPrecedes(exact.upper!) || longer.lexicographicallyPrecedes(exact.lower!))
    }
}
