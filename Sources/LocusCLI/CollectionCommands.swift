// `locus collection create|list|drop` and `locus index create|list|drop`: the schema a
// database holds.

import ArgumentParser
import Locus
import LocusValues

extension CollectionType: ExpressibleByArgument {}

struct CollectionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collection", abstract: "Create, list and drop collections.",
        subcommands: [Create.self, List.self, Drop.self])

    struct Create: LocusCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a collection.")
        @Argument(help: "The collection's name.") var name: String
        @Option(help: "document, edge or kv.") var type: CollectionType = .document
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            try target.open().createCollection(name, type: type)
            if output.json {
                Output.out(JSONWriter.string(["name": .string(name), "type": .string(type.rawValue)]))
            } else {
                Output.out("created \(type.rawValue) collection \(name)")
            }
            return 0
        }
    }

    struct List: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the collections: name, type, count.")
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            let all = try target.open().collections()
            if output.json {
                let rows: [Value] = all.map {
                    ["name": .string($0.name), "type": .string($0.type.rawValue), "count": .int($0.count)]
                }
                Output.out(JSONWriter.string(.array(rows)))
            } else {
                for c in all { Output.out("\(c.name)\t\(c.type.rawValue)\t\(c.count)") }
            }
            return 0
        }
    }

    struct Drop: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "drop", abstract: "Drop a collection and its indexes.")
        @Argument(help: "The collection's name.") var name: String
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            try target.open().dropCollection(name)
            return 0
        }
    }
}

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index", abstract: "Create, list and drop indexes.",
        subcommands: [Create.self, List.self, Drop.self])

    struct Create: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create an index; prints its description as ArangoDB's index API does.")
        @Argument(help: "The collection to index.") var collection: String
        @Option(help: ArgumentHelp("The indexed attribute paths, comma-separated.", valueName: "a,b")) var fields:
            String
        @Option(help: "persistent, ttl, fulltext or geo (ttl when --expire-after is given, else persistent).")
        var type: String?
        @Flag(help: "No two documents share the indexed values.") var unique = false
        @Flag(help: "Leave out documents missing an indexed attribute.") var sparse = false
        @Option(help: ArgumentHelp("A ttl index's lifetime.", valueName: "seconds")) var expireAfter: Double?
        @Option(help: ArgumentHelp("A fulltext index's shortest word.", valueName: "n")) var minLength: Int?
        @Flag(help: "A geo index on one field reads [longitude, latitude] or GeoJSON.") var geoJson = false
        @Option(help: "The index's name (generated when missing).") var name: String?
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func validate() throws {
            if commaList(fields)?.allSatisfy(\.isEmpty) ?? true {
                throw ValidationError("index create needs --fields a,b")
            }
        }

        func execute() throws -> Int32 {
            let indexType = try type.map(IndexType.init(named:)) ?? (expireAfter != nil ? .ttl : .persistent)
            let description = try target.open().createIndex(
                collection: collection, fields: commaList(fields) ?? [], type: indexType, unique: unique,
                sparse: sparse, expireAfter: expireAfter, minLength: minLength, geoJson: geoJson ? true : nil,
                name: name)
            Output.out(JSONWriter.string(description))
            return 0
        }
    }

    struct List: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List a collection's indexes, one JSON line each.")
        @Argument(help: "The collection.") var collection: String
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            for d in try target.open().indexes(collection: collection) { Output.out(JSONWriter.string(d)) }
            return 0
        }
    }

    struct Drop: LocusCommand {
        static let configuration = CommandConfiguration(commandName: "drop", abstract: "Drop an index by name.")
        @Argument(help: "The collection.") var collection: String
        @Argument(help: "The index's name.") var name: String
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            try target.open().dropIndex(collection: collection, name: name)
            return 0
        }
    }
}
