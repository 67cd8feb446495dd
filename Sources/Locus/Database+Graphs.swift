// Named graphs through the embedding API: creating, listing and dropping them, and the
// graph-aware writes of ArangoDB's graph module, each one transaction (their rules are
// `GraphWriter`'s, in execution).

import LocusErrors
import LocusExecution
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

    // MARK: - Graph-aware writes (each one transaction; the rules are `GraphWriter`'s)

    /// Inserts a vertex into a vertex collection of `graph`; returns the new document.
    @discardableResult
    public func insertVertex(graph: String, collection: String, _ document: Value) throws -> Value {
        try graphWrite(graph) { try $0.writeVertex(.insert, collection: collection, key: nil, document) }
    }

    /// Updates (merges into) a vertex of `graph`; returns the new document.
    @discardableResult
    public func updateVertex(graph: String, collection: String, key: String, _ patch: Value, ifRevision: String? = nil)
        throws -> Value
    {
        try graphWrite(graph) {
            try $0.writeVertex(.update, collection: collection, key: key, patch, ifRevision: ifRevision)
        }
    }

    /// Replaces a vertex of `graph`; returns the new document.
    @discardableResult
    public func replaceVertex(
        graph: String, collection: String, key: String, _ document: Value, ifRevision: String? = nil
    ) throws -> Value {
        try graphWrite(graph) {
            try $0.writeVertex(.replace, collection: collection, key: key, document, ifRevision: ifRevision)
        }
    }

    /// Removes a vertex of `graph` and every edge at it in the edge collections of every graph
    /// that holds the vertex's collection; returns the removed vertex.
    @discardableResult
    public func removeVertex(graph: String, collection: String, key: String, ifRevision: String? = nil) throws -> Value
    {
        try graphWrite(graph) { try $0.removeVertex(collection: collection, key: key, ifRevision: ifRevision) }
    }

    /// Inserts an edge into an edge collection of `graph`; returns the new document.
    @discardableResult
    public func insertEdge(graph: String, collection: String, _ document: Value) throws -> Value {
        try graphWrite(graph) { try $0.writeEdge(.insert, collection: collection, key: nil, document) }
    }

    /// Updates (merges into) an edge of `graph`, checking any endpoint it changes; returns the
    /// new document.
    @discardableResult
    public func updateEdge(graph: String, collection: String, key: String, _ patch: Value, ifRevision: String? = nil)
        throws -> Value
    {
        try graphWrite(graph) {
            try $0.writeEdge(.update, collection: collection, key: key, patch, ifRevision: ifRevision)
        }
    }

    /// Replaces an edge of `graph`; returns the new document.
    @discardableResult
    public func replaceEdge(
        graph: String, collection: String, key: String, _ document: Value, ifRevision: String? = nil
    ) throws -> Value {
        try graphWrite(graph) {
            try $0.writeEdge(.replace, collection: collection, key: key, document, ifRevision: ifRevision)
        }
    }

    /// Removes an edge of `graph`; returns the removed edge.
    @discardableResult
    public func removeEdge(graph: String, collection: String, key: String, ifRevision: String? = nil) throws -> Value {
        try graphWrite(graph) { try $0.removeEdge(collection: collection, key: key, ifRevision: ifRevision) }
    }

    /// Runs `body` with a writer for the graph in one write transaction.
    func graphWrite(_ name: String, _ body: (GraphWriter) throws -> Value) throws -> Value {
        try store.withLock { storage in
            try storage.transaction(write: true) { try body(try GraphWriter(storage: storage, graph: name)) }
        }
    }
}
