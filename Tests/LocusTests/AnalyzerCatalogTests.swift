// Custom analyzers through the embedding API: created (an identical one again is a no-op, a
// different one a name collision), used by TOKENS, listed, dropped (never a built-in one), and
// replicated to every PoP of a fabric as catalog entries.

import Locus
import Testing

@Suite struct AnalyzerCatalogTests {
    func code(_ body: () throws -> Void) -> Int? {
        do {
            try body()
            return nil
        } catch let e as LocusError { return e.code.number } catch { return -1 }
    }

    let hyphen = try! AnalyzerDefinition(name: "hyphen", type: "delimiter", properties: ["delimiter": "-"])

    @Test func customAnalyzersServeTokens() throws {
        let db = try Database.inMemory()
        #expect(try db.createAnalyzer(hyphen).created)
        #expect(try db.createAnalyzer(hyphen).created == false)
        let other = try AnalyzerDefinition(name: "hyphen", type: "delimiter", properties: ["delimiter": "+"])
        #expect(code { try db.createAnalyzer(other) } == 10)
        #expect(try db.query(#"RETURN TOKENS("a-b-c", "hyphen")"#).rows == [["a", "b", "c"]])
        #expect(try db.query(#"RETURN TOKENS(["a-b", ["c"]], "::hyphen")"#).rows == [[["a", "b"], [["c"]]]])
        #expect(try db.analyzers().map(\.name) == ["hyphen"])
        #expect(try db.analyzer("_system::hyphen") == hyphen)
        #expect(try db.analyzer("text_en")?.type == "text")
        // An unknown analyzer is error 10; a value that is not text warns 1542 and gives null.
        #expect(code { try db.query(#"RETURN TOKENS("x", "nope")"#) } == 10)
        let r = try db.query(#"RETURN TOKENS(1, "identity")"#)
        #expect(r.rows == [nil] && r.warnings.map(\.code) == [1542])
        #expect(code { try db.dropAnalyzer("text_en") } == 11)
        try db.dropAnalyzer("hyphen")
        #expect(code { try db.dropAnalyzer("hyphen") } == 1202)
        #expect(code { try db.query(#"RETURN TOKENS("a-b", "hyphen")"#) } == 10)
    }

    /// NGRAM_MATCH outside SEARCH: the longest common subsequence of the two strings' n-grams
    /// over the target's n-gram count, against the threshold (0.7 unless given).
    @Test func ngramMatchOutsideSearch() throws {
        let db = try Database.inMemory()
        try db.createAnalyzer(
            AnalyzerDefinition(name: "bigram", type: "ngram", properties: ["min": 2, "max": 2, "streamType": "utf8"]))
        // "quick" → qu ui ic ck; "quack" → qu ua ac ck: 2 of 4 in common.
        let r = try db.query(
            #"RETURN [NGRAM_MATCH("quick", "quack", "bigram"), NGRAM_MATCH("quick", "quack", 0.5, "bigram"), NGRAM_MATCH("quick", "quick", "bigram")]"#
        )
        #expect(r.rows == [[false, true, true]])
        #expect(try db.query(#"RETURN NGRAM_MATCH("a", "b", 2, "bigram")"#).warnings.map(\.code) == [1542])
    }

    /// A minhash analyzer's tokens are the MINHASH signature of its inner analyzer's tokens, and
    /// MINHASH_MATCH compares two texts' signatures, outside SEARCH and inside it.
    @Test func minhashAnalyzerAndMatch() throws {
        let db = try Database.inMemory()
        try db.createAnalyzer(
            AnalyzerDefinition(
                name: "mh", type: "minhash",
                properties: ["analyzer": ["type": "text", "properties": ["locale": "en"]], "numHashes": 16],
                features: ["frequency"]))
        let text = "the quick brown fox jumps"
        let same = try db.query(
            "RETURN [TOKENS(@t, 'mh'), MINHASH(TOKENS(@t, 'text_en'), 16)]", bindVars: ["t": .string(text)]
        ).rows.first
        #expect(same?[index: 0].arrayValue?.count == 16 && same?[index: 0] == same?[index: 1])
        let r = try db.query(
            "RETURN [MINHASH_MATCH(@t, @t, 1, 'mh'), MINHASH_MATCH(@t, 'an unrelated sentence entirely', 0.5, 'mh')]",
            bindVars: ["t": .string(text)])
        #expect(r.rows == [[true, false]])
        try db.createCollection("docs")
        try db.query("INSERT {_key: 'a', t: @t} INTO docs", bindVars: ["t": .string(text)])
        try db.query("INSERT {_key: 'b', t: 'cats sleep all day'} INTO docs")
        try db.createView(
            SearchViewDefinition(json: ["name": "v", "links": ["docs": ["fields": ["t": ["analyzers": ["mh"]]]]]]))
        let found = try db.query(
            "FOR d IN v SEARCH MINHASH_MATCH(d.t, 'the quick brown fox jumps', 0.9, 'mh') RETURN d._key")
        #expect(found.rows == ["a"])
        #expect(throws: LocusError.self) {
            try AnalyzerDefinition(name: "bad", type: "minhash", properties: ["analyzer": ["type": "identity"]])
        }
    }

    @Test func analyzersReplicateToEveryPoP() throws {
        let fabric = try TestFabrics.named("pair")
        let a = try Database.inMemory(), b = try Database.inMemory()
        try a.createAnalyzer(hyphen)
        try a.enableReplication(pop: "fra", fabric: fabric)
        try b.enableReplication(pop: "iad", fabric: fabric)
        let trigram = try AnalyzerDefinition(name: "trigram", type: "ngram", properties: ["min": 3, "max": 3])
        try a.createAnalyzer(trigram)
        try b.pull(a)
        #expect(try b.analyzers().map(\.name) == ["hyphen", "trigram"])
        #expect(try b.query(#"RETURN TOKENS("foobar", "trigram")"#).rows == [["foo", "oob", "oba", "bar"]])
        try b.dropAnalyzer("hyphen")
        try a.pull(b)
        #expect(try a.analyzers().map(\.name) == ["trigram"])
    }
}
