// Graph routes: `/_api/gharial` (Macrometa's `/_api/graph` is the same) for named graphs,
// their vertex collections and edge definitions, and vertex and edge writes through the
// graph-aware operations; `/_api/edges/{collection}` for a vertex's edges.

import Locus
import LocusValues

extension APIService {
    /// ArangoDB's graph description: `_id`, `_key`, `name`, edge definitions and orphans.
    static func graphJSON(_ g: Value) -> Value {
        guard case .object(var o) = g, let name = o["name"]?.stringValue else { return g }
        o["_key"] = .string(name)
        o["_id"] = .string("_graphs/" + name)
        o["_rev"] = .string("1")
        o["isSmart"] = false
        o["isDisjoint"] = false
        o["isSatellite"] = false
        o["numberOfShards"] = 1
        o["replicationFactor"] = 1
        return .object(o)
    }

    func graph(_ r: APIRequest, _ name: String) throws -> Value {
        guard let g = try database(r).graphs().first(where: { $0[attribute: "name"].stringValue == name }) else {
            throw LocusError(.graphNotFound, name)
        }
        return g
    }

    func listGraphs(_ r: APIRequest) throws -> APIResponse {
        APIResponse.ok(200, ["graphs": .array(try database(r).graphs().map(APIService.graphJSON))])
    }

    func createGraph(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        guard let name = body["name"]?.stringValue else { throw LocusError(.graphInvalid, "a graph needs a name") }
        let orphans = (body["orphanCollections"]?.arrayValue ?? []).compactMap(\.stringValue)
        let g = try database(r).createGraph(
            name, edgeDefinitions: body["edgeDefinitions"] ?? .array([]), orphans: orphans)
        let status = try r.flag("waitForSync") ? 201 : 202
        return APIResponse.ok(status, ["graph": APIService.graphJSON(g)])
    }

    func getGraph(_ r: APIRequest) throws -> APIResponse {
        APIResponse.ok(200, ["graph": APIService.graphJSON(try graph(r, r.parameter(0)))])
    }

    func dropGraph(_ r: APIRequest) throws -> APIResponse {
        _ = try graph(r, r.parameter(0))
        try database(r).dropGraph(r.parameter(0), dropCollections: try r.flag("dropCollections"))
        return APIResponse.ok(202, ["removed": true])
    }

    static func definitions(_ g: Value) -> [Value] { g[attribute: "edgeDefinitions"].arrayValue ?? [] }
    static func orphans(_ g: Value) -> [String] {
        (g[attribute: "orphanCollections"].arrayValue ?? []).compactMap(\.stringValue)
    }

    static func vertexCollections(_ g: Value) -> [String] {
        var all: [String] = []
        for d in definitions(g) {
            for v in (d[attribute: "from"].arrayValue ?? []) + (d[attribute: "to"].arrayValue ?? []) {
                if let s = v.stringValue, !all.contains(s) { all.append(s) }
            }
        }
        for o in orphans(g) where !all.contains(o) { all.append(o) }
        return all.sorted()
    }

    func listVertexCollections(_ r: APIRequest) throws -> APIResponse {
        let g = try graph(r, r.parameter(0))
        return APIResponse.ok(200, ["collections": .array(APIService.vertexCollections(g).map { .string($0) })])
    }

    func listEdgeDefinitions(_ r: APIRequest) throws -> APIResponse {
        let g = try graph(r, r.parameter(0))
        return APIResponse.ok(
            200, ["collections": .array(APIService.definitions(g).compactMap { $0[attribute: "collection"] })])
    }

    /// Rewrites a graph's definition and answers its new description.
    func redefine(_ r: APIRequest, _ name: String, definitions: [Value], orphans: [String], status: Int) throws
        -> APIResponse
    {
        let g = try database(r).redefineGraph(name, edgeDefinitions: .array(definitions), orphans: orphans)
        return APIResponse.ok(status, ["graph": APIService.graphJSON(g)])
    }

    func addVertexCollection(_ r: APIRequest) throws -> APIResponse {
        let g = try graph(r, r.parameter(0))
        guard let c = try r.jsonObject()["collection"]?.stringValue else {
            throw LocusError(.badParameter, "collection missing")
        }
        if APIService.vertexCollections(g).contains(c) {
            throw LocusError(code: .badParameter, message: "collection '\(c)' is already used in the graph")
        }
        return try redefine(
            r, r.parameter(0), definitions: APIService.definitions(g), orphans: APIService.orphans(g) + [c], status: 202
        )
    }

    func removeVertexCollection(_ r: APIRequest) throws -> APIResponse {
        let g = try graph(r, r.parameter(0))
        let c = r.parameter(1)
        guard APIService.orphans(g).contains(c) else {
            throw LocusError(
                code: .graphVertexCollectionNotInGraph,
                message: "collection '\(c)' is not an orphan collection of the graph")
        }
        let response = try redefine(
            r, r.parameter(0), definitions: APIService.definitions(g),
            orphans: APIService.orphans(g).filter { $0 != c }, status: 202)
        if try r.flag("dropCollection") { try database(r).dropCollection(c) }
        return response
    }

    func addEdgeDefinition(_ r: APIRequest) throws -> APIResponse {
        let g = try graph(r, r.parameter(0))
        let body = try r.jsonObject()
        guard let c = body["collection"]?.stringValue else { throw LocusError(.graphInvalid, "collection missing") }
        if APIService.definitions(g).contains(where: { $0[attribute: "collection"].stringValue == c }) {
            throw LocusError(code: .graphInvalid, message: "edge collection '\(c)' is already used in the graph")
        }
        let def: Value = ["collection": .string(c), "from": body["from"] ?? [], "to": body["to"] ?? []]
        let used = Set((def[attribute: "from"].arrayValue ?? []) + (def[attribute: "to"].arrayValue ?? []))
        let orphans = APIService.orphans(g).filter { !used.contains(.string($0)) }
        return try redefine(
            r, r.parameter(0), definitions: APIService.definitions(g) + [def], orphans: orphans, status: 202)
    }

    func replaceEdgeDefinition(_ r: APIRequest) throws -> APIResponse {
        let g = try graph(r, r.parameter(0))
        let c = r.parameter(1)
        let body = try r.jsonObject()
        guard APIService.definitions(g).contains(where: { $0[attribute: "collection"].stringValue == c }) else {
            throw LocusError(.graphEdgeCollectionNotUsed)
        }
        let def: Value = ["collection": .string(c), "from": body["from"] ?? [], "to": body["to"] ?? []]
        let defs = APIService.definitions(g).map { $0[attribute: "collection"].stringValue == c ? def : $0 }
        return try redefine(r, r.parameter(0), definitions: defs, orphans: APIService.orphans(g), status: 202)
    }

    func removeEdgeDefinition(_ r: APIRequest) throws -> APIResponse {
        let g = try graph(r, r.parameter(0))
        let c = r.parameter(1)
        guard APIService.definitions(g).contains(where: { $0[attribute: "collection"].stringValue == c }) else {
            throw LocusError(.graphEdgeCollectionNotUsed)
        }
        let response = try redefine(
            r, r.parameter(0),
            definitions: APIService.definitions(g).filter { $0[attribute: "collection"].stringValue != c },
            orphans: APIService.orphans(g), status: 202)
        if try r.flag("dropCollections") { try database(r).dropCollection(c) }
        return response
    }

    // MARK: - Vertices and edges

    /// `vertex` or `edge`, from the path.
    func graphElement(_ r: APIRequest, kind: String, op: Operation) throws -> APIResponse {
        let (name, c) = (r.parameter(0), r.parameter(1))
        let key = r.parameters.count > 2 ? r.parameter(2) : nil
        let db = try database(r)
        let o = try WriteOptions(r)
        let isEdge = kind == "edge"
        var old: Value? = nil
        if let key {
            _ = try graph(r, name)
            old = try db.document(collection: c, key: key)
            guard old != nil else { throw LocusError(.documentNotFound) }
        }
        // `If-Match` is checked in the write's own transaction, not against the read above.
        let match = r.header("if-match").map(APIService.unquote)
        let new: Value
        do {
            switch (op, isEdge) {
            case (.insert, false): new = try db.insertVertex(graph: name, collection: c, try r.json())
            case (.insert, true): new = try db.insertEdge(graph: name, collection: c, try r.json())
            case (.update, false):
                new = try db.updateVertex(graph: name, collection: c, key: key!, try r.json(), ifRevision: match)
            case (.update, true):
                new = try db.updateEdge(graph: name, collection: c, key: key!, try r.json(), ifRevision: match)
            case (.replace, false):
                new = try db.replaceVertex(graph: name, collection: c, key: key!, try r.json(), ifRevision: match)
            case (.replace, true):
                new = try db.replaceEdge(graph: name, collection: c, key: key!, try r.json(), ifRevision: match)
            case (.remove, false): new = try db.removeVertex(graph: name, collection: c, key: key!, ifRevision: match)
            case (.remove, true): new = try db.removeEdge(graph: name, collection: c, key: key!, ifRevision: match)
            }
        } catch let e as LocusError where e.code == .conflict && key != nil {
            return revisionConflict(r, collection: c, key: key!, e)
        }
        if op == .remove {
            var out: Object = ["removed": true]
            if o.returnOld { out["old"] = new }
            return APIResponse.ok(o.waitForSync ? 200 : 202, out)
        }
        var meta: Object = [
            "_id": new[attribute: "_id"], "_key": new[attribute: "_key"], "_rev": new[attribute: "_rev"],
        ]
        if let old { meta["_oldRev"] = old[attribute: "_rev"] }
        var out: Object = [kind: .object(meta)]
        if o.returnNew { out["new"] = new }
        if o.returnOld, let old { out["old"] = old }
        return APIResponse.ok(o.waitForSync ? 201 : 202, out)
    }

    func getGraphElement(_ r: APIRequest, kind: String) throws -> APIResponse {
        let g = try graph(r, r.parameter(0))
        let c = r.parameter(1)
        let known =
            kind == "vertex"
            ? APIService.vertexCollections(g)
            : APIService.definitions(g).compactMap { $0[attribute: "collection"].stringValue }
        guard known.contains(c) else {
            throw LocusError(kind == "vertex" ? .graphVertexCollectionNotInGraph : .graphEdgeCollectionNotUsed)
        }
        guard let doc = try database(r).document(collection: c, key: r.parameter(2)) else {
            throw LocusError(.documentNotFound)
        }
        let rev = doc[attribute: "_rev"].stringValue ?? ""
        if let match = r.header("if-match").map(APIService.unquote), match != rev {
            return revisionConflict(r, collection: c, key: r.parameter(2), LocusError(.conflict))
        }
        if let none = r.header("if-none-match").map(APIService.unquote), none == rev {
            return APIResponse(status: 304, body: [])
        }
        return APIResponse.ok(200, [kind: doc])
    }

    /// `GET /_api/edges/{collection}?vertex=ID&direction=in|out|any`.
    func edgesOf(_ r: APIRequest) throws -> APIResponse {
        let c = r.parameter(0)
        guard let vertex = r.query["vertex"] else {
            throw LocusError(code: .badParameter, message: "illegal document identifier: vertex missing")
        }
        let condition: String
        switch r.query["direction"] ?? "any" {
        case "in": condition = "e._to == @v"
        case "out": condition = "e._from == @v"
        case "any", "": condition = "e._from == @v || e._to == @v"
        default: throw LocusError(.badParameter, "direction must be in, out or any")
        }
        let result = try query(
            r, "FOR e IN @@c FILTER \(condition) RETURN e", ["@c": .string(c), "v": .string(vertex)])
        return APIResponse.ok(
            200,
            [
                "edges": .array(result.rows),
                "stats": ["scannedIndex": .int(result.stats.scannedIndex), "filtered": .int(result.stats.filtered)],
            ])
    }
}
