// The shell without a terminal, through the built binary: statements from a pipe with no
// prompt and no line editor, `-c`, `-f`, exit codes, `--bail`, and the output-format flags.

import Foundation
import Testing
@testable import LocusValues

@Suite(.serialized) struct ShellScriptTests {
    let cli = CLITests()

    @Test func aPipeGetsNoPromptNoGreetingAndJSONLines() throws {
        let r = try cli.locus(["--db", ":memory:"], stdin: "RETURN {a: 1}\nFOR x IN [1,\n 2] RETURN x; RETURN 'z'\n")
        #expect(r.status == 0)
        #expect(r.out == "{\"a\":1}\n1\n2\n\"z\"\n")
        #expect(r.err.isEmpty)
    }

    @Test func exitStatusIsOneAfterAnyErrorAndTheScriptGoesOn() throws {
        let r = try cli.locus(["--db", ":memory:"], stdin: "RETURN nope\nRETURN 2\n")
        #expect(r.status == 1)
        #expect(r.out == "2\n")
        #expect(
            r.err.contains("error 1512 at 1:8: unknown variable 'nope'") && r.err.contains("  RETURN nope\n         ^"))
    }

    @Test func bailStopsAtTheFirstError() throws {
        let r = try cli.locus(["--db", ":memory:", "--bail"], stdin: "RETURN 1\nRETURN nope\nRETURN 3\n")
        #expect(r.status == 1)
        #expect(r.out == "1\n")
        let c = try cli.locus(["--db", ":memory:", "--bail", "-c", "RETURN 1; RETURN nope; RETURN 3"])
        #expect(c.status == 1 && c.out == "1\n")
    }

    @Test func commandAndFileRunAndExit() throws {
        let ok = try cli.locus(["--db", ":memory:", "-c", "RETURN 40 + 2"])
        #expect(ok.status == 0 && ok.out == "42\n")
        let script = NSTemporaryDirectory() + "locus-script-\(UUID().uuidString).aql"
        try "// a script\n.mode csv\nFOR x IN 1..2\n  RETURN {x, y: x * 2}\n".write(
            toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let f = try cli.locus(["--db", ":memory:", "-f", script])
        #expect(f.status == 0 && f.out == "x,y\n1,2\n2,4\n")
        let missing = try cli.locus(["--db", ":memory:", "-f", "/no/such/script.aql"])
        #expect(missing.status == 1 && missing.err.contains("cannot read file"))
    }

    @Test func outputFormatFlags() throws {
        let q = "FOR x IN 1..2 RETURN {x, s: CONCAT('v', x)}"
        #expect(
            try cli.locus(["--db", ":memory:", "--jsonl", "-c", q]).out
                == "{\"x\":1,\"s\":\"v1\"}\n{\"x\":2,\"s\":\"v2\"}\n")
        #expect(try cli.locus(["--db", ":memory:", "--csv", "-c", q]).out == "x,s\n1,v1\n2,v2\n")
        let json = try cli.locus(["--db", ":memory:", "--json", "-c", q])
        #expect(try JSONReader.parse(json.out) == [["x": 1, "s": "v1"], ["x": 2, "s": "v2"]])
        let table = try cli.locus(["--db", ":memory:", "--table", "-c", q]).out
        #expect(table.hasPrefix("┌───┬────┐\n│ x │ s  │\n"))
        #expect(!table.contains("\u{1B}"))
        #expect(try cli.locus(["--db", ":memory:", "--markdown", "-c", q]).out.hasPrefix("| x | s |"))
        #expect(try cli.locus(["--db", ":memory:", "--line", "-c", q]).out == "x = 1\ns = v1\n\nx = 2\ns = v2\n")
        let two = try cli.locus(["--db", ":memory:", "--csv", "--json", "-c", q])
        #expect(two.status == 2 && two.err.contains("'--json'") && two.err.contains("'--csv'") && two.out.isEmpty)
    }

    @Test func warningsGoToStandardErrorAndStdoutStaysClean() throws {
        let r = try cli.locus(["--db", ":memory:", "--json", "-c", "RETURN 1 / 0"])
        #expect(r.status == 0)
        #expect(try JSONReader.parse(r.out) == [nil])
        #expect(r.err.contains("warning 1562: division by zero"))
    }

    @Test func usageMistakes() throws {
        #expect(try cli.locus(["--db", ":memory:", "stray"]).status == 2)
        #expect(try cli.locus(["--db", ":memory:", "-c"]).status == 2)
    }
}
