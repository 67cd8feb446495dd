// `locus worker`: Macrometa's query workers from the command line: save (checked at once),
// list, run with bind values over the saved defaults, and drop.

import ArgumentParser
import Locus
import LocusValues

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Saved queries (Macrometa's query workers).",
        subcommands: [Save.self, List.self, Run.self, Drop.self])

    struct Save: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "save",
            abstract: "Save a query worker, or replace one; its bind values are the defaults.")
        @Argument(help: "The worker's name.") var name: String
        @Argument(help: "The C8QL query.") var query: String
        @Option(help: ArgumentHelp("Default bind parameter values, as a JSON object.", valueName: "json"))
        var bind: String?
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }
        var queryText: String? { query }

        func execute() throws -> Int32 {
            let db = try target.open()
            let replacing = try db.queryWorker(name) != nil
            let w = try db.saveQueryWorker(
                QueryWorker(name: name, query: query, parameters: try QueryInputs.bindVars(bind)), replacing: replacing)
            Output.out(
                output.json ? JSONWriter.string(w.json) : "\(replacing ? "updated" : "saved") query worker \(name)")
            return 0
        }
    }

    struct List: LocusCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the query workers.")
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            let all = try target.open().queryWorkers()
            if output.json {
                Output.out(JSONWriter.string(.array(all.map(\.json))))
            } else {
                for w in all {
                    Output.out("\(w.name)\t\(w.query)\t\(JSONWriter.string(w.json[attribute: "parameter"]))")
                }
            }
            return 0
        }
    }

    struct Run: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a query worker; --bind values override its defaults.")
        @Argument(help: "The worker's name.") var name: String
        @OptionGroup var inputs: QueryInputs
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            let r = try target.open().runQueryWorker(
                name, bindVars: try inputs.bindVars(), options: try inputs.queryOptions())
            if output.json {
                Output.out(
                    JSONWriter.string([
                        "result": .array(r.rows), "warnings": Output.warnings(r.warnings),
                        "extra": ["stats": Output.stats(r.stats)], "count": .int(r.rows.count), "error": false,
                    ]))
            } else {
                for row in r.rows { Output.out(JSONWriter.string(row)) }
                for w in r.warnings { Output.err("warning \(w.code): \(w.message)") }
            }
            return 0
        }
    }

    struct Drop: LocusCommand {
        static let configuration = CommandConfiguration(commandName: "drop", abstract: "Drop a query worker.")
        @Argument(help: "The worker's name.") var name: String
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            try target.open().dropQueryWorker(name)
            return 0
        }
    }
}
