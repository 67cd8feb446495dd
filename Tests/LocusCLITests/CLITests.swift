// Runs the built `locus` binary: the JSON contract of query, errors and exit codes, explain,
// collection and index management, import (with line-numbered failures and all-or-nothing),
// export, bench, and the plain prompt reading from a pipe.

import Foundation
import Testing
import LocusTestSupport
@testable import LocusValues

@Suite(.serialized) struct CLITests {
    static var binary: String {
        Repository.locusBinary
    }

    struct Run {
        var status: Int32
        var out: String
        var err: String
        var json: Value? { try? JSONReader.parse(out.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// A local fabric of PoPs `fra` and `iad` (the trio fixture's) in `dir`, with `collection`
    /// created at `fra`; true when every command succeeded.
    func pairFabric(_ dir: String, collection: String) throws -> Bool {
        try locus(["fabric", "init", "--fabric", FabricCLITests.trio, "--dir", dir, "--pops", "fra,iad"]).status == 0
            && locus(["collection", "create", collection, "--pop", "fra", "--dir", dir]).status == 0
    }

    func locus(_ args: [String], stdin: String? = nil) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.binary)
        p.arguments = args
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(
            status: p.terminationStatus, out: String(decoding: o, as: UTF8.self),
            err: String(decoding: e, as: UTF8.self))
    }

    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    func tempDB() -> String { scratch.make("cli") + "/t.db" }

    @Test func queryJSONContract() throws {
        let r = try locus([
            "query", "--db", ":memory:", "--json", "--bind", #"{"n": 3}"#, "FOR i IN 1..@n RETURN i * 2",
        ])
        #expect(r.status == 0)
        #expect(r.json?[attribute: "result"] == [2, 4, 6])
        #expect(r.json?[attribute: "warnings"] == [])
        #expect(r.json?[attribute: "extra"][attribute: "stats"][attribute: "writesExecuted"] == 0)
        #expect(r.json?[attribute: "hasMore"] == false && r.json?[attribute: "count"] == 3)
    }

    @Test func errorJSONContract() throws {
        let r = try locus(["query", "--db", ":memory:", "--json", "FOR x IN [1] RETRUN x"])
        #expect(r.status == 1)
        #expect(r.json?[attribute: "error"] == true)
        #expect(r.json?[attribute: "errorNum"] == 1501)
        #expect(r.json?[attribute: "code"] == 400)
        #expect(r.json?[attribute: "errorMessage"].stringValue?.contains("at position 1:14") == true)
        let bad = try locus(["query", "--db", ":memory:", "--json", "--bind", "{not json", "RETURN 1"])
        #expect(bad.status == 1 && bad.json?[attribute: "errorNum"] == 1550)
        let human = try locus(["query", "--db", ":memory:", "RETURN nope"])
        #expect(human.status == 1 && human.err.contains("error 1512") && human.err.contains("^"))
    }

    @Test func warningsAreReported() throws {
        let r = try locus(["query", "--db", ":memory:", "--json", "RETURN 1 / 0"])
        #expect(r.json?[attribute: "warnings"] == [["code": 1562, "message": "division by zero"]])
    }

    @Test func collectionsIndexesImportExport() throws {
        let db = tempDB()
        #expect(try locus(["collection", "create", "people", "--db", db]).status == 0)
        #expect(
            try locus(["collection", "create", "people", "--db", db, "--json"]).json?[attribute: "errorNum"] == 1207)
        #expect(try locus(["collection", "create", "links", "--type", "edge", "--db", db]).status == 0)
        let file = db + ".jsonl"
        try "{\"_key\":\"a\",\"age\":30}\n{\"_key\":\"b\",\"age\":40}\n\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let imp = try locus(["import", "people", file, "--db", db])
        #expect(imp.status == 0 && imp.json?[attribute: "created"] == 2)
        let idx = try locus(["index", "create", "people", "--fields", "age", "--db", db])
        #expect(idx.status == 0 && idx.json?[attribute: "type"] == "persistent")
        let ft = try locus([
            "index", "create", "people", "--fields", "bio", "--type", "fulltext", "--min-length", "3", "--db", db,
        ])
        #expect(ft.status == 0 && ft.json?[attribute: "type"] == "fulltext" && ft.json?[attribute: "minLength"] == 3)
        #expect(
            try locus([
                "index", "create", "people", "--fields", "bio", "--type", "fulltext", "--min-length", "x", "--db", db,
            ]).status != 0)
        let ex = try locus(["explain", "--db", db, "FOR p IN people FILTER p.age == 30 RETURN p"])
        #expect(ex.out.contains("IndexNode") && ex.out.contains("idx_people_age"))
        let exj = try locus(["explain", "--db", db, "--json", "FOR p IN people FILTER p.age == 30 RETURN p"])
        #expect(exj.json?[attribute: "plan"][attribute: "rules"].arrayValue?.contains("use-indexes") == true)
        let list = try locus(["collection", "list", "--db", db, "--json"])
        #expect(list.json?.arrayValue?.count == 2)
        let out = try locus(["export", "people", "--db", db])
        #expect(out.out.split(separator: "\n").count == 2)
        #expect(try locus(["export", "people", "--db", db, "--output", db + ".out.jsonl"]).status == 0)
        #expect(try String(contentsOfFile: db + ".out.jsonl", encoding: .utf8).split(separator: "\n").count == 2)

        // A bad line aborts the whole import by default, and is skipped on request.
        try "{\"_key\":\"c\"}\n{broken\n{\"_key\":\"d\"}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let aborted = try locus(["import", "people", file, "--db", db, "--json"])
        #expect(
            aborted.status == 1 && aborted.json?[attribute: "errorMessage"].stringValue?.hasPrefix("line 2:") == true)
        #expect(try locus(["query", "--db", db, "--json", "RETURN LENGTH(people)"]).json?[attribute: "result"] == [2])
        let skipped = try locus(["import", "people", file, "--db", db, "--on-error", "skip"])
        #expect(skipped.json?[attribute: "created"] == 2 && skipped.json?[attribute: "errors"] == 1)
        // In a JSON array, a bad element is named by its index.
        try "[{\"_key\":\"e\"}, 5, {\"_key\":\"f\"}]".write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try locus(["import", "people", file, "--db", db, "--json"])
        #expect(
            bad.status == 1 && bad.json?[attribute: "errorMessage"].stringValue?.hasPrefix("array element 1:") == true)

        let edges = db + ".edges.jsonl"
        try "[{\"_from\":\"people/a\",\"_to\":\"people/b\"}]".write(toFile: edges, atomically: true, encoding: .utf8)
        #expect(try locus(["import", "rel", edges, "--db", db]).status == 0)
        let types = try locus(["collection", "list", "--db", db, "--json"]).json?.arrayValue ?? []
        #expect(types.contains { $0[attribute: "name"] == "rel" && $0[attribute: "type"] == "edge" })
    }

    @Test func namedGraphs() throws {
        let db = tempDB()
        let made = try locus([
            "graph", "create", "social", "--edge-definitions",
            #"[{"collection": "knows", "from": ["people"], "to": ["people"]}]"#,
            "--orphans", "loners", "--db", db,
        ])
        #expect(made.status == 0 && made.json?[attribute: "name"] == "social")
        let types = try locus(["collection", "list", "--db", db, "--json"]).json?.arrayValue ?? []
        #expect(types.contains { $0[attribute: "name"] == "knows" && $0[attribute: "type"] == "edge" })
        #expect(types.contains { $0[attribute: "name"] == "loners" })
        #expect(
            try locus([
                "graph", "create", "social", "--edge-definitions",
                #"[{"collection": "knows", "from": ["people"], "to": ["people"]}]"#,
                "--db", db, "--json",
            ]).json?[attribute: "errorNum"] == 1925)
        #expect(
            try locus(["graph", "create", "bad", "--edge-definitions", "[{}]", "--db", db, "--json"]).json?[
                attribute: "errorNum"] == 1901)
        _ = try locus(["query", "--db", db, "FOR k IN ['a', 'b'] INSERT {_key: k} INTO people"])
        _ = try locus(["query", "--db", db, "INSERT {_from: 'people/a', _to: 'people/b'} INTO knows"])
        let q = try locus([
            "query", "--db", db, "--json", "FOR v IN 1..1 OUTBOUND 'people/a' GRAPH 'social' RETURN v._key",
        ])
        #expect(q.json?[attribute: "result"] == ["b"])
        #expect(try locus(["graph", "list", "--db", db]).out.contains("\"social\""))
        // Graph-aware writes: edges are checked against the definition, a vertex takes its edges.
        #expect(
            try locus(["graph", "vertex", "insert", "social", "people", #"{"_key": "c"}"#, "--db", db]).json?[
                attribute: "_id"] == "people/c")
        #expect(
            try locus([
                "graph", "edge", "insert", "social", "knows", #"{"_from": "people/b", "_to": "people/c"}"#, "--db", db,
            ]).status == 0)
        let dangling = try locus([
            "graph", "edge", "insert", "social", "knows", #"{"_from": "people/b", "_to": "people/z"}"#, "--db", db,
            "--json",
        ])
        #expect(dangling.status == 1 && dangling.json?[attribute: "errorNum"] == 1906)
        #expect(
            try locus(["graph", "vertex", "remove", "social", "people", "b", "--db", db]).json?[attribute: "_key"]
                == "b")
        #expect(try locus(["query", "--db", db, "--json", "RETURN LENGTH(knows)"]).json?[attribute: "result"] == [0])
        #expect(try locus(["graph", "vertex", "fling", "social", "people", "--db", db]).status == 2)
        #expect(try locus(["graph", "drop", "social", "--drop-collections", "--db", db]).status == 0)
        let after = try locus(["collection", "list", "--db", db, "--json"]).json?.arrayValue ?? []
        #expect(after.isEmpty)
    }

    @Test func benchReportsTimings() throws {
        let r = try locus(["bench", "--db", ":memory:", "--warmup", "1", "--reps", "3", "FOR i IN 1..10 RETURN i"])
        #expect(r.status == 0)
        #expect(r.json?[attribute: "rows"] == 10)
        #expect(r.json?[attribute: "timings_ns"].arrayValue?.count == 3)
    }

    @Test func benchKeepsTheLastRunsWritesOrEveryRunsWithCommitEach() throws {
        let db = tempDB()
        #expect(try locus(["collection", "create", "t", "--db", db]).status == 0)
        let insert = "INSERT {} INTO t"
        #expect(try locus(["bench", "--db", db, "--warmup", "2", "--reps", "3", insert]).status == 0)
        #expect(try locus(["query", "--db", db, "--json", "RETURN LENGTH(t)"]).json?[attribute: "result"] == [1])
        let each = try locus(["bench", "--db", db, "--warmup", "2", "--reps", "3", "--commit-each", insert])
        #expect(each.json?[attribute: "timings_ns"].arrayValue?.count == 3)
        #expect(try locus(["query", "--db", db, "--json", "RETURN LENGTH(t)"]).json?[attribute: "result"] == [4])
    }

    @Test func promptReadsStatementsFromAPipe() throws {
        let r = try locus(["--db", ":memory:"], stdin: "RETURN 1 + 1\nFOR x IN [1, 2]\n  RETURN x\n.quit\n")
        #expect(r.status == 0)
        #expect(r.out == "2\n1\n2\n")
    }

    @Test func usageErrors() throws {
        #expect(try locus(["frobnicate"]).status == 2)
        #expect(try locus(["query", "--db"]).status == 2)
        #expect(try locus(["functions", "CONCAT"]).out.contains("CONCAT("))
        let dateAdd = try locus(["functions", "date_add"])
        #expect(dateAdd.out.contains("DATE_ADD(date, amount, unit, timezone)") && dateAdd.out.contains("ISO duration"))
        let excluded = try locus(["functions", "SIMILAR"])
        #expect(excluded.status == 1 && excluded.err.contains("vector"))
    }

    /// The command line is read by swift-argument-parser: options anywhere, unknown ones named,
    /// generated help and completion scripts.
    @Test func commandLineParsing() throws {
        let after = try locus(["query", "RETURN 1", "--db", ":memory:", "--json"])
        #expect(after.status == 0 && after.json?[attribute: "result"] == [1])
        // The common query shapes (read without ArgumentParser) and the unusual ones agree.
        for shape in [
            ["query", "--db=:memory:", "--json", "--bind", #"{"n": 2}"#, "RETURN @n"],
            ["query", "--json", "RETURN @n", "--bind={\"n\": 2}", "--db", ":memory:"],
            [
                "query", "--db", "/nonexistent-dir/x.db", "--db", ":memory:", "--json", "--bind", #"{"n": 2}"#,
                "RETURN @n",
            ],
            ["query", "--db", ":memory:", "--json", "--options", "{}", "--bind", #"{"n": 2}"#, "--", "RETURN @n"],
        ] {
            let r = try locus(shape)
            #expect(r.status == 0 && r.json?[attribute: "result"] == [2], "\(shape)")
        }
        let noDir = try locus(["query", "--pop", "fra", "--json", "RETURN 1"])
        #expect(noDir.status == 2 && noDir.json?[attribute: "errorNum"] == 10)
        let unknown = try locus(["query", "--db", ":memory:", "--frobnicate", "RETURN 1"])
        #expect(unknown.status == 2 && unknown.err.contains("'--frobnicate'") && unknown.out.isEmpty)
        let unknownJSON = try locus(["query", "--db", ":memory:", "--json", "--frobnicate", "RETURN 1"])
        #expect(unknownJSON.status == 2 && unknownJSON.json?[attribute: "errorNum"] == 10)
        #expect(unknownJSON.json?[attribute: "errorMessage"].stringValue?.contains("--frobnicate") == true)
        let missing = try locus(["query", "--db", ":memory:"])
        #expect(missing.status == 2 && missing.err.contains("<query>"))
        let csv = try locus(["query", "--db", ":memory:", "--csv", #"FOR i IN 1..2 RETURN {n: i, s: "a,\"b\"\nc"}"#])
        #expect(csv.status == 0 && csv.out == "n,s\n1,\"a,\"\"b\"\"\nc\"\n2,\"a,\"\"b\"\"\nc\"\n")
        #expect(try locus(["query", "--db", ":memory:", "--csv", "--json", "RETURN 1"]).status == 2)
        let badType = try locus(["collection", "create", "c", "--type", "table", "--db", ":memory:"])
        #expect(badType.status == 2 && badType.err.contains("document") && badType.err.contains("kv"))
        let help = try locus(["help", "query"])
        #expect(help.status == 0 && help.out.contains("--bind") && help.out.contains("--options"))
        let group = try locus(["graph", "vertex"])
        #expect(group.status == 0 && group.out.contains("insert") && group.out.contains("replace"))
        let completion = try locus(["--generate-completion-script", "bash"])
        #expect(
            completion.status == 0 && completion.out.hasPrefix("#!/bin/bash") && completion.out.contains("compliance"))
        #expect(try locus(["--version"]).out.hasPrefix("locus 0.1.0"))
    }

    @Test func rulesListsTheOptimizerRulesInOrder() throws {
        let text = try locus(["rules"])
        let names = text.out.split(separator: "\n").map { $0.split(separator: "\t")[0] }
        #expect(text.status == 0 && names.first == "constant-folding" && names.contains("use-indexes"))
        #expect(text.out.split(separator: "\n").allSatisfy { $0.split(separator: "\t").count == 2 })
        let json = try locus(["rules", "--json"])
        let first = try JSONReader.parse(String(json.out.split(separator: "\n")[0]))
        #expect(first[attribute: "name"] == .string("constant-folding"))
        #expect(first[attribute: "flags"][attribute: "canBeDisabled"] == .bool(true))
    }
}
