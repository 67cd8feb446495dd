// Named graphs through the Swift API: definitions checked as ArangoDB checks them, and the
// graph-aware writes: vertex removal takes its edges (in every graph holding the collection),
// edges must fit an edge definition and join existing vertices, and a failing write leaves
// nothing behind.

import Testing
import Locus
import LocusValues

@Suite struct GraphWriteTests {
    func code(_ body: () throws -> Void) -> Int? {
        do { try body(); return nil } catch let e as LocusError { return e.code.number } catch { return -1 }
    }

    func social() throws -> Database {
        let db = try Database.inMemory()
        try db.createGraph(
            "social",
            edgeDefinitions: [
                ["collection": "knows", "from": ["people"], "to": ["people"]],
                ["collection": "likes", "from": ["people"], "to": ["things"]],
            ],
            orphans: ["notes"])
        try db.createGraph("work", edgeDefinitions: [["collection": "manages", "from": ["people"], "to": ["people"]]])
        for k in ["ada", "bob", "cy"] {
            try db.insertVertex(graph: "social", collection: "people", ["_key": .string(k)])
        }
        try db.insertVertex(graph: "social", collection: "things", ["_key": "tea"])
        return db
    }

    func count(_ db: Database, _ collection: String) throws -> Int {
        try db.query("RETURN LENGTH(\(collection))").rows.first?.numberValue.map(Int.init) ?? -1
    }

    @Test func definitionsAreChecked() throws {
        let db = try social()
        // An edge collection twice in one graph, or defined differently by another graph.
        #expect(
            code {
                try db.createGraph(
                    "twice",
                    edgeDefinitions: [
                        ["collection": "e", "from": ["a"], "to": ["b"]],
                        ["collection": "e", "from": ["a"], "to": ["c"]],
                    ])
            } == 1901)
        #expect(
            code {
                try db.createGraph(
                    "other", edgeDefinitions: [["collection": "knows", "from": ["people"], "to": ["things"]]])
            } == 1901)
        // The same definition in another graph is fine; an edge collection as a vertex collection is not.
        try db.createGraph("again", edgeDefinitions: [["collection": "knows", "from": ["people"], "to": ["people"]]])
        #expect(
            code {
                try db.createGraph("odd", edgeDefinitions: [["collection": "x", "from": ["knows"], "to": ["people"]]])
            } == 1218)
        #expect(
            code { try db.createGraph("social", edgeDefinitions: [["collection": "z", "from": ["a"], "to": ["a"]]]) }
                == 1925)
        #expect(code { try db.createGraph("bad", edgeDefinitions: "knows") } == 1901)
    }

    @Test func edgesMustFitTheirDefinition() throws {
        let db = try social()
        let e = try db.insertEdge(
            graph: "social", collection: "knows", ["_from": "people/ada", "_to": "people/bob", "since": 2020])
        #expect(e[attribute: "_from"] == "people/ada")
        // Not an edge collection of the graph; endpoints in collections the definition does not allow.
        #expect(
            code {
                try db.insertEdge(graph: "social", collection: "manages", ["_from": "people/ada", "_to": "people/bob"])
            } == 1930)
        #expect(
            code {
                try db.insertEdge(graph: "social", collection: "likes", ["_from": "people/ada", "_to": "people/bob"])
            } == 1947)
        #expect(
            code {
                try db.insertEdge(graph: "social", collection: "knows", ["_from": "things/tea", "_to": "people/bob"])
            } == 1947)
        // A vertex that does not exist, and an edge without endpoints.
        #expect(
            code {
                try db.insertEdge(graph: "social", collection: "knows", ["_from": "people/ada", "_to": "people/zed"])
            } == 1906)
        #expect(code { try db.insertEdge(graph: "social", collection: "knows", ["_from": "people/ada"]) } == 1233)
        #expect(
            code {
                try db.insertEdge(graph: "nosuch", collection: "knows", ["_from": "people/ada", "_to": "people/bob"])
            } == 1924)
        #expect(try count(db, "knows") == 1)
        // Updates that move an endpoint are checked too; plain attribute updates pass.
        let key = e[attribute: "_key"].stringValue ?? ""
        #expect(
            code { try db.updateEdge(graph: "social", collection: "knows", key: key, ["_to": "people/zed"]) } == 1906)
        let updated = try db.updateEdge(graph: "social", collection: "knows", key: key, ["since": 2021])
        #expect(updated[attribute: "since"] == 2021 && updated[attribute: "_to"] == "people/bob")
        #expect(
            code {
                try db.replaceEdge(
                    graph: "social", collection: "knows", key: key, ["_from": "people/ada", "_to": "things/tea"])
            } == 1947)
        try db.replaceEdge(graph: "social", collection: "knows", key: key, ["_from": "people/bob", "_to": "people/cy"])
        #expect(try db.query("FOR v IN 1..1 OUTBOUND 'people/bob' GRAPH 'social' RETURN v._key").rows == ["cy"])
        #expect(code { try db.updateEdge(graph: "social", collection: "knows", key: "nosuch", ["since": 1]) } == 1202)
        try db.removeEdge(graph: "social", collection: "knows", key: key)
        #expect(try count(db, "knows") == 0)
    }

    @Test func revisionsAreCheckedInTheWritesTransaction() throws {
        let db = try social()
        let ada = try db.insertVertex(graph: "social", collection: "people", ["_key": "dot", "v": 1])
        let rev = try #require(ada[attribute: "_rev"].stringValue)
        #expect(
            code {
                try db.updateVertex(graph: "social", collection: "people", key: "dot", ["v": 2], ifRevision: "stale")
            } == 1200)
        #expect(
            code { try db.removeVertex(graph: "social", collection: "people", key: "dot", ifRevision: "stale") } == 1200
        )
        #expect(try db.document(collection: "people", key: "dot")?[attribute: "v"] == 1)
        let updated = try db.updateVertex(graph: "social", collection: "people", key: "dot", ["v": 2], ifRevision: rev)
        #expect(updated[attribute: "v"] == 2)
        // The old revision no longer matches.
        #expect(
            code { try db.replaceVertex(graph: "social", collection: "people", key: "dot", ["v": 3], ifRevision: rev) }
                == 1200)
        let edge = try db.insertEdge(
            graph: "social", collection: "knows", ["_key": "k", "_from": "people/dot", "_to": "people/bob"])
        #expect(code { try db.removeEdge(graph: "social", collection: "knows", key: "k", ifRevision: "stale") } == 1200)
        _ = try db.removeEdge(
            graph: "social", collection: "knows", key: "k", ifRevision: edge[attribute: "_rev"].stringValue)
        #expect(try db.document(collection: "knows", key: "k") == nil)
    }

    @Test func removingAVertexRemovesItsEdgesInEveryGraph() throws {
        let db = try social()
        try db.insertEdge(graph: "social", collection: "knows", ["_from": "people/ada", "_to": "people/bob"])
        try db.insertEdge(graph: "social", collection: "knows", ["_from": "people/cy", "_to": "people/ada"])
        try db.insertEdge(graph: "social", collection: "knows", ["_from": "people/ada", "_to": "people/ada"])
        try db.insertEdge(graph: "social", collection: "knows", ["_from": "people/bob", "_to": "people/cy"])
        try db.insertEdge(graph: "social", collection: "likes", ["_from": "people/ada", "_to": "things/tea"])
        try db.insertEdge(graph: "work", collection: "manages", ["_from": "people/bob", "_to": "people/ada"])
        let removed = try db.removeVertex(graph: "social", collection: "people", key: "ada")
        #expect(removed[attribute: "_key"] == "ada")
        // Only bob → cy is left: edges from, to and looping at ada went, in "work" too.
        #expect(try db.query("FOR e IN knows RETURN [e._from, e._to]").rows == [["people/bob", "people/cy"]])
        #expect(try count(db, "likes") == 0)
        #expect(try count(db, "manages") == 0)
        #expect(try count(db, "people") == 2)
        // A vertex collection outside the graph, and a missing vertex (nothing removed).
        #expect(code { try db.removeVertex(graph: "work", collection: "things", key: "tea") } == 1926)
        #expect(code { try db.insertVertex(graph: "work", collection: "things", ["_key": "x"]) } == 1926)
        try db.insertEdge(graph: "social", collection: "knows", ["_from": "people/cy", "_to": "people/bob"])
        #expect(code { try db.removeVertex(graph: "social", collection: "people", key: "zed") } == 1202)
        #expect(try count(db, "knows") == 2)
        // Orphan collections hold vertices of the graph.
        try db.insertVertex(graph: "social", collection: "notes", ["_key": "n1", "text": "hello"])
        let replaced = try db.replaceVertex(graph: "social", collection: "notes", key: "n1", ["text": "bye"])
        #expect(replaced[attribute: "text"] == "bye")
        let patched = try db.updateVertex(graph: "social", collection: "notes", key: "n1", ["tag": 1])
        #expect(patched[attribute: "text"] == "bye" && patched[attribute: "tag"] == 1)
        try db.removeVertex(graph: "social", collection: "notes", key: "n1")
        #expect(try count(db, "notes") == 0)
    }
}
