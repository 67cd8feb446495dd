// Graph-aware writes on their own, over an in-memory Storage: a removed vertex takes its
// edges (a self-loop once), an edge must join vertices that exist in collections its
// definition allows, and an update is checked with the endpoints it leaves.

import Testing
import LocusErrors
import LocusExecution
import LocusStorage
import LocusValues

@Suite struct GraphWriterTests {
    func social() throws -> Storage {
        let s = try Storage(path: ":memory:")
        let definitions = try GraphInfo.edgeDefinitions(
            from: JSONReader.parse(#"[{"collection": "knows", "from": ["people"], "to": ["people"]}]"#))
        _ = try s.createGraph("social", edgeDefinitions: definitions, orphans: ["places"])
        try s.transaction(write: true) {
            let people = try s.requireCollection("people"), knows = try s.requireCollection("knows")
            for k in ["a", "b", "c"] { _ = try s.insert(people, ["_key": .string(k)]) }
            for (k, f, t) in [("ab", "a", "b"), ("ba", "b", "a"), ("aa", "a", "a"), ("bc", "b", "c")] {
                _ = try s.insert(
                    knows, ["_key": .string(k), "_from": .string("people/" + f), "_to": .string("people/" + t)])
            }
        }
        return s
    }

    func keys(_ s: Storage, _ collection: String) throws -> [String] {
        var out: [String] = []
        try s.transaction(write: false) {
            try s.scan(try s.requireCollection(collection)) { bytes in
                out.append(try JSONReader.parse(bytes)[attribute: "_key"].stringValue ?? "")
                return true
            }
        }
        return out.sorted()
    }

    @Test func aRemovedVertexTakesItsEdges() throws {
        let s = try social()
        let removed = try s.transaction(write: true) {
            try GraphWriter(storage: s, graph: "social").removeVertex(collection: "people", key: "a")
        }
        #expect(removed[attribute: "_key"] == .string("a"))
        #expect(try keys(s, "people") == ["b", "c"])
        #expect(try keys(s, "knows") == ["bc"])
    }

    @Test func edgesMustJoinExistingVerticesTheirDefinitionAllows() throws {
        let s = try social()
        func failure(_ body: (GraphWriter) throws -> Value) -> Int? {
            do {
                _ = try s.transaction(write: true) { try body(try GraphWriter(storage: s, graph: "social")) }
                return nil
            } catch let e as LocusError {
                return e.code.number
            } catch {
                return -1
            }
        }
        let missingVertex = failure {
            try $0.writeEdge(.insert, collection: "knows", key: nil, ["_from": "people/a", "_to": "people/zz"])
        }
        #expect(missingVertex == ErrorCode.graphInvalidEdge.number)
        let outsideDefinition = failure {
            try $0.writeEdge(.insert, collection: "knows", key: nil, ["_from": "people/a", "_to": "places/x"])
        }
        #expect(outsideDefinition == ErrorCode.graphReferencedVertexCollectionNotInGraph.number)
        // An update moving one end is checked with the end it keeps.
        let movedEnd = failure { try $0.writeEdge(.update, collection: "knows", key: "ab", ["_to": "people/zz"]) }
        #expect(movedEnd == ErrorCode.graphInvalidEdge.number)
        let fine = failure { try $0.writeEdge(.update, collection: "knows", key: "ab", ["_to": "people/c"]) }
        #expect(fine == nil)
        #expect(try keys(s, "knows") == ["aa", "ab", "ba", "bc"], "failed writes leave nothing behind")
    }
}
