// What the graph executors read: neighbours of a vertex through the edge index of each edge
// collection and direction, edge weights, and vertex documents by `_id`, read once per query
// node and only as far as the query uses them. Traversals and path searches share it.

import LocusErrors
import LocusPlanner
import LocusStorage
import LocusValues

/// An edge as the graph code sees it: its collection and key, its document when the query
/// reads edges, its weight (the weight attribute's number, else the default weight), and
/// whether the vertex it leads to is known to exist.
struct GraphEdge {
    var collection: String
    var key: String
    var doc: Value?
    var weight: Double
    var leadsToKnownVertex: Bool

    var id: String { collection + "/" + key }

    func isSame(as other: GraphEdge) -> Bool { key == other.key && collection == other.collection }
}

/// An edge at a vertex and the vertex at its other end. (A struct rather than a tuple: arrays
/// of tuples look their type up at run time, on every neighbourhood.)
struct GraphNeighbor {
    var edge: GraphEdge
    var vertex: String
}

/// Neighbourhoods, weights and vertices for one graph node of a plan.
final class GraphAccess {
    /// The executor owns the pipeline that creates this, so it outlives it.
    unowned(unsafe) let executor: QueryExecutor
    var storage: Storage { executor.storage }
    /// Each edge collection with the directions to follow it in (true: outbound).
    let edges: [(collection: CollectionInfo, name: String, outbound: [Bool])]
    let readEdgeDocuments: Bool
    let weightAttribute: String?
    let defaultWeight: Double
    let weightProjection: JSONProjection?
    /// Vertices of other collections are not reached (nil: any).
    let vertexCollections: Set<String>?

    /// Vertices read, by id; with their stored JSON when `keepsVertexTexts` (for a query whose
    /// rows, taken as JSON, are these vertices as stored; see `DocumentPassThrough`).
    var vertexDocuments: [String: StoredDocument] = [:]
    var keepsVertexTexts = false
    /// Where most vertices are expected (the start vertex's collection): when only their
    /// existence matters, it is read with their edges.
    var expectedVertexCollection: CollectionInfo?
    /// Only these attributes of vertices are read; `_key` and `_id` come from the id itself.
    let vertexProjection: JSONProjection?
    let vertexIdOnly: Bool

    init(
        executor: QueryExecutor, edges: [(collection: String, direction: String)], readEdgeDocuments: Bool,
        weightAttribute: String?, defaultWeight: Double, vertexProjection: [String]? = nil,
        vertexCollections: Set<String>? = nil
    ) throws {
        self.executor = executor
        self.edges = try edges.map { e in
            let c = try executor.storage.requireCollection(e.collection)
            return (c, e.collection, e.direction == "any" ? [true, false] : [e.direction == "outbound"])
        }
        self.readEdgeDocuments = readEdgeDocuments
        self.weightAttribute = weightAttribute
        self.defaultWeight = defaultWeight
        weightProjection = weightAttribute.flatMap { readEdgeDocuments ? nil : JSONProjection([$0]) }
        self.vertexCollections = vertexCollections
        vertexIdOnly = vertexProjection.map { $0.allSatisfy { $0 == "_key" || $0 == "_id" } } ?? false
        self.vertexProjection = vertexIdOnly ? nil : vertexProjection.map(JSONProjection.init)
    }

    /// `_id` of a start or target vertex given as an id string or a document; nil, with
    /// ArangoDB's warning, otherwise.
    func vertexId(_ v: Value, for what: String) -> String? {
        var id = v
        if case .object(let o) = v { id = o["_id"] ?? .null }
        if case .string(let s) = id, DocumentKey.splitId(s) != nil { return s }
        executor.warn(.badParameter, "Invalid input for \(what): Only id strings or objects with _id are allowed")
        return nil
    }

    /// Whether the start vertex `id` exists; its collection becomes the one most vertices
    /// are expected in.
    func start(at id: String) throws -> Bool {
        let (exists, collection) = try lookUp(id)
        expectedVertexCollection = collection
        return exists
    }

    /// Whether the vertex `id` exists, without reading more of it than needed.
    func vertexExists(_ id: String) throws -> Bool { try lookUp(id).exists }

    private func lookUp(_ id: String) throws -> (exists: Bool, collection: CollectionInfo?) {
        guard let (name, key) = DocumentKey.splitId(id), let c = storage.collection(name) else { return (false, nil) }
        if let v = vertexDocuments[id] { return (!v.value.isNull, c) }
        return (try storage.exists(c, key: key), c)
    }

    /// A vertex as `{_key, _id}`, for queries that read nothing else of it.
    static func idOnly(_ id: String, key: String) -> Value {
        .object(Object(uniqueKeys: idOnlyNames, values: [.string(key), .string(id)]))
    }

    static let idOnlyNames = ["_key", "_id"]

    /// The vertex document (or the attributes the query reads of it); null with a warning
    /// when the vertex does not exist, as for ArangoDB's dangling edges. `known`: the vertex
    /// is known to exist (the edge that reached it said so).
    func vertex(_ id: String, known: Bool = false) throws -> Value { try storedVertex(id, known: known).value }

    /// `vertex`, with its JSON as stored when it was read whole and `keepsVertexTexts` (else
    /// an empty text).
    func storedVertex(_ id: String, known: Bool = false) throws -> StoredDocument {
        if vertexIdOnly, known, let key = DocumentKey.key(ofId: id) {
            return StoredDocument(value: GraphAccess.idOnly(id, key: key), json: [])
        }
        if let v = vertexDocuments[id] { return v }
        var found = StoredDocument(value: .null, json: [])
        if let (name, key) = DocumentKey.splitId(id), let c = storage.collection(name) {
            if vertexIdOnly {
                if try storage.exists(c, key: key) { found.value = GraphAccess.idOnly(id, key: key) }
            } else if let vertexProjection {
                try storage.lookup(c, keys: [key]) { bytes in
                    found.value = try vertexProjection.parse(bytes)
                    return false
                }
            } else if keepsVertexTexts {
                found = try storage.stored(c, key: key) ?? found
            } else {
                found.value = try storage.get(c, key: key) ?? .null
            }
        }
        if found.value.isNull { executor.warn(.documentNotFound, "vertex '\(id)' not found") }
        vertexDocuments[id] = found
        return found
    }

    /// The edges at `id`, each with the vertex at its other end; `reversed` walks every
    /// direction backwards (for searches from the target).
    func neighbors(_ id: String, reversed: Bool = false) throws -> [GraphNeighbor] {
        var out: [GraphNeighbor] = []
        let expected = vertexIdOnly ? expectedVertexCollection : nil
        for (c, name, directions) in edges {
            for forward in directions {
                // Both directions of ANY are walked in the same order either way.
                let outbound = directions.count == 2 ? forward : forward != reversed
                func add(key: String, far other: String, exists: Bool, document bytes: UnsafeBufferPointer<UInt8>?)
                    throws
                {
                    if let allowed = vertexCollections,
                        !(DocumentKey.splitId(other).map { allowed.contains($0.0) } ?? false)
                    {
                        return
                    }
                    let doc: Value? = readEdgeDocuments ? try bytes.map { try JSONReader.parseStored($0) } : nil
                    var weight = defaultWeight
                    if let attribute = weightAttribute, let bytes {
                        weight =
                            try (doc ?? weightProjection!.parse(bytes))[attribute: attribute].numberValue
                            ?? defaultWeight
                        if weight < 0 { throw LocusError(.negativeEdgeWeight) }
                    }
                    out.append(
                        GraphNeighbor(
                            edge: GraphEdge(
                                collection: name, key: key, doc: doc, weight: weight, leadsToKnownVertex: exists),
                            vertex: other))
                }
                if readEdgeDocuments || weightAttribute != nil {
                    try storage.edgeEndpoints(c, vertex: id, outbound: outbound, checking: expected) {
                        key, from, to, bytes, exists in
                        try add(key: key, far: outbound ? to : from, exists: exists, document: bytes)
                        return true
                    }
                } else {
                    // Only the endpoints matter: the read cache can answer.
                    let endpoints = try storage.neighborhood(c, vertex: id, outbound: outbound, checking: expected)
                    out.reserveCapacity(out.count + endpoints.count)
                    for e in endpoints {
                        try add(key: e.key, far: e.far, exists: e.farExists, document: nil)
                    }
                }
            }
        }
        return out
    }

    /// The edge's document, read now when the neighbourhood did not read documents.
    func edgeDocument(_ e: GraphEdge) throws -> Value {
        if let d = e.doc { return d }
        guard let c = storage.collection(e.collection) else { return .null }
        return try storage.get(c, key: e.key) ?? .null
    }

    /// ArangoDB's path object.
    static func pathValue(vertices: [Value], edges: [Value], weights: [Double]? = nil) -> Value {
        var o: Object = ["edges": .array(edges), "vertices": .array(vertices)]
        if let weights { o["weights"] = .array(weights.map { .number($0) }) }
        return .object(o)
    }
}
