// Runs the built `locus` binary: a query that only reads prints its JSON lines as it makes
// them (the same lines, warnings and summary as a materialised result), one that fails early
// prints no rows, writing queries and the other formats still run whole, and export prints
// every document of a file database.

import Testing
@testable import LocusValues

@Suite(.serialized) struct StreamingCLITests {
    let cli = CLITests()

    @Test func readingQueriesPrintTheSameLinesAsTheirResult() throws {
        let db = cli.tempDB()
        #expect(try cli.locus(["collection", "create", "t", "--db", db]).status == 0)
        let fill = "FOR i IN 1..3000 INSERT {_key: TO_STRING(i), n: i, tags: [i % 3, 'x']} INTO t"
        #expect(try cli.locus(["query", "--db", db, fill]).status == 0)
        let read = "FOR d IN t SORT d.n RETURN {n: d.n, tags: d.tags, half: d.n / 2}"
        let lines = try cli.locus(["query", "--db", db, read])
        #expect(lines.status == 0)
        let whole = try cli.locus(["query", "--db", db, "--json", read]).json?[attribute: "result"].arrayValue ?? []
        let printed = lines.out.split(separator: "\n").map { try? JSONReader.parse(String($0)) }
        #expect(whole.count == 3000 && printed.count == 3000)
        #expect(printed.map { $0 ?? .null } == whole)
        #expect(lines.err == "3000 rows, 0 written, 3000 scanned, 0 from indexes\n")
        let exported = try cli.locus(["export", "t", "--db", db])
        #expect(exported.status == 0 && exported.out.split(separator: "\n").count == 3000)
    }

    @Test func warningsFailuresAndWritesKeepTheirOutput() throws {
        let warned = try cli.locus(["query", "--db", ":memory:", "FOR i IN [1, 0] RETURN 1 / i"])
        #expect(warned.status == 0 && warned.out == "1\nnull\n")
        #expect(warned.err == "warning 1562: division by zero\n2 rows, 0 written, 0 scanned, 0 from indexes\n")
        let failed = try cli.locus(["query", "--db", ":memory:", "FOR i IN 1..5 RETURN i == 3 ? FAIL('three') : i"])
        #expect(failed.status == 1 && failed.out.isEmpty && failed.err.contains("error 1569"))
        let db = cli.tempDB()
        #expect(try cli.locus(["collection", "create", "t", "--db", db]).status == 0)
        let wrote = try cli.locus([
            "query", "--db", db, "FOR i IN 1..2 INSERT {_key: TO_STRING(i)} INTO t RETURN NEW._key",
        ])
        #expect(wrote.status == 0 && wrote.out == "\"1\"\n\"2\"\n" && wrote.err.hasPrefix("2 rows, 2 written"))
        let table = try cli.locus(["query", "--db", db, "--csv", "FOR d IN t SORT d._key RETURN {k: d._key}"])
        #expect(table.status == 0 && table.out.contains("k") && table.out.contains("2"))
    }
}
