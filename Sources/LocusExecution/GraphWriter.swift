// Graph-aware writes, as ArangoDB's graph module makes them: a vertex removed through its graph
// takes its edges with it, in every graph that holds its collection; an edge written through
// its graph must belong to one of its edge definitions, join collections that definition
// allows, and join vertices that exist. The caller opens the write transaction; the writes go
// through storage's own write path, so placement, change capture and index maintenance apply
// as to any query.

import LocusErrors
import LocusStorage
import LocusValues

public struct GraphWriter {
    /// The three ways a document is written.
    public enum Write: Sendable {
        /// A new document.
        case insert
        /// Merged into the stored one (ArangoDB's defaults: nested objects merged, nulls kept).
        case update
        /// Replacing the stored one.
        case replace
    }

    let storage: Storage
    let graph: GraphInfo

    /// The writer for graph `name`, inside the caller's write transaction (error 1924 when
    /// there is no such graph).
    public init(storage: Storage, graph name: String) throws {
        guard let graph = try storage.graph(name) else { throw LocusError(.graphNotFound, name) }
        self.storage = storage
        self.graph = graph
        // As before any writing query: expired entries go first.
        try storage.purgeExpired()
    }

    /// Writes a vertex of a vertex collection of the graph; returns the new document.
    /// `ifRevision` must be the stored `_rev` (error 1200 otherwise).
    public func writeVertex(
        _ kind: Write, collection: String, key: String?, _ document: Value, ifRevision: String? = nil
    ) throws -> Value {
        try checkRevision(collection, key, ifRevision)
        guard graph.vertexCollections.contains(collection) else {
            throw LocusError(.graphVertexCollectionNotInGraph)
        }
        return try write(kind, collection, key: key, document)
    }

    /// Removes a vertex and every edge at it in the edge collections of every graph that
    /// holds its collection; returns the removed vertex.
    public func removeVertex(collection: String, key: String, ifRevision: String? = nil) throws -> Value {
        try checkRevision(collection, key, ifRevision)
        guard graph.vertexCollections.contains(collection) else {
            throw LocusError(.graphVertexCollectionNotInGraph)
        }
        var edgeCollections: [String] = []
        for other in try storage.graphs() where other.vertexCollections.contains(collection) {
            for d in other.edgeDefinitions where !edgeCollections.contains(d.collection) {
                edgeCollections.append(d.collection)
            }
        }
        // Every edge is found before anything is removed.
        let id = collection + "/" + key
        var doomed: [(CollectionInfo, [String])] = []
        for name in edgeCollections {
            let c = try storage.requireCollection(name)
            var keys: [String] = []
            for outbound in [true, false] {
                try storage.edgeEndpoints(c, vertex: id, outbound: outbound) { edgeKey, _, _, _ in
                    if !keys.contains(edgeKey) { keys.append(edgeKey) }
                    return true
                }
            }
            doomed.append((c, keys))
        }
        for (c, keys) in doomed {
            for edgeKey in keys { _ = try storage.remove(c, key: edgeKey) }
        }
        return .object(try storage.remove(try storage.requireCollection(collection), key: key))
    }

    /// Writes an edge of an edge collection of the graph; returns the new document. An update
    /// is checked with the endpoints it leaves the edge with.
    public func writeEdge(
        _ kind: Write, collection: String, key: String?, _ document: Value, ifRevision: String? = nil
    ) throws -> Value {
        try checkRevision(collection, key, ifRevision)
        var from = document[attribute: "_from"], to = document[attribute: "_to"]
        if kind != .insert, let key {
            let old = try requireDocument(collection, key)
            if kind == .update {
                if from.isNull { from = old[attribute: "_from"] }
                if to.isNull { to = old[attribute: "_to"] }
            }
        }
        try checkEdge(collection, from: from, to: to)
        return try write(kind, collection, key: key, document)
    }

    /// Removes an edge of an edge collection of the graph; returns the removed edge.
    public func removeEdge(collection: String, key: String, ifRevision: String? = nil) throws -> Value {
        try checkRevision(collection, key, ifRevision)
        guard graph.edgeDefinitions.contains(where: { $0.collection == collection }) else {
            throw LocusError(.graphEdgeCollectionNotUsed)
        }
        return .object(try storage.remove(try storage.requireCollection(collection), key: key))
    }

    // MARK: - Parts

    /// One document written as INSERT, UPDATE or REPLACE write it; returns the new document.
    func write(_ kind: Write, _ collection: String, key: String?, _ document: Value) throws -> Value {
        let c = try storage.requireCollection(collection)
        let doc = try ModificationExecutor.document(document)
        switch kind {
        case .insert:
            return try storage.insert(c, doc, returning: true).map(Value.object) ?? .null
        case .update, .replace:
            guard let key else { throw LocusError(.documentKeyMissing) }
            guard case .object(let old)? = try storage.get(c, key: key) else { throw LocusError(.documentNotFound) }
            let new =
                kind == .update ? ModificationExecutor.merge(old, doc, mergeObjects: true, keepNull: true) : doc
            return .object(try storage.replace(c, key: key, with: new, partial: kind == .update).1)
        }
    }

    /// With `revision`, the document's `_rev` must be it (error 1200 otherwise).
    func checkRevision(_ collection: String, _ key: String?, _ revision: String?) throws {
        guard let revision, let key else { return }
        guard try requireDocument(collection, key)[attribute: "_rev"].stringValue == revision else {
            throw LocusError(.conflict)
        }
    }

    func requireDocument(_ collection: String, _ key: String) throws -> Value {
        let c = try storage.requireCollection(collection)
        guard let doc = try storage.get(c, key: key) else { throw LocusError(.documentNotFound) }
        return doc
    }

    /// An edge of `collection` from `from` to `to` must fit one of the graph's edge
    /// definitions for that collection and join existing vertices.
    func checkEdge(_ collection: String, from: Value, to: Value) throws {
        let definitions = graph.edgeDefinitions.filter { $0.collection == collection }
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
