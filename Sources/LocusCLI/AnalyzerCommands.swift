// `locus analyzer`: ArangoSearch's analyzers from the command line: create a custom one
// (checked at once), list the built-in and custom ones, show one's tokens of a text, and drop.

import ArgumentParser
import Locus
import LocusValues

struct AnalyzerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyzer", abstract: "ArangoSearch analyzers: create, list, tokens, drop.",
        subcommands: [Create.self, List.self, Tokens.self, Drop.self])

    struct Create: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create a custom analyzer (identical to an existing one: unchanged).")
        @Argument(help: "The analyzer's name.") var name: String
        @Option(help: "identity, delimiter, stem, norm, ngram, text or pipeline.") var type: String
        @Option(help: ArgumentHelp("The analyzer's properties, as a JSON object.", valueName: "json"))
        var properties: String?
        @Option(help: ArgumentHelp("Features: frequency, norm, position, offset.", valueName: "a,b"))
        var features: String?
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            var props: Object = [:]
            if let properties {
                guard case .object(let o) = try JSONReader.parse(properties) else {
                    throw LocusError(.badParameter, "--properties must be a JSON object")
                }
                props = o
            }
            let definition = try AnalyzerDefinition(
                name: name, type: type, properties: props,
                features: features.map { $0.split(separator: ",").map { String($0) } } ?? [])
            let (analyzer, created) = try target.open().createAnalyzer(definition)
            Output.out(
                output.json
                    ? JSONWriter.string(analyzer.json())
                    : "\(created ? "created" : "unchanged") analyzer \(name)")
            return 0
        }
    }

    struct List: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the analyzers: built-in ones first, then custom ones.")
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            let all =
                AnalyzerDefinition.builtIn.values.sorted { $0.name < $1.name } + (try target.open().analyzers())
            if output.json {
                Output.out(JSONWriter.string(.array(all.map { $0.json() })))
            } else {
                for a in all { Output.out("\(a.name)\t\(a.type)\t\(JSONWriter.string(.object(a.properties)))") }
            }
            return 0
        }
    }

    struct Tokens: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "tokens", abstract: "Show the tokens an analyzer makes of a text (TOKENS).")
        @Argument(help: "The analyzer's name.") var name: String
        @Argument(help: "The text.") var text: String
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            let rows = try target.open().query(
                "RETURN TOKENS(@text, @analyzer)", bindVars: ["text": .string(text), "analyzer": .string(name)]
            ).rows
            Output.out(JSONWriter.string(rows.first ?? []))
            return 0
        }
    }

    struct Drop: LocusCommand {
        static let configuration = CommandConfiguration(commandName: "drop", abstract: "Drop a custom analyzer.")
        @Argument(help: "The analyzer's name.") var name: String
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            try target.open().dropAnalyzer(name)
            return 0
        }
    }
}
