// Runs the built `locus` binary: query workers (`worker save|list|run|drop`, refused at save
// time with the error and a caret under the query) and a PoP's change stream
// (`changes COLLECTION [--since N]`, one JSON line per change).

import Foundation
import Testing
import LocusTestSupport
@testable import LocusValues

@Suite(.serialized) struct WorkerAndChangesCLITests {
    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    let cli = CLITests()

    @Test func workersAreSavedCheckedRunAndDropped() throws {
        let db = cli.tempDB()
        #expect(
            try cli.locus(["query", "--db", db, "FOR i IN 1..5 INSERT {_key: TO_STRING(i), a: i} INTO u"]).status == 1)
        #expect(try cli.locus(["collection", "create", "u", "--db", db]).status == 0)
        #expect(
            try cli.locus(["query", "--db", db, "FOR i IN 1..5 INSERT {_key: TO_STRING(i), a: i} INTO u"]).status == 0)
        let saved = try cli.locus([
            "worker", "save", "big", "FOR x IN u FILTER x.a >= @min SORT x.a RETURN x.a", "--bind", #"{"min": 4}"#,
            "--db", db,
        ])
        #expect(saved.status == 0 && saved.out.contains("saved query worker big"))
        #expect(try cli.locus(["worker", "run", "big", "--db", db]).out == "4\n5\n")
        let run = try cli.locus(["worker", "run", "big", "--bind", #"{"min": 5}"#, "--json", "--db", db])
        #expect(run.json?[attribute: "result"] == [5])
        let list = try cli.locus(["worker", "list", "--json", "--db", db])
        #expect(list.json?[index: 0][attribute: "parameter"] == ["min": 4])
        let broken = try cli.locus(["worker", "save", "bad", "FOR x IN u RETURN", "--db", db])
        #expect(broken.status == 1 && broken.err.contains("error 1501") && broken.err.contains("FOR x IN u RETURN\n"))
        let undeclared = try cli.locus([
            "worker", "save", "bad", "RETURN @a", "--bind", #"{"b": 1}"#, "--json", "--db", db,
        ])
        #expect(undeclared.json?[attribute: "errorNum"] == 1552)
        #expect(try cli.locus(["worker", "drop", "big", "--db", db]).status == 0)
        #expect(try cli.locus(["worker", "run", "big", "--db", db]).err.contains("error 404"))
    }

    @Test func changesPrintAPoPsStream() throws {
        let dir = scratch.make("changes", create: false)
        #expect(try cli.pairFabric(dir, collection: "t"))
        #expect(try cli.locus(["query", "--pop", "fra", "--dir", dir, "INSERT {_key: 'a'} INTO t"]).status == 0)
        #expect(try cli.locus(["query", "--pop", "fra", "--dir", dir, "UPDATE 'a' WITH {x: 1} IN t"]).status == 0)
        let all = try cli.locus(["changes", "t", "--pop", "fra", "--dir", dir])
        let rows = all.out.split(separator: "\n").compactMap { try? JSONReader.parse(String($0)) }
        #expect(rows.map { $0[attribute: "operation"] } == ["insert", "update"])
        #expect(rows.last?[attribute: "document"][attribute: "x"] == 1)
        let after = try cli.locus(["changes", "t", "--since", "1", "--pop", "fra", "--dir", dir])
        #expect(after.out.split(separator: "\n").count == 1)
        // A database that is no PoP keeps no stream.
        let plain = cli.tempDB()
        #expect(try cli.locus(["collection", "create", "t", "--db", plain]).status == 0)
        let refused = try cli.locus(["changes", "t", "--db", plain])
        #expect(refused.status == 1 && refused.err.contains("PoP"))
    }
}
