// Runs the built `locus` binary: `analyzer create|list|tokens|drop`, with a definition refused
// at once (error 10) and a built-in analyzer that cannot be dropped (error 11).

import Testing
@testable import LocusValues

@Suite(.serialized) struct AnalyzerCLITests {
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
}
