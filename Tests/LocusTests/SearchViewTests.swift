// ArangoSearch views through the embedding API: SEARCH with each operator and function Locus
// answers, BM25 and TF-IDF scores against values computed by hand from ArangoSearch's
// formulas, entries that follow every write (and every rollback) at once, errors for what a
// view cannot answer, EXPLAIN's view node, and views replicated to every PoP, each indexing
// what it holds.

import Foundation
import Locus
import Testing

@Suite struct SearchViewTests {
    func database() throws -> Database {
        let db = try Database.inMemory()
        try db.createCollection("posts")
        try db.createCollection("notes")
        try db.query(
            """
            FOR p IN [
              {_key: "a", title: "Quick Fox", body: "The quick brown fox jumps over the lazy dog", n: 1, tags: ["x", "y"]},
              {_key: "b", title: "Lazy Dogs", body: "Lazy dogs sleep while a fox watches", n: 5, tags: ["y"]},
              {_key: "c", title: "Cats", body: "Cats ignore everyone", n: 10, flag: true}
            ] INSERT p INTO posts
            """)
        try db.query(#"INSERT {_key: "z", title: "Foxglove", body: "a fox in a note"} INTO notes"#)
        try db.createView(
            SearchViewDefinition(json: [
                "name": "v",
                "links": [
                    "posts": [
                        "fields": [
                            "title": ["analyzers": ["identity", "text_en"]], "body": ["analyzers": ["text_en"]],
                            "n": [:], "tags": [:], "flag": [:],
                        ]
                    ],
                    "notes": ["includeAllFields": true, "analyzers": ["text_en"]],
                ],
            ]))
        return db
    }

    func keys(_ db: Database, _ search: String) throws -> [String] {
        try db.query("FOR d IN v SEARCH \(search) SORT d._key RETURN d._key").rows.compactMap(\.stringValue)
    }

    func code(_ body: () throws -> Void) -> Int? {
        do {
            try body()
            return nil
        } catch let e as LocusError { return e.code.number } catch { return -1 }
    }

    @Test func searchOperatorsAndFunctions() throws {
        let db = try database()
        #expect(try keys(db, #"ANALYZER(d.body == "fox", "text_en")"#) == ["a", "b", "z"])
        #expect(try keys(db, #"d.title == "Cats""#) == ["c"])
        #expect(try keys(db, #"d.title != "Cats""#) == ["a", "b", "z"])
        #expect(try keys(db, "d.n > 1 AND d.n <= 10") == ["b", "c"])
        #expect(try keys(db, "d.n IN 4..10") == ["b", "c"])
        #expect(try keys(db, #"d.tags IN ["x", "q"]"#) == ["a"])
        #expect(try keys(db, #"d.tags == "y" AND NOT (d.tags == "x")"#) == ["b"])
        #expect(try keys(db, "IN_RANGE(d.n, 1, 5, false, true)") == ["b"])
        #expect(try keys(db, #"STARTS_WITH(d.title, "Qu")"#) == ["a"])
        #expect(try keys(db, #"LIKE(d.title, "%Dog%")"#) == ["b"])
        #expect(try keys(db, "EXISTS(d.flag)") == ["c"])
        #expect(try keys(db, #"EXISTS(d.n, "numeric") AND NOT EXISTS(d.tags)"#) == ["c"])
        #expect(try keys(db, #"EXISTS(d.title, "analyzer", "text_en")"#) == ["a", "b", "c", "z"])
        #expect(try keys(db, #"PHRASE(d.body, "quick brown fox", "text_en")"#) == ["a"])
        #expect(try keys(db, #"PHRASE(d.body, "quick", 1, "fox", "text_en")"#) == ["a"])
        #expect(try keys(db, #"PHRASE(d.body, "brown quick", "text_en")"#) == [])
        #expect(try keys(db, #"PHRASE(d.body, ["quick", {STARTS_WITH: "bro"}], "text_en")"#) == ["a"])
        #expect(try keys(db, #"PHRASE(d.body, {TERMS: ["lazi", "quick"]}, 0, "dog", "text_en")"#) == ["a", "b"])
        #expect(try keys(db, #"PHRASE(d.body, {WILDCARD: "j_mp%"}, 1, "the", "text_en")"#) == ["a"])
        #expect(try keys(db, #"PHRASE(d.body, "brown", 0, {LEVENSHTEIN_MATCH: ["fax", 1]}, "text_en")"#) == ["a"])
        #expect(try keys(db, #"PHRASE(d.body, [{TERM: "quick"}, "brown"], "text_en")"#) == ["a"])
        #expect(try keys(db, #"ANALYZER(LEVENSHTEIN_MATCH(d.body, "dgo", 1), "text_en")"#) == ["a", "b"])
        #expect(
            try keys(db, #"ANALYZER(MIN_MATCH(d.body == "cat", d.body == "lazi", d.body == "dog", 2), "text_en")"#)
                == ["a", "b"])
        #expect(try keys(db, "true") == ["a", "b", "c", "z"])
        #expect(try keys(db, "1 == 2") == [])
        let restricted = try db.query(
            #"FOR d IN v SEARCH ANALYZER(d.body == "fox", "text_en") OPTIONS {collections: ["notes"]} RETURN d._key"#)
        #expect(restricted.rows == ["z"])
        #expect(try db.query("FOR d IN v SORT d._key RETURN d._key").rows == ["a", "b", "c", "z"])
        // A view may come as a `@@` bind parameter; a write may follow the search.
        #expect(try db.query("FOR d IN @@v SEARCH d.n == 5 RETURN d._key", bindVars: ["@v": "v"]).rows == ["b"])
        let updated = try db.query("FOR d IN v SEARCH d.n >= 5 UPDATE d WITH {n: d.n + 100} IN posts RETURN NEW.n")
        #expect(updated.rows.compactMap(\.numberValue).sorted() == [105, 110])
        #expect(try keys(db, "d.n >= 100") == ["b", "c"])
        // The matched documents come back whole, with their system attributes.
        #expect(try db.query(#"FOR d IN v SEARCH d.title == "Cats" RETURN d._id"#).rows == ["posts/c"])
    }

    @Test func ngramMatchInSearch() throws {
        let db = try database()
        try db.createAnalyzer(
            AnalyzerDefinition(
                name: "bigram", type: "ngram", properties: ["min": 2, "max": 2, "streamType": "utf8"],
                features: ["frequency", "position", "norm"]))
        try db.updateView(
            "v", properties: ["links": ["posts": ["fields": ["title": ["analyzers": ["bigram"]]]]]], partial: true)
        // "Lazy Dogs" holds every bigram of "Dogs"; "Quick Fox" none.
        #expect(try keys(db, #"NGRAM_MATCH(d.title, "Dogs", 0.7, "bigram")"#) == ["b"])
        #expect(try keys(db, #"ANALYZER(NGRAM_MATCH(d.title, "Dags", 0.3), "bigram")"#) == ["b"])
        #expect(try keys(db, #"NGRAM_MATCH(d.title, "Dags", 0.9, "bigram")"#) == [])
    }

    /// OFFSET_INFO: the UTF-8 byte ranges of the terms a document was found by, from an
    /// analyzer with the `offset` feature (none from one without it).
    @Test func offsetInfoOfMatchedTerms() throws {
        let db = try Database.inMemory()
        try db.createCollection("food")
        try db.query(#"INSERT {_key: "1", dinner: "Avocado and tomato salad with avocado dressing"} INTO food"#)
        try db.createAnalyzer(
            AnalyzerDefinition(
                name: "en_offsets", type: "text", properties: ["locale": "en"],
                features: ["frequency", "norm", "position", "offset"]))
        try db.createView(
            SearchViewDefinition(json: [
                "name": "food_view",
                "links": ["food": ["fields": ["dinner": ["analyzers": ["en_offsets", "text_en"]]]]],
            ]))
        let found = try db.query(
            #"FOR d IN food_view SEARCH ANALYZER(TOKENS("avocado tomato", "en_offsets") ANY == d.dinner, "en_offsets") RETURN OFFSET_INFO(d, ["dinner"])"#
        ).rows
        #expect(found == [[["name": ["dinner"], "offsets": [[0, 7], [12, 6], [30, 7]]]]])
        let withoutFeature = try db.query(
            #"FOR d IN food_view SEARCH ANALYZER(d.dinner == "salad", "text_en") RETURN OFFSET_INFO(d, "dinner")"#
        ).rows
        #expect(withoutFeature == [[]])
    }

    @Test func errorsOfSearch() throws {
        let db = try database()
        #expect(code { try db.query("FOR d IN posts SEARCH d.n == 1 RETURN d") } == 1501)
        #expect(code { try db.query(#"FOR d IN v SEARCH ANALYZER(d.body == "x", "nope") RETURN d"#) } == 10)
        #expect(code { try db.query("FOR d IN v SEARCH d.n == d.m RETURN d") } == 1501)
        #expect(code { try db.query("RETURN EXISTS(1)") } == 9)
        #expect(code { try db.query("FOR d IN posts RETURN BM25(d)") } == 9)
        #expect(code { try db.createView(SearchViewDefinition(json: ["name": "posts"])) } == 1207)
        #expect(
            code { try db.createView(SearchViewDefinition(json: ["name": "w", "links": ["missing": [:]]])) } == 1203)
        #expect(code { try db.createCollection("v") } == 1207)
        let hyphen = try AnalyzerDefinition(name: "hyphen", type: "delimiter", properties: ["delimiter": "-"])
        try db.createAnalyzer(hyphen)
        try db.updateView("v", properties: ["links": ["notes": ["analyzers": ["hyphen"]]]], partial: true)
        #expect(code { try db.dropAnalyzer("hyphen") } == 1200)
        try db.dropView("v")
        try db.dropAnalyzer("hyphen")
        #expect(code { try db.dropView("v") } == 1203)
    }

    /// Three documents of one field (text_en: frequency, norm): "fox fox dog" (3 tokens),
    /// "fox cat" (2), "cat cat cat cat" (4); N = 3, avgdl = 3, and "fox" is in n = 2 of them.
    @Test func scoresAgreeWithHandComputedValues() throws {
        let db = try Database.inMemory()
        try db.createCollection("t")
        try db.query(
            #"FOR p IN [["1", "fox fox dog"], ["2", "fox cat"], ["3", "cat cat cat cat"]] INSERT {_key: p[0], s: p[1]} INTO t"#
        )
        try db.createView(
            SearchViewDefinition(json: ["name": "tv", "links": ["t": ["fields": ["s": ["analyzers": ["text_en"]]]]]]))
        let rows = try db.query(
            #"FOR d IN tv SEARCH ANALYZER(d.s == "fox", "text_en") SORT d._key RETURN [BM25(d), TFIDF(d), TFIDF(d, true), BM25(d, 1.2, 0)]"#
        ).rows
        // BM25: idf = ln(1 + (3 − 2 + 0.5) / (2 + 0.5)) = ln 1.6; score = idf · 2.2 · tf / (tf + 1.2 · (0.25 + 0.75 · dl / 3)).
        let idf = log(1.6)
        let bm25 = [idf * 2.2 * 2 / (2 + 1.2 * 1.0), idf * 2.2 * 1 / (1 + 1.2 * 0.75)]
        // TF-IDF: idf = ln((3 + 1) / (2 + 1)) + 1; score = √tf · idf, normalized ÷ √dl.
        let tfidfIdf = log(4.0 / 3.0) + 1
        let tfidf = [(2.0).squareRoot() * tfidfIdf, tfidfIdf]
        let normalized = [tfidf[0] / (3.0).squareRoot(), tfidf[1] / (2.0).squareRoot()]
        // b = 0 ignores lengths: idf · 2.2 · tf / (tf + 1.2).
        let bm15 = [idf * 2.2 * 2 / 3.2, idf * 2.2 / 2.2]
        #expect(rows.count == 2)
        for (i, row) in rows.enumerated() {
            let got = (row.arrayValue ?? []).compactMap(\.numberValue)
            let want = [bm25[i], tfidf[i], normalized[i], bm15[i]]
            #expect(got.count == 4 && zip(got, want).allSatisfy { abs($0 - $1) < 1e-9 }, "\(got) != \(want)")
        }
        // BOOST multiplies; a document matching two clauses adds their scores.
        let boosted = try db.query(
            #"FOR d IN tv SEARCH ANALYZER(BOOST(d.s == "fox", 2) OR d.s == "dog", "text_en") SORT d._key RETURN BM25(d)"#
        ).rows.compactMap(\.numberValue)
        let dogIdf = log1p((3 - 1 + 0.5) / 1.5)
        #expect(abs(boosted[0] - (2 * bm25[0] + dogIdf * 2.2 / (1 + 1.2))) < 1e-9)
        #expect(abs(boosted[1] - 2 * bm25[1]) < 1e-9)
    }

    @Test func entriesFollowWritesAndRollbacks() throws {
        let db = try database()
        let fox = #"ANALYZER(d.body == "fox", "text_en")"#
        try db.query(#"UPDATE "c" WITH {body: "now a fox"} IN posts"#)
        try db.query(#"REMOVE "a" IN posts"#)
        #expect(try keys(db, fox) == ["b", "c", "z"])
        // A query that fails leaves the view as it was.
        #expect(code { try db.query(#"FOR k IN ["f", "f"] INSERT {_key: k, body: "fox"} INTO posts"#) } == 1210)
        #expect(try keys(db, fox) == ["b", "c", "z"])
        try db.query(#"INSERT {_key: "g", body: "fox again"} INTO posts"#)
        #expect(try keys(db, fox) == ["b", "c", "g", "z"])
        try db.updateView("v", properties: ["links": ["notes": .null]], partial: true)
        #expect(try keys(db, fox) == ["b", "c", "g"])
    }

    @Test func explainShowsTheViewNode() throws {
        let db = try database()
        let plan = try db.explain(#"FOR d IN v SEARCH d.n == 1 SORT BM25(d) DESC LIMIT 1 RETURN d"#)
        #expect(plan.text.contains("EnumerateViewNode") && plan.text.contains("FOR d IN v SEARCH (d.n == 1)"))
        let node = (plan.json[attribute: "plan"][attribute: "nodes"].arrayValue ?? []).first {
            $0[attribute: "type"] == "EnumerateViewNode"
        }
        #expect(node?[attribute: "view"] == "v")
        #expect(node?[attribute: "condition"][attribute: "type"] == "compare ==")
        #expect(node?[attribute: "scorers"][index: 0][attribute: "node"][attribute: "name"] == "BM25")
    }

    @Test func viewsReplicateAndIndexWhatEachPoPHolds() throws {
        let fabric = try TestFabrics.named("pair")
        let a = try Database.inMemory(), b = try Database.inMemory()
        try a.enableReplication(pop: "fra", fabric: fabric)
        try b.enableReplication(pop: "iad", fabric: fabric)
        try a.createCollection("posts")
        try a.query(#"INSERT {_key: "1", body: "red fox"} INTO posts"#)
        try a.createView(SearchViewDefinition(json: ["name": "pv", "links": ["posts": ["includeAllFields": true]]]))
        try b.pull(a)
        #expect(try b.query(#"FOR d IN pv SEARCH d.body == "red fox" RETURN d._key"#).rows == ["1"])
        try b.query(#"INSERT {_key: "2", body: "red fox"} INTO posts"#)
        try a.pull(b)
        #expect(try a.query(#"FOR d IN pv SEARCH d.body == "red fox" SORT d._key RETURN d._key"#).rows == ["1", "2"])
        try b.dropView("pv")
        try a.pull(b)
        #expect(try a.view("pv") == nil)
    }
}
