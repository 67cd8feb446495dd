// Runs the built `locus` binary: `analyzer create|list|tokens|drop`, with a definition refused
// at once (error 10) and a built-in analyzer that cannot be dropped (error 11); and
// `view create|list|properties|drop` with a search over the view.

import Testing
@testable import LocusValues

@Suite(.serialized) struct SearchCLITests {
    let cli = CLITests()

    @Test func analyzersAreCreatedListedUsedAndDropped() throws {
        let db = cli.tempDB()
        let created = try cli.locus([
            "analyzer", "create", "tri", "--type", "ngram", "--properties", #"{"min": 3, "max": 3}"#, "--features",
            "frequency,norm", "--db", db,
        ])
        #expect(created.status == 0 && created.out == "created analyzer tri\n")
        let again = try cli.locus([
            "analyzer", "create", "tri", "--type", "ngram", "--properties", #"{"min": 3, "max": 3}"#, "--features",
            "frequency,norm", "--json", "--db", db,
        ])
        #expect(again.json?[attribute: "properties"][attribute: "streamType"] == "binary")
        #expect(
            try cli.locus(["analyzer", "tokens", "tri", "foobar", "--db", db]).out == #"["foo","oob","oba","bar"]"#
                + "\n")
        #expect(try cli.locus(["query", "--db", db, #"RETURN TOKENS("Dogs", "text_en")"#]).out == #"["dog"]"# + "\n")
        let list = try cli.locus(["analyzer", "list", "--json", "--db", db])
        let names = (list.json?.arrayValue ?? []).compactMap { $0[attribute: "name"].stringValue }
        #expect(names.first == "identity" && names.last == "tri" && names.contains("text_en"))
        let bad = try cli.locus(["analyzer", "create", "x", "--type", "text", "--db", db])
        #expect(bad.status == 1 && bad.err.contains("error 10"))
        #expect(try cli.locus(["analyzer", "drop", "text_en", "--db", db]).err.contains("error 11"))
        #expect(try cli.locus(["analyzer", "drop", "tri", "--db", db]).status == 0)
        #expect(try cli.locus(["analyzer", "tokens", "tri", "x", "--db", db]).err.contains("error 10"))
    }

    @Test func viewsAreCreatedSearchedAndDropped() throws {
        let db = cli.tempDB()
        #expect(try cli.locus(["collection", "create", "posts", "--db", db]).status == 0)
        #expect(
            try cli.locus(["query", "--db", db, #"INSERT {_key: "1", body: "Foxes run"} INTO posts"#]).status == 0)
        let links = #"{"posts": {"fields": {"body": {"analyzers": ["text_en"]}}}}"#
        let created = try cli.locus(["view", "create", "pv", "--links", links, "--db", db])
        #expect(created.status == 0 && created.out == "created view pv\n")
        #expect(try cli.locus(["view", "list", "--db", db]).out == "pv\tarangosearch\tposts\n")
        let properties = try cli.locus(["view", "properties", "pv", "--db", db])
        #expect(properties.json?[attribute: "links"][attribute: "posts"][attribute: "includeAllFields"] == false)
        let search = #"FOR d IN pv SEARCH ANALYZER(d.body == "fox", "text_en") RETURN d._key"#
        #expect(try cli.locus(["query", "--db", db, search]).out == "\"1\"\n")
        #expect(try cli.locus(["view", "create", "pv", "--links", "{}", "--db", db]).err.contains("error 1207"))
        #expect(try cli.locus(["view", "drop", "pv", "--db", db]).status == 0)
        #expect(try cli.locus(["view", "properties", "pv", "--db", db]).err.contains("error 1203"))
    }
}
