// `locus graph`: named graphs (create, list, drop) and the graph-aware writes of their
// vertices and edges, which check edges against the graph's definition and remove a
// vertex's edges with it.

import ArgumentParser
import Locus
import LocusValues

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "Named graphs and graph-aware writes of their vertices and edges.",
        subcommands: [
            Create.self, List.self, Drop.self, GraphElementCommand<Vertices>.self, GraphElementCommand<Edges>.self,
        ])

    struct Create: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a named graph, and the collections it names that do not exist yet.")
        @Argument(help: "The graph's name.") var name: String
        @Option(
            help: ArgumentHelp(
                "ArangoDB's edge definitions: [{\"collection\": …, \"from\": […], \"to\": […]}].", valueName: "json"))
        var edgeDefinitions = "[]"
        @Option(help: ArgumentHelp("Vertex collections in no edge definition.", valueName: "a,b")) var orphans: String?
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            let definitions = try JSONReader.parse(edgeDefinitions)
            let graph = try target.open().createGraph(
                name, edgeDefinitions: definitions, orphans: commaList(orphans) ?? [])
            Output.out(JSONWriter.string(graph))
            return 0
        }
    }

    struct List: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the named graphs, one JSON line each.")
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            for g in try target.open().graphs() { Output.out(JSONWriter.string(g)) }
            return 0
        }
    }

    struct Drop: LocusCommand {
        static let configuration = CommandConfiguration(commandName: "drop", abstract: "Drop a named graph.")
        @Argument(help: "The graph's name.") var name: String
        @Flag(help: "Also drop its collections that no other graph uses.") var dropCollections = false
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            try target.open().dropGraph(name, dropCollections: dropCollections)
            return 0
        }
    }
}

/// Vertices or edges: the two kinds of element a graph-aware write works on.
protocol GraphElementKind {
    static var name: String { get }
    /// "a vertex", "an edge".
    static var one: String { get }
    static var isVertex: Bool { get }
}

enum Vertices: GraphElementKind {
    static var name: String { "vertex" }
    static var one: String { "a vertex" }
    static var isVertex: Bool { true }
}

enum Edges: GraphElementKind {
    static var name: String { "edge" }
    static var one: String { "an edge" }
    static var isVertex: Bool { false }
}

/// `graph vertex …` and `graph edge …`.
struct GraphElementCommand<Kind: GraphElementKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Kind.name, abstract: "Insert, update, replace or remove a graph's \(Kind.name).",
            subcommands: [
                GraphElementInsert<Kind>.self, GraphElementChange<Kind, Updating>.self,
                GraphElementChange<Kind, Replacing>.self, GraphElementRemove<Kind>.self,
            ])
    }
}

/// `graph vertex|edge insert GRAPH COLLECTION JSON`; prints the new document's `_id`, `_key`
/// and `_rev`.
struct GraphElementInsert<Kind: GraphElementKind>: LocusCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "insert", abstract: "Insert \(Kind.one).")
    }

    @Argument(help: "The graph's name.") var graph: String
    @Argument(help: "The collection.") var collection: String
    @Argument(help: "The document, as JSON.") var json: String
    @OptionGroup var target: DatabaseTarget
    @OptionGroup var output: JSONOutput
    var errorsAsJSON: Bool { output.json }

    func execute() throws -> Int32 {
        let db = try target.open()
        let document = try JSONReader.parse(json)
        let written =
            Kind.isVertex
            ? try db.insertVertex(graph: graph, collection: collection, document)
            : try db.insertEdge(graph: graph, collection: collection, document)
        Output.out(JSONWriter.string(written))
        return 0
    }
}

/// Update or replace: the writes that change a stored element.
protocol GraphElementChangeOperation {
    static var name: String { get }
    /// What it does to the element, for the help text.
    static var effect: String { get }
    static func write(
        _ db: Database, vertex: Bool, graph: String, collection: String, key: String, document: Value
    ) throws -> Value
}

enum Updating: GraphElementChangeOperation {
    static var name: String { "update" }
    static var effect: String { "merge the JSON into it" }
    static func write(
        _ db: Database, vertex: Bool, graph: String, collection: String, key: String, document: Value
    ) throws -> Value {
        vertex
            ? try db.updateVertex(graph: graph, collection: collection, key: key, document)
            : try db.updateEdge(graph: graph, collection: collection, key: key, document)
    }
}

enum Replacing: GraphElementChangeOperation {
    static var name: String { "replace" }
    static var effect: String { "put the JSON in its place" }
    static func write(
        _ db: Database, vertex: Bool, graph: String, collection: String, key: String, document: Value
    ) throws -> Value {
        vertex
            ? try db.replaceVertex(graph: graph, collection: collection, key: key, document)
            : try db.replaceEdge(graph: graph, collection: collection, key: key, document)
    }
}

/// `graph vertex|edge update|replace GRAPH COLLECTION KEY JSON`.
struct GraphElementChange<Kind: GraphElementKind, Operation: GraphElementChangeOperation>: LocusCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Operation.name,
            abstract:
                "\(Operation.name.prefix(1).uppercased() + Operation.name.dropFirst()) \(Kind.one): \(Operation.effect)."
        )
    }

    @Argument(help: "The graph's name.") var graph: String
    @Argument(help: "The collection.") var collection: String
    @Argument(help: "The key.") var key: String
    @Argument(help: "The document, as JSON.") var json: String
    @OptionGroup var target: DatabaseTarget
    @OptionGroup var output: JSONOutput
    var errorsAsJSON: Bool { output.json }

    func execute() throws -> Int32 {
        let written = try Operation.write(
            try target.open(), vertex: Kind.isVertex, graph: graph, collection: collection, key: key,
            document: try JSONReader.parse(json))
        Output.out(JSONWriter.string(written))
        return 0
    }
}
/// `graph vertex|edge remove GRAPH COLLECTION KEY`.
struct GraphElementRemove<Kind: GraphElementKind>: LocusCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "remove", abstract: Kind.isVertex ? "Remove a vertex and its edges." : "Remove an edge.")
    }

    @Argument(help: "The graph's name.") var graph: String
    @Argument(help: "The collection.") var collection: String
    @Argument(help: "The key.") var key: String
    @OptionGroup var target: DatabaseTarget
    @OptionGroup var output: JSONOutput
    var errorsAsJSON: Bool { output.json }

    func execute() throws -> Int32 {
        let db = try target.open()
        let removed =
            Kind.isVertex
            ? try db.removeVertex(graph: graph, collection: collection, key: key)
            : try db.removeEdge(graph: graph, collection: collection, key: key)
        Output.out(JSONWriter.string(removed))
        return 0
    }
}
