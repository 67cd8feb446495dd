// `locus worker`: Macrometa's query workers from the command line: save (checked at once),
// list, run with bind values over the saved defaults, and drop.

import Locus
import LocusValues

extension Commands {
    static func worker(_ a: Arguments) throws -> Int32 {
        let verb = try a.require(0, "worker subcommand (save, list, run, drop)")
        let db = try open(a)
        let json = a.switches.contains("json")
        switch verb {
        case "save":
            let name = try a.require(1, "worker name")
            let text = try a.require(2, "query text")
            let replacing = try db.queryWorker(name) != nil
            let w = try db.saveQueryWorker(
                QueryWorker(name: name, query: text, parameters: try bindVars(a)), replacing: replacing)
            if json {
                Output.out(JSONWriter.string(w.json))
            } else {
                Output.out("\(replacing ? "updated" : "saved") query worker \(name)")
            }
        case "list":
            let all = try db.queryWorkers()
            if json {
                Output.out(JSONWriter.string(.array(all.map(\.json))))
            } else {
                for w in all {
                    Output.out("\(w.name)\t\(w.query)\t\(JSONWriter.string(w.json[attribute: "parameter"]))")
                }
            }
        case "run":
            let r = try db.runQueryWorker(
                try a.require(1, "worker name"), bindVars: try bindVars(a), options: try queryOptions(a))
            if json {
                Output.out(
                    JSONWriter.string([
                        "result": .array(r.rows), "warnings": Output.warnings(r.warnings),
                        "extra": ["stats": Output.stats(r.stats)], "count": .int(r.rows.count), "error": false,
                    ]))
            } else {
                for row in r.rows { Output.out(JSONWriter.string(row)) }
                for w in r.warnings { Output.err("warning \(w.code): \(w.message)") }
            }
        case "drop":
            try db.dropQueryWorker(try a.require(1, "worker name"))
        default:
            throw Arguments.UsageError(message: "unknown worker subcommand '\(verb)'")
        }
        return 0
    }
}
