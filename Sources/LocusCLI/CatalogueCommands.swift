// `locus functions` and `locus rules`: what the language offers, read from the function
// registry and the optimizer's rule list.

import ArgumentParser
import Locus
import LocusFunctions
import LocusValues

struct Functions: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "functions",
        abstract: "List the C8QL functions (signature, arity, description), or one by name.")

    @Argument(help: "A function's name.") var name: String?

    func execute() throws -> Int32 {
        let all = FunctionRegistry.all.values.sorted { $0.name < $1.name }
        let chosen = name.map { n in all.filter { $0.name == n.uppercased() } } ?? all
        if chosen.isEmpty, let name {
            if let reason = FunctionRegistry.exclusions[name.uppercased()] {
                Output.err("locus: \(name.uppercased())() is not available in Locus: \(reason)")
            } else {
                Output.err("locus: unknown function '\(name)'")
            }
            return 1
        }
        for f in chosen {
            let arity = "\(f.minArgs)..\(f.maxArgs.map(String.init) ?? "*") args"
            let description = FunctionRegistry.descriptions[f.name] ?? ""
            Output.out("\(f.signature)\t\(arity)\(f.deterministic ? "" : ", non-deterministic")\t\(description)")
        }
        return 0
    }
}

struct Rules: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the optimizer's rules in the order they run (--json: as ArangoDB's /_api/query/rules).")

    @OptionGroup var output: JSONOutput
    var errorsAsJSON: Bool { output.json }

    func execute() throws -> Int32 {
        for rule in Database.optimizerRules {
            Output.out(output.json ? JSONWriter.string(rule.json) : "\(rule.name)\t\(rule.description)")
        }
        return 0
    }
}
