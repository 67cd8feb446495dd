// Named graphs through the embedding API: creating, listing and dropping them, and the
// graph-aware writes of ArangoDB's graph module. A vertex removed through its graph takes its
// edges with it, in every graph that holds its collection; an edge written through its graph
// must belong to one of its edge definitions, join collections that definition allows, and
// join vertices that exist. Each call is one transaction.

import LocusErrors
import LocusStorage
import LocusValues

extension Database {
    /// Creates a named graph from ArangoDB-style edge definitions
    /// (`[{"collection": "knows", "from": ["people"], "to": ["people"]}]`), creating missing
    /// collections, and returns its description.
    ///
    /// ```swift
    /// try db.createGraph("social", edgeDefinitions: [["collection": "knows", "from": ["people"], "to": ["people"]]])
    /// let friends = try db.query("FOR v IN 1..2 OUTBOUND 'people/ada' GRAPH 'social' RETURN v._key").rows
    /// ```
    @discardableResult
    public func createGraph(_ name: String, edgeDefinitions: Value, orphans: [String] = []) throws -> Value {
        let defs = try GraphInfo.edgeDefinitions(from: edgeDefinitions)
        return try store.withLock { try $0.createGraph(name, edgeDefinitions: defs, orphans: orphans).description }
    }

    /// Drops a named graph; with `dropCollections`, also the collections no other graph uses.
    public func dropGraph(_ name: String, dropCollections: Bool = false) throws {
        try store.withLock { try $0.dropGraph(name, dropCollections: dropCollections) }
    }

    /// Gives an existing graph new edge definitions and orphan collections in one
    /// transaction (ArangoDB's adding and removing of vertex collections and edge definitions),
    /// creating missing collections; returns its description.
    @discardableResult
    public func redefineGraph(_ name: String, edgeDefinitions: Value, orphans: [String]) throws -> Value {
        let defs = try GraphInfo.edgeDefinitions(from: edgeDefinitions)
        return try store.withLock { s in
            try s.transaction(write: true) {
                guard try s.graph(name) != nil else { throw LocusError(.graphNotFound, name) }
                try s.dropGraph(name, dropCollections: false)
                return try s.createGraph(name, edgeDefinitions: defs, orphans: orphans).description
            }
        }
    }

    /// Every named graph as ArangoDB describes it.
    public func graphs() throws -> [Value] {
        try store.withLock { try $0.graphs().map(\.description) }
    }

    // MARK: - Graph-aware writes

    /// Inserts a vertex into a vertex collection of `graph`; returns the new document.
    @discardableResult
    public func insertVertex(graph: String, collection: String, _ document: Value) throws -> Value {
        try graphWrite(graph) { g, storage in
            try Database.requireVertexCollection(g, collection)
            return try self.write(.insert, collection, key: nil, document, storage)
        }
    }

    /// Updates (merges into) a vertex of `graph`; returns the new document.
    @discardableResult
    public func updateVertex(graph: String, collection: String, key: String, _ patch: Value, ifRevision: String? = nil)
        throws -> Value
    {
        try graphWrite(graph) { g, storage in
            try Database.checkRevision(collection, key, ifRevision, storage)
            try Database.requireVertexCollection(g, collection)
            return try self.write(.update, collection, key: key, patch, storage)
        }
    }

    /// Replaces a vertex of `graph`; returns the new document.
    @discardableResult
    public func replaceVertex(
        graph: String, collection: String, key: String, _ document: Value, ifRevision: String? = nil
    ) throws -> Value {
        try graphWrite(graph) { g, storage in
            try Database.checkRevision(collection, key, ifRevision, storage)
            try Database.requireVertexCollection(g, collection)
            return try self.write(.replace, collection, key: key, document, storage)
        }
    }

    /// Removes a vertex of `graph` and every edge at it in the edge collections of every graph
    /// that holds the vertex's collection; returns the removed vertex.
    @discardableResult
    public func removeVertex(graph: String, collection: String, key: String, ifRevision: String? = nil) throws -> Value
    {
        try graphWrite(graph) { g, storage in
            try Database.checkRevision(collection, key, ifRevision, storage)
            try Database.requireVertexCollection(g, collection)
            var edgeCollections: [String] = []
            for other in try storage.graphs() where other.vertexCollections.contains(collection) {
                for d in other.edgeDefinitions where !edgeCollections.contains(d.collection) {
                    edgeCollections.append(d.collection)
                }
            }
            // Every edge key is read before anything is removed: a collection cannot be read
            // after the query has written it.
            var reads: [String] = []
            var removes: [String] = []
            var binds: [String: Value] = [
                "id": .string(collection + "/" + key), "key": .string(key), "@v": .string(collection),
            ]
            for (i, e) in edgeCollections.enumerated() {
                binds["@e\(i)"] = .string(e)
                reads.append(
                    "LET k\(i) = UNION_DISTINCT((FOR x IN @@e\(i) FILTER x._from == @id RETURN x._key), "
                        + "(FOR x IN @@e\(i) FILTER x._to == @id RETURN x._key))")
                removes.append("LET r\(i) = (FOR k IN k\(i) REMOVE k IN @@e\(i))")
            }
            return try self.single(
                (reads + removes + ["REMOVE @key IN @@v RETURN OLD"]).joined(separator: "\n"), binds, storage)
        }
    }

    /// Inserts an edge into an edge collection of `graph`; returns the new document.
    @discardableResult
    public func insertEdge(graph: String, collection: String, _ document: Value) throws -> Value {
        try graphWrite(graph) { g, storage in
            try Database.checkEdge(
                g, collection, from: document[attribute: "_from"], to: document[attribute: "_to"], storage)
            return try self.write(.insert, collection, key: nil, document, storage)
        }
    }

    /// Updates (merges into) an edge of `graph`, checking any endpoint it changes; returns the
    /// new document.
    @discardableResult
    public func updateEdge(graph: String, collection: String, key: String, _ patch: Value, ifRevision: String? = nil)
        throws -> Value
    {
        try graphWrite(graph) { g, storage in
            try Database.checkRevision(collection, key, ifRevision, storage)
            let old = try Database.requireDocument(collection, key, storage)
            let from = patch[attribute: "_from"].isNull ? old[attribute: "_from"] : patch[attribute: "_from"]
            let to = patch[attribute: "_to"].isNull ? old[attribute: "_to"] : patch[attribute: "_to"]
            try Database.checkEdge(g, collection, from: from, to: to, storage)
            return try self.write(.update, collection, key: key, patch, storage)
        }
    }

    /// Replaces an edge of `graph`; returns the new document.
    @discardableResult
    public func replaceEdge(
        graph: String, collection: String, key: String, _ document: Value, ifRevision: String? = nil
    ) throws -> Value {
        try graphWrite(graph) { g, storage in
            try Database.checkRevision(collection, key, ifRevision, storage)
            _ = try Database.requireDocument(collection, key, storage)
            try Database.checkEdge(
                g, collection, from: document[attribute: "_from"], to: document[attribute: "_to"], storage)
            return try self.write(.replace, collection, key: key, document, storage)
        }
    }

    /// Removes an edge of `graph`; returns the removed edge.
    @discardableResult
    public func removeEdge(graph: String, collection: String, key: String, ifRevision: String? = nil) throws -> Value {
        try graphWrite(graph) { g, storage in
            try Database.checkRevision(collection, key, ifRevision, storage)
            guard g.edgeDefinitions.contains(where: { $0.collection == collection }) else {
                throw LocusError(.graphEdgeCollectionNotUsed)
            }
            return try self.single(
                "REMOVE @key IN @@c RETURN OLD", ["key": .string(key), "@c": .string(collection)], storage)
        }
    }

    // MARK: - Helpers

    /// Runs `body` with the graph's definition in one write transaction.
    func graphWrite(_ name: String, _ body: (GraphInfo, Storage) throws -> Value) throws -> Value {
        try store.withLock { storage in
            try storage.transaction(write: true) {
                guard let g = try storage.graph(name) else { throw LocusError(.graphNotFound, name) }
                return try body(g, storage)
            }
        }
    }

    enum DocumentWrite: String {
        case insert = "INSERT @doc INTO", update = "UPDATE @key WITH @doc IN", replace = "REPLACE @key WITH @doc IN"
    }

    /// One document written through C8QL (so that placement, change capture and indexes
    /// apply as to any query), returning the new document.
    func write(_ kind: DocumentWrite, _ collection: String, key: String?, _ document: Value, _ storage: Storage) throws
        -> Value
    {
        var binds: [String: Value] = ["doc": document, "@c": .string(collection)]
        if let key { binds["key"] = .string(key) }
        return try single(kind.rawValue + " @@c RETURN NEW", binds, storage)
    }

    /// The one row a graph write returns, run inside the caller's transaction.
    func single(_ text: String, _ bindVars: [String: Value], _ storage: Storage) throws -> Value {
        let options = QueryOptions()
        let key = PlanKey(text: text, bindVars: bindVars, options: options)
        return try run(
            key, nil, plans.withLock { $0.entry(key) }, writes: true, bindVars: bindVars,
            options: options, storage: storage
        ).rows.first ?? .null
    }

    /// With `revision`, the document's `_rev` must be it (error 1200 otherwise), checked in the
    /// write's own transaction.
    static func checkRevision(_ collection: String, _ key: String, _ revision: String?, _ storage: Storage) throws {
        guard let revision else { return }
        guard try requireDocument(collection, key, storage)[attribute: "_rev"].stringValue == revision else {
            throw LocusError(.conflict)
        }
    }

    static func requireVertexCollection(_ g: GraphInfo, _ collection: String) throws {
        guard g.vertexCollections.contains(collection) else { throw LocusError(.graphVertexCollectionNotInGraph) }
    }

    static func requireDocument(_ collection: String, _ key: String, _ storage: Storage) throws -> Value {
        let c = try storage.requireCollection(collection)
        guard let doc = try storage.get(c, key: key) else { throw LocusError(.documentNotFound) }
        return doc
    }

    /// An edge of `collection` from `from` to `to` must fit one of the graph's edge
    /// definitions for that collection and join existing vertices.
    static func checkEdge(_ g: GraphInfo, _ collection: String, from: Value, to: Value, _ storage: Storage) throws {
        let definitions = g.edgeDefinitions.filter { $0.collection == collection }
        guard !definitions.isEmpty else { throw LocusError(.graphEdgeCollectionNotUsed) }
        guard case .string(let fromId) = from, case .string(let toId) = to,
            let (fromCollection, fromKey) = DocumentKey.splitId(fromId),
            let (toCollection, toKey) = DocumentKey.splitId(toId)
        else { throw LocusError(.invalidEdgeAttribute) }
        guard definitions.contains(where: { $0.from.contains(fromCollection) && $0.to.contains(toCollection) }) else {
            let outside = definitions.contains { $0.from.contains(fromCollection) } ? toCollection : fromCollection
            throw LocusError(
                code: .graphReferencedVertexCollectionNotInGraph,
                message: "referenced vertex collection '\(outside)' is not part of the graph")
        }
        for (c, k, id) in [(fromCollection, fromKey, fromId), (toCollection, toKey, toId)] {
            guard let info = storage.collection(c), try storage.exists(info, key: k) else {
                throw LocusError(.graphInvalidEdge, "vertex '\(id)' does not exist")
            }
        }
    }
}
