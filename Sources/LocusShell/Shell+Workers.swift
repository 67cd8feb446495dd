// `.worker` at the prompt: Macrometa's query workers. A saved worker takes the session's
// `.param` values that its query names as defaults; a run takes them over the defaults.

import Locus
import LocusValues

extension Shell {
    func workerNames() -> [String] { ((try? database.queryWorkers()) ?? []).map(\.name) }

    func worker(_ inv: DotCommand.Invocation) throws {
        switch inv.words.first {
        case "list"? where inv.words.count == 1, nil:
            showListing(
                try database.queryWorkers().map { w in
                    ["name": .string(w.name), "query": .string(w.query), "parameter": w.json[attribute: "parameter"]]
                })
        case "save"? where inv.words.count >= 3:
            let name = inv.words[1]
            let text = String(
                String(inv.rest.trimmingWhitespace().dropFirst(4)).trimmingWhitespace().dropFirst(name.count)
            ).trimmingWhitespace()
            let replacing = try database.queryWorker(name) != nil
            try database.saveQueryWorker(
                QueryWorker(name: name, query: text, parameters: bindVariables(for: text)), replacing: replacing)
            say("\(replacing ? "updated" : "saved") query worker \(name)")
        case "run"? where inv.words.count == 2:
            guard let w = try database.queryWorker(inv.words[1]) else {
                throw Shell.failure("no query worker '\(inv.words[1])'")
            }
            let started = Shell.now()
            let result = try database.runQueryWorker(
                w.name, bindVars: bindVariables(for: w.query),
                options: QueryOptions(optimizerRules: optimizerRules))
            lastDuration = Shell.now() - started
            show(result.rows)
            for warning in result.warnings { sayError(style.yellow("warning \(warning.code): \(warning.message)")) }
            if timer { sayError(style.dim(timing(result, lastDuration!))) }
        case "drop"? where inv.words.count == 2:
            try database.dropQueryWorker(inv.words[1])
        default:
            throw Shell.usage(".worker")
        }
    }
}
