// `locus view`: ArangoSearch views from the command line: create one with ArangoDB's `links`
// (and optional `primarySort`), list them, show one's properties, and drop one.

import ArgumentParser
import Locus
import LocusValues

struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view", abstract: "ArangoSearch views: create, list, properties, drop.",
        subcommands: [Create.self, List.self, Properties.self, Drop.self])

    struct Create: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create an arangosearch view; its links are indexed at once.")
        @Argument(help: "The view's name.") var name: String
        @Option(help: ArgumentHelp("ArangoDB's links object: {collection: {fields, analyzers, …}}.", valueName: "json"))
        var links: String
        @Option(help: ArgumentHelp("ArangoDB's primarySort array.", valueName: "json")) var primarySort: String?
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            var body: Object = ["name": .string(name), "links": try JSONReader.parse(links)]
            if let primarySort { body["primarySort"] = try JSONReader.parse(primarySort) }
            let view = try target.open().createView(try SearchViewDefinition(json: .object(body)))
            Output.out(output.json ? JSONWriter.string(view) : "created view \(name)")
            return 0
        }
    }

    struct List: LocusCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the views.")
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            let all = try target.open().views()
            if output.json {
                Output.out(JSONWriter.string(.array(all)))
            } else {
                for v in all {
                    let collections = (v[attribute: "links"].objectValue?.keys ?? []).joined(separator: ",")
                    Output.out("\(v[attribute: "name"].stringValue ?? "")\tarangosearch\t\(collections)")
                }
            }
            return 0
        }
    }

    struct Properties: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "properties", abstract: "Show a view's properties as ArangoDB does.")
        @Argument(help: "The view's name.") var name: String
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            guard let v = try target.open().view(name) else {
                throw LocusError(.dataSourceNotFound, name)
            }
            Output.out(JSONWriter.string(v))
            return 0
        }
    }

    struct Drop: LocusCommand {
        static let configuration = CommandConfiguration(commandName: "drop", abstract: "Drop a view.")
        @Argument(help: "The view's name.") var name: String
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            try target.open().dropView(name)
            return 0
        }
    }
}
