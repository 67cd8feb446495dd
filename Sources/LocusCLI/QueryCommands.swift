// `locus query`, `locus explain` and `locus bench`: run a query, show its plan, or time it.
// Their shapes and JSON are a public contract used by scripts and the benchmark harness.

import ArgumentParser
import Locus
import LocusShell
import LocusValues

/// How `query` prints rows other than as JSON lines.
enum RowFormat: String, EnumerableFlag, CaseIterable {
    case csv, table, markdown, line

    static func help(for value: RowFormat) -> ArgumentHelp? {
        ArgumentHelp("Print the rows as \(OutputMode(rawValue: value.rawValue)?.summary ?? value.rawValue).")
    }
}

struct Query: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a query: rows as JSON lines, or with --json ArangoDB's cursor response.")

    @OptionGroup var target: DatabaseTarget
    @OptionGroup var inputs: QueryInputs
    @OptionGroup var output: JSONOutput
    @Flag(exclusivity: .exclusive) var format: RowFormat?
    @Argument(help: "The C8QL query.") var query: String

    var errorsAsJSON: Bool { output.json }
    var queryText: String? { query }

    func validate() throws {
        if output.json, let format { throw ValidationError("choose --json or --\(format.rawValue), not both") }
    }

    func execute() throws -> Int32 {
        try QueryRun(
            location: target.location, bind: inputs.bind, options: inputs.options, json: output.json, format: format,
            query: query
        ).execute()
    }
}

/// One `locus query` as parsed, by ArgumentParser or by `FastPath`.
struct QueryRun {
    var location: DatabaseLocation
    var bind: String?
    var options: String?
    var json = false
    var format: RowFormat?
    var query: String

    func execute() throws -> Int32 {
        let db = try location.open()
        let bindVars = try QueryInputs.bindVars(bind)
        var queryOptions = try QueryInputs.queryOptions(options)
        // JSON lines of a query that only reads are printed as the query makes them, so that
        // memory stays small however many rows there are.
        if !json, format == nil, try !db.writes(query: query) {
            let lines = Output.Lines()
            var count = 0
            // Rows still in the buffer when the query fails are dropped: a failing query whose
            // rows fit in it prints none, as a materialised one would.
            let r = try db.streamJSON(query, bindVars: bindVars, options: queryOptions) { row in
                lines.append(jsonText: row)
                count += 1
            }
            lines.flush()
            summarize(r, rows: count)
            return 0
        }
        // Rows are only written out: taken as JSON, a document returned whole is never decoded.
        queryOptions.rowsAsJSON = format == nil
        let r = try db.query(query, bindVars: bindVars, options: queryOptions)
        if json {
            var extra: Object = ["stats": Output.stats(r.stats), "warnings": Output.warnings(r.warnings)]
            if let p = r.profile { extra["profile"] = p.json }
            let rest: Object = [
                "warnings": Output.warnings(r.warnings), "extra": .object(extra), "count": .int(r.count),
                "hasMore": false, "cached": false, "error": false, "code": 201,
            ]
            var out: [UInt8] = []
            r.jsonRows.writeObject(key: "result", then: rest, into: &out)
            out.append(0x0A)
            Output.write(1, bytes: out)
        } else {
            if let format, let mode = OutputMode(rawValue: format.rawValue) {
                Output.raw(ResultFormatter(mode: mode).render(r.rows))
            } else {
                let lines = Output.Lines()
                for row in r.jsonRows { lines.append(jsonText: row) }
                lines.flush()
            }
            summarize(r, rows: r.count)
        }
        return 0
    }

    /// The warnings and the one-line summary on standard error.
    func summarize(_ r: QueryResult, rows: Int) {
        for w in r.warnings { Output.err("warning \(w.code): \(w.message)") }
        Output.err(
            "\(rows) row\(rows == 1 ? "" : "s"), \(r.stats.writesExecuted) written, \(r.stats.scannedFull) scanned, \(r.stats.scannedIndex) from indexes"
        )
    }
}

struct Explain: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show a query's execution plan, and with --json ArangoDB's explain response.")

    @OptionGroup var target: DatabaseTarget
    @OptionGroup var inputs: QueryInputs
    @OptionGroup var output: JSONOutput
    @Argument(help: "The C8QL query.") var query: String

    var errorsAsJSON: Bool { output.json }
    var queryText: String? { query }

    func execute() throws -> Int32 {
        let e = try target.open().explain(query, bindVars: try inputs.bindVars(), options: try inputs.queryOptions())
        Output.out(output.json ? JSONWriter.string(e.json) : e.text)
        return 0
    }
}

struct Bench: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a query in process: {\"rows\": N, \"timings_ns\": [...]}, one timing per rep.")

    @OptionGroup var target: DatabaseTarget
    @Option(help: ArgumentHelp("Bind parameter values, as a JSON object.", valueName: "json")) var bind: String?
    @Option(help: "Untimed runs first.") var warmup = 1
    @Option(help: "Timed runs.") var reps = 1
    @Flag(
        help: """
            Commit every timed run of a writing query (its writes accumulate), to time writes as \
            a long-lived process makes them; by default all but the last run roll back.
            """)
    var commitEach = false
    @Flag(
        help: """
            Give every run a text of its own (the query with a distinct comment after it), so that \
            each is parsed and planned: the plan cache then hides nothing.
            """)
    var distinctTexts = false
    @OptionGroup var output: JSONOutput
    @Argument(help: "The C8QL query.") var query: String

    var errorsAsJSON: Bool { output.json }
    var queryText: String? { query }

    func execute() throws -> Int32 {
        let db = try target.open()
        let binds = try QueryInputs.bindVars(bind)
        var rows = 0
        // Read once: an argument-parser property costs hundreds of instructions a read.
        let (commitEach, distinctTexts, query) = (commitEach, distinctTexts, query)
        // The texts are made before the clock starts.
        let warmups = max(0, warmup), runs = max(1, reps)
        let texts = (0..<(warmups + runs)).map { distinctTexts ? query + "\n/* run \($0) */" : query }
        // Every run but the last rolls its writes back, so each starts from the same data and
        // the database ends as after one execution.
        // Rows are taken as JSON texts, as the server's cursors and `locus query` take them.
        var committing = QueryOptions()
        committing.rowsAsJSON = true
        var scratch = committing
        scratch.rollback = true
        for i in 0..<warmups { rows = try db.query(texts[i], bindVars: binds, options: scratch).count }
        var timings: [Value] = []
        for run in 0..<runs {
            let text = texts[warmups + run]
            let t0 = MonotonicClock.nanoseconds()
            let commits = commitEach || run == runs - 1
            rows = try db.query(text, bindVars: binds, options: commits ? committing : scratch).count
            timings.append(.int(MonotonicClock.nanoseconds() - t0))
        }
        Output.out(JSONWriter.string(["rows": .int(rows), "timings_ns": .array(timings)]))
        return 0
    }
}
