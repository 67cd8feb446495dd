// A view's definition and what it indexes of a document: links read from ArangoDB's JSON and
// shown with its defaults, options inherited by nested fields, tokens with positions that go
// on across a list's strings, one length per field and analyzer, typed values for numbers,
// booleans and null, `includeAllFields` leaving system attributes out, and
// `trackListPositions` naming list elements by index.

import Testing
import LocusAnalysis
import LocusErrors
import LocusValues

@Suite struct SearchIndexerTests {
    func entries(_ link: Value, _ doc: Object) throws -> Set<SearchEntry> {
        Set(SearchIndexer.entries(of: doc, link: try SearchLink(json: link)) { Analyzer.builtIn($0) })
    }

    @Test func viewDefinitionsShowArangoDBsDefaults() throws {
        let v = try SearchViewDefinition(json: [
            "name": "v", "type": "arangosearch", "links": ["posts": ["fields": ["body": ["analyzers": ["text_en"]]]]],
        ])
        let json = v.json(id: "1")
        #expect(
            json[attribute: "links"][attribute: "posts"] == [
                "analyzers": ["identity"], "fields": ["body": ["analyzers": ["text_en"]]], "includeAllFields": false,
                "storeValues": "none", "trackListPositions": false,
            ])
        #expect(json[attribute: "type"] == "arangosearch" && json[attribute: "primarySort"] == [])
        var patched = v
        try patched.applyProperties(["links": ["posts": .null, "other": [:]]], partial: true)
        #expect(patched.links.keys.sorted() == ["other"])
        #expect(throws: LocusError.self) { try SearchViewDefinition(json: ["name": "v", "type": "search-alias"]) }
        #expect(throws: LocusError.self) {
            try SearchViewDefinition(json: ["name": "v", "links": ["c": ["analyzers": "x"]]])
        }
    }

    @Test func namedFieldsAreIndexedWithTheirAnalyzers() throws {
        let link: Value = ["fields": ["title": ["analyzers": ["text_en", "identity"]], "tags": [:], "n": [:]]]
        let got = try entries(link, ["_key": "k", "title": "Quick Foxes", "tags": ["a b", "c"], "n": 3, "skip": "x"])
        // Each token keeps the bytes of its string it came from: "Foxes" is bytes 6..<11.
        #expect(got.contains(.token(path: "title", analyzer: "text_en", term: "fox", position: 1, start: 6, end: 11)))
        #expect(
            got.contains(
                .token(path: "title", analyzer: "identity", term: "Quick Foxes", position: 0, start: 0, end: 11)))
        #expect(got.contains(.length(path: "title", analyzer: "text_en", count: 2)))
        // A list's strings share the field; positions go on from one to the next.
        #expect(got.contains(.token(path: "tags", analyzer: "identity", term: "c", position: 1, start: 0, end: 1)))
        #expect(got.contains(.length(path: "tags", analyzer: "identity", count: 2)))
        #expect(got.contains(.value(path: "n", 3)))
        #expect(!got.contains { $0.path == "skip" || $0.path == "_key" })
    }

    @Test func includeAllFieldsAndListPositions() throws {
        let link: Value = ["includeAllFields": true, "trackListPositions": true]
        let got = try entries(link, ["_key": "k", "_id": "c/k", "a": ["b": true, "c": [nil, "x"]]])
        #expect(got.contains(.value(path: "a.b", true)))
        #expect(got.contains(.value(path: "a.c[0]", .null)))
        #expect(got.contains(.token(path: "a.c[1]", analyzer: "identity", term: "x", position: 0, start: 0, end: 1)))
        #expect(!got.contains { $0.path.hasPrefix("_") })
        // A nested field's own options win over the inherited ones.
        let nested: Value = ["includeAllFields": true, "fields": ["a": ["includeAllFields": false]]]
        #expect(try entries(nested, ["a": ["b": 1], "z": 2]) == [.value(path: "z", 2)])
    }
}
