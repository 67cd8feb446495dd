// Unit tests of the shell's parts: statement completeness and splitting, display widths and
// table fitting, the output modes' edge cases, query layout, completion by context, and the
// session commands that need a fabric or a file system.

import Foundation
import Locus
@testable import LocusShell
import LocusValues
import Testing

@Suite struct StatementBufferTests {
    @Test func waitsForTheParserToSeeACompleteStatement() {
        var b = StatementBuffer()
        #expect(b.add("FOR x IN [1,").isEmpty)
        #expect(b.add("2]").isEmpty)
        #expect(b.add("RETURN x") == ["FOR x IN [1,\n2]\nRETURN x"])
        #expect(b.isEmpty)
    }

    @Test func semicolonsEndStatementsOutsideStringsAndComments() {
        var b = StatementBuffer()
        #expect(b.add("RETURN 1; RETURN ';' // ; here") == ["RETURN 1", "RETURN ';' // ; here"])
        #expect(b.add("RETURN `a;b`; RETURN \"x\\\";\";") == ["RETURN `a;b`", "RETURN \"x\\\";\""])
        #expect(b.add("/* ; */ RETURN 2 /* open").isEmpty)
        #expect(b.add("; */") == ["/* ; */ RETURN 2 /* open\n; */"])
        // An incomplete statement before a ';' still runs, to report its error.
        #expect(b.add("RETURN (;") == ["RETURN ("])
        // Characters the lexer refuses end nothing; the statement runs to report them.
        #expect(b.add("RETURN # 01 @; RETURN ´a;b´; RETURN $") == ["RETURN # 01 @", "RETURN ´a;b´", "RETURN $"])
        #expect(b.add("RETURN [1, €,") == [])
        #expect(b.add("2]") == ["RETURN [1, €,\n2]"])
    }

    /// Pasting a long JSON array used to parse the whole pending text at every line (20,000
    /// lines took minutes); inside brackets, strings and comments no parse is needed.
    @Test func aPastedArrayIsParsedOnceNotPerLine() {
        var b = StatementBuffer()
        #expect(b.add("RETURN LENGTH([").isEmpty)
        for i in 0..<20_000 { #expect(b.add("  {\"n\": \(i), \"s\": \"a ] ; /* \"},").isEmpty) }
        #expect(b.add("  /* end ] */ {}") == [])
        let done = b.add("])")
        #expect(done.count == 1 && done[0].hasSuffix("{}\n])"))
        #expect(b.parses == 1)
        // A backslash before a string's quote keeps the string open past the line's end; a `/`
        // ending one line and a `*` starting the next open no comment (a newline is between).
        #expect(b.add("RETURN \"a\\\"").isEmpty)
        #expect(b.add("b\" /").isEmpty)
        #expect(b.add("* c */") == ["RETURN \"a\\\"\nb\" /\n* c */"])
    }

    @Test func explainFitsTheTerminal() {
        let plan =
            "Execution plan:\n Id   NodeType   Comment\n  1   SingletonNode   " + String(repeating: "x", count: 200)
            + "\n"
        let fitted = Shell.fit(plan, to: 40)
        #expect(fitted.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 40 })
        #expect(fitted.contains("…") && fitted.hasPrefix("Execution plan:\n Id   NodeType   Comment\n"))
        #expect(Shell.fit(plan, to: nil) == plan)
    }

    @Test func commentsAloneStartNothing() {
        var b = StatementBuffer()
        #expect(b.add("// just a note").isEmpty)
        #expect(b.isEmpty)
        #expect(b.add("/* open").isEmpty)
        #expect(!b.isEmpty)
    }

    @Test func explainWaitsForItsQuery() {
        #expect(StatementBuffer.isIncomplete("EXPLAIN"))
        #expect(StatementBuffer.isIncomplete("EXPLAIN FOR x IN y"))
        #expect(!StatementBuffer.isIncomplete("EXPLAIN RETURN 1"))
        #expect(!StatementBuffer.isIncomplete("RETURN nonsense nonsense"))
    }
}

@Suite struct DisplayTests {
    @Test func widthsCountTerminalColumns() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("漢字") == 4)
        #expect(DisplayWidth.of("🎉") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)  // e + combining acute
        #expect(DisplayWidth.of("👩‍💻") == 2)  // ZWJ sequence
        #expect(DisplayWidth.of("ｆｕｌｌ") == 8)
    }

    @Test func truncationNeverSplitsAWideCharacter() {
        #expect(DisplayWidth.truncate("漢字テスト", to: 5) == "漢字…")
        #expect(DisplayWidth.truncate("short", to: 5) == "short")
        #expect(DisplayWidth.truncate("longer", to: 5) == "long…")
    }

    @Test func tablesFitTheTerminal() {
        let rows: [Value] = (1...3).map { i in
            ["id": .int(i), "text": .string(String(repeating: "wide 漢字 ", count: 20))]
        }
        for width in [30, 50, 80, 120] {
            let text = ResultFormatter(mode: .table, width: width).render(rows[...])
            for line in text.split(separator: "\n") {
                #expect(DisplayWidth.of(line) <= width, "width \(width): \(line)")
            }
        }
        let unlimited = ResultFormatter(mode: .table, width: nil).render(rows[...])
        #expect(unlimited.contains(String(repeating: "wide 漢字 ", count: 20).trimmingWhitespace()))
    }

    @Test func colourIsOnlyAddedWhenAsked() {
        let rows: [Value] = [["a": nil]]
        #expect(!ResultFormatter(mode: .table, width: 80).render(rows[...]).contains("\u{1B}"))
        #expect(
            ResultFormatter(mode: .table, width: 80, style: Style(enabled: true)).render(rows[...]).contains(
                "\u{1B}[2m"))
    }

    @Test func modesHandleMixedAndEmptyResults() {
        let mixed: [Value] = [1, ["a": 1]]
        #expect(ResultFormatter(mode: .csv, width: nil).render(mixed[...]) == "result\n1\n\"{\"\"a\"\":1}\"\n")
        #expect(ResultFormatter(mode: .csv, width: nil).render([][...]) == "")
        // RFC 4180: raw line breaks inside quotes, doubled quotes, commas quoted, tabs as they are.
        let texts: [Value] = [["a": "x\ny", "b": "q\"z", "c": "t,t", "d": "tab\there", "e": .null]]
        #expect(
            ResultFormatter(mode: .csv, width: nil).render(texts[...])
                == "a,b,c,d,e\n\"x\ny\",\"q\"\"z\",\"t,t\",tab\there,\n")
        #expect(ResultFormatter(mode: .json, width: nil).render([][...]) == "[]\n")
        #expect(ResultFormatter(mode: .table, width: nil).render([[:]][...]) == "(1 empty document)\n")
        #expect(ResultFormatter(mode: .line, width: nil).render(["x"][...]) == "result = x\n")
        #expect(ResultFormatter.cell(.string("tab\there")) == "tab\\there")
    }
}

@Suite struct QueryFormatterTests {
    @Test func clausesGoOnTheirOwnLinesAndSubqueriesIndent() throws {
        let text = try QueryFormatter.format(
            "for u in users filter u.a > 1 let c = (for o in orders return o) return {u, n: length(c)}")
        #expect(
            text == """
                FOR u IN users
                FILTER u.a > 1
                LET c = (
                  FOR o IN orders
                  RETURN o
                )
                RETURN {u, n: length(c)}
                """)
        #expect(
            try QueryFormatter.format("FOR d IN c UPDATE d WITH {x: d.x[0]} IN c")
                == "FOR d IN c\nUPDATE d WITH {x: d.x[0]} IN c")
        #expect(try QueryFormatter.format("RETURN 1..3") == "RETURN 1..3")
        #expect(throws: LocusError.self) { try QueryFormatter.format("RETURN (") }
    }
}

@Suite struct CompleterTests {
    func completer() -> Completer {
        var c = Completer()
        c.commands = Shell.commands.map(\.name)
        c.commandArguments = { name, i in
            name == ".mode" && i == 0 ? OutputMode.allCases.map(\.rawValue) : name == ".read" ? nil : []
        }
        c.collections = ["users", "uploads", "orders"]
        c.graphs = ["social", "my graph"]
        c.parameters = ["min", "@coll"]
        c.attributes = ["name", "address", "age"]
        return c
    }

    func complete(_ line: String, _ c: Completer? = nil) -> [String] {
        let breaks: Set<Character> = [
            " ", "(", ")", "[", "]", "{", "}", ",", ";", ":", "=", "<", ">", "!", "+", "*", "%", "|", "&", "`", "?",
        ]
        let start =
            line.lastIndex(where: { breaks.contains($0) }).map { line.utf8.distance(from: line.startIndex, to: $0) + 1 }
            ?? 0
        return (c ?? completer()).complete(line: line, wordStart: start, cursor: line.utf8.count)
    }

    @Test func dotCommandsAndTheirArguments() {
        #expect(complete(".mo") == [".mode", ".more"])
        #expect(complete(".mode j") == ["json", "jsonl"])
        #expect(complete(".ti") == [".timer"])
        var continuing = completer()
        continuing.atStatementStart = false
        #expect(!complete(".mo", continuing).contains(".mode"))
    }

    @Test func filesForFileArguments() throws {
        let dir = NSTemporaryDirectory() + "locus-complete-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/script.aql", contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(complete(".read \(dir)/s") == ["\(dir)/script.aql", "\(dir)/sub/"])
    }

    @Test func namesByContext() {
        #expect(complete("FOR u IN u").prefix(3) == ["uploads", "users", "UNION("])
        #expect(complete("INSERT {} INTO o") == ["orders"])
        #expect(complete("FOR v IN 1 OUTBOUND 'x' GRAPH s") == ["social"])
        #expect(complete("FOR v IN 1 OUTBOUND 'x' GRAPH m") == ["\"my graph\""])
        #expect(complete("FOR v IN 1 OUTBOUND 'x' GRAPH \"m") == ["\"my graph\""])
        #expect(complete("FILTER x > @m") == ["@min"])
        #expect(complete("FOR x IN @@") == ["@@coll"])
        #expect(complete("RETURN u.a") == ["u.address", "u.age"])
        #expect(complete("RETURN 1..") == [])
    }

    @Test func keywordsAndFunctionsInTheChosenCase() {
        #expect(complete("RETURN CONCAT_S") == ["CONCAT_SEPARATOR("])
        #expect(complete("fil") == ["FILTER"])
        var lower = completer()
        lower.keywordCase = .lower
        #expect(complete("FIL", lower) == ["filter"])
        var preserve = completer()
        preserve.keywordCase = .preserve
        #expect(complete("fil", preserve) == ["filter"])
        #expect(complete("Fil", preserve) == ["FILTER"])
        #expect(complete("RETURN").contains("RETURN"))
        #expect(complete("") == [])
    }
}

@Suite struct ShellSessionTests {
    func session(_ db: Database? = nil) throws -> (Shell, CapturedScreen) {
        let screen = CapturedScreen()
        return (Shell(database: try db ?? Database.inMemory(), screen: screen), screen)
    }

    @Test func completionSeesTheCatalogParametersAndLastResult() throws {
        let (shell, _) = try session()
        shell.execute(".sample\n.param set min 3\nFOR c IN cities LIMIT 1 RETURN KEEP(c, 'name', 'population')")
        #expect(shell.completions(line: "FOR c IN ci", wordStart: 9, cursor: 11) == ["cities"])
        #expect(shell.completions(line: "RETURN @", wordStart: 7, cursor: 8) == ["@min"])
        #expect(shell.completions(line: "RETURN c.po", wordStart: 7, cursor: 11) == ["c.population"])
        #expect(shell.completions(line: "GRAPH eu", wordStart: 6, cursor: 8) == ["europe"])
        #expect(shell.completions(line: ".indexes ro", wordStart: 9, cursor: 11) == ["roads"])
    }

    @Test func workersTakeTheSessionParametersAsDefaults() throws {
        let db = try Database.inMemory()
        let (shell, screen) = try session(db)
        shell.execute(
            ".param set min 4\n.worker save big FOR i IN 1..5 FILTER i >= @min RETURN i\n.param set min 5\n.worker run big"
        )
        #expect(try db.queryWorker("big")?.parameters == ["min": 4])
        #expect(screen.text.contains("saved query worker big"))
        #expect(screen.text.contains("5") && !screen.text.contains("4\n5"))
        shell.execute(".worker save broken FOR i IN 1..5 RETURN\n.worker drop big\n.worker run big")
        #expect(screen.text.contains("1501"))
        #expect(screen.text.contains("no query worker 'big'"))
        #expect(try db.queryWorkers().isEmpty)
        #expect(shell.completions(line: ".worker r", wordStart: 8, cursor: 9) == ["run"])
    }

    @Test func popSwitchesBetweenThePoPsOfALocalFabric() throws {
        let dir = NSTemporaryDirectory() + "locus-pop-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fabricText = try String(contentsOfFile: Transcript.directory + "/../fabrics/trio.json", encoding: .utf8)
        let fabric = try LocalFabric.create(fabric: try Fabric(json: fabricText), directory: dir)
        let first = fabric.pops[0], second = fabric.pops[1]
        let (shell, screen) = try session(try fabric.open(first))
        #expect(shell.prompt() == "locus@\(first)> ")
        shell.execute(".pop")
        #expect(screen.text.contains("PoP \(first) in "))
        shell.execute(".pop \(second)")
        #expect(shell.prompt() == "locus@\(second)> ")
        #expect(shell.database.replica?.pop == second)
        shell.execute(".pop nowhere")
        #expect(screen.text.contains("'nowhere' is not a PoP"))
        #expect(shell.status == 1)
        let (plain, plainScreen) = try session()
        plain.execute(".pop \(first)")
        #expect(plainScreen.text.contains("no local fabric"))
    }

    @Test func bailStopsAtTheFirstErrorOnly() throws {
        let (shell, screen) = try session()
        shell.execute("RETURN nope\n.bail on\nRETURN 1\nRETURN nope2\nRETURN 'never'")
        #expect(screen.text.contains("1\n") || screen.text.contains("│      1 │"))
        #expect(screen.text.contains("nope2"))
        #expect(!screen.text.contains("never"))
    }
}
