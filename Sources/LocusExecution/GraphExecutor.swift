// TraversalNode and ShortestPathNode over edge collections: depth-first or breadth-first
// traversals with ArangoDB's uniqueness options and PRUNE, and shortest paths found by a
// bidirectional breadth-first search (unweighted) or Dijkstra's algorithm (weighted). Edges
// come from the edge index; vertices are read by `_id` once per traversal.

import LocusErrors
import LocusPlanner
import LocusStorage
import LocusValues

struct GraphExecutor {
    /// The pipeline owns the run that creates this helper, so it outlives it.
    unowned(unsafe) let pipeline: Pipeline
    let next: Int
    var executor: QueryExecutor { pipeline.executor }
    var storage: Storage { executor.storage }

    /// An edge as the graph code sees it.
    struct Edge {
        var id: String
        var from: String
        var to: String
        var doc: Value?
    }

    final class VertexCache {
        var docs: [String: Value] = [:]
        /// Only these attributes are read; `_key` and `_id` come from the id itself.
        var projection: JSONProjection?
        var idOnly = false

        init(projection: [String]? = nil) {
            guard let p = projection else { return }
            self.projection = JSONProjection(p)
            idOnly = Set(p).isSubset(of: ["_key", "_id"])
        }
    }

    /// `_id` of a start or target vertex given as an id string or a document; nil (with a
    /// warning, as ArangoDB gives) otherwise.
    func vertexId(_ v: Value) -> String? {
        var id = v
        if case .object(let o) = v { id = o["_id"] ?? .null }
        if case .string(let s) = id, s.contains("/") { return s }
        executor.warn(.badParameter, "invalid start vertex: must be a document or an _id string")
        return nil
    }

    func vertex(_ id: String, _ cache: VertexCache) throws -> Value {
        if let v = cache.docs[id] { return v }
        var doc: Value = .null
        if let slash = id.firstIndex(of: "/"), let c = storage.collection(String(id[..<slash])) {
            let key = String(id[id.index(after: slash)...])
            if cache.idOnly {
                // Only _key/_id are used: the document need not be read, only found.
                if try storage.exists(c, key: key) { doc = ["_key": .string(key), "_id": .string(id)] }
            } else {
                try storage.lookup(c, keys: [key]) { bytes in
                    doc = try cache.projection.map { try $0.parse(bytes) } ?? JSONReader.parse(bytes)
                    return false
                }
            }
        }
        if doc.isNull { executor.warn(.documentNotFound, "vertex '\(id)' not found") }
        cache.docs[id] = doc
        return doc
    }

    /// Edges leaving `id` along every (collection, direction); `withDocs` parses edge documents.
    func neighbors(_ id: String, _ edges: [(collection: String, direction: String)], withDocs: Bool) throws -> [(Edge, String)] {
        var out: [(Edge, String)] = []
        for (name, direction) in edges {
            let c = try storage.requireCollection(name)
            for outbound in direction == "any" ? [true, false] : [direction == "outbound"] {
                try storage.edgeEndpoints(c, vertex: id, outbound: outbound) { key, from, to, bytes in
                    // Value is ExpressibleByNilLiteral: spell out the Optional.
                    let doc: Value? = withDocs ? try JSONReader.parse(bytes) : Optional<Value>.none
                    out.append((Edge(id: "\(name)/\(key)", from: from, to: to, doc: doc), outbound ? to : from))
                    return true
                }
            }
        }
        return out
    }

    static func pathValue(_ vertices: [Value], _ edges: [Value]) -> Value {
        ["edges": .array(edges), "vertices": .array(vertices)]
    }

    // MARK: - Traversal

    func traverse(_ t: LocusPlanner.TraversalSpec, _ r: inout [Value]) throws -> Bool {
        guard let startId = vertexId(try pipeline.eval(t.start, &r)) else { return true }
        let cache = VertexCache(projection: t.vertexProjection)
        let startDoc = try vertex(startId, cache)
        if startDoc.isNull { return true }
        let wantEdges = t.edgeSlot != nil || t.pathSlot != nil
        /// The edges to follow from a vertex, to vertices the `vertexCollections` option allows.
        func steps(_ id: String) throws -> [(Edge, String)] {
            let all = try neighbors(id, t.edges, withDocs: wantEdges)
            guard let allowed = t.vertexCollections else { return all }
            return all.filter { _, other in other.firstIndex(of: "/").map { allowed.contains(String(other[..<$0])) } ?? false }
        }
        var globalSeen: Set<String> = [startId]

        /// Sets the registers for a path; applies PRUNE; emits when deep enough.
        /// Returns (continue?, expand?).
        func visit(_ vertices: [Value], _ edges: [Value], depth: Int, _ r: inout [Value]) throws -> (Bool, Bool) {
            r[t.vertexSlot] = vertices.last!
            if let e = t.edgeSlot { r[e] = edges.last ?? .null }
            if let p = t.pathSlot { r[p] = GraphExecutor.pathValue(vertices, edges) }
            var expand = depth < t.maxDepth
            if let prune = t.prune {
                let pruned = try pipeline.eval(prune, &r)
                if let slot = t.pruneSlot { r[slot] = pruned }
                if pruned.isTruthy { expand = false }
            }
            if depth >= t.minDepth, try !pipeline.push(next, &r) { return (false, false) }
            return (true, expand)
        }

        if t.order == "bfs" {
            var queue: [(id: String, vertices: [Value], edges: [Value], ids: [String], edgeIds: [String])] =
                [(startId, [startDoc], [], [startId], [])]
            var head = 0
            while head < queue.count {
                let item = queue[head]
                head += 1
                let depth = item.edges.count
                let (go, expand) = try visit(item.vertices, item.edges, depth: depth, &r)
                if !go { return false }
                if !expand { continue }
                for (edge, other) in try steps(item.id) {
                    if t.uniqueEdges == "path" && item.edgeIds.contains(edge.id) { continue }
                    if t.uniqueVertices == "path" && item.ids.contains(other) { continue }
                    if t.uniqueVertices == "global" && !globalSeen.insert(other).inserted { continue }
                    try executor.checkpoint()
                    queue.append((other, item.vertices + [try vertex(other, cache)], item.edges + [edge.doc ?? .null],
                                  item.ids + [other], item.edgeIds + [edge.id]))
                }
            }
            return true
        }

        var ids = [startId]
        var edgeIds: [String] = []
        var vertices = [startDoc]
        var edges: [Value] = []
        func dfs(_ id: String, _ r: inout [Value]) throws -> Bool {
            let (go, expand) = try visit(vertices, edges, depth: edges.count, &r)
            if !go { return false }
            if !expand { return true }
            for (edge, other) in try steps(id) {
                if t.uniqueEdges == "path" && edgeIds.contains(edge.id) { continue }
                if t.uniqueVertices == "path" && ids.contains(other) { continue }
                if t.uniqueVertices == "global" && !globalSeen.insert(other).inserted { continue }
                try executor.checkpoint()
                ids.append(other); edgeIds.append(edge.id)
                vertices.append(try vertex(other, cache)); edges.append(edge.doc ?? .null)
                defer { ids.removeLast(); edgeIds.removeLast(); vertices.removeLast(); edges.removeLast() }
                if try !dfs(other, &r) { return false }
            }
            return true
        }
        return try dfs(startId, &r)
    }

    // MARK: - Shortest path

    func shortestPath(_ sp: ShortestPathSpec, _ r: inout [Value]) throws -> Bool {
        guard let from = vertexId(try pipeline.eval(sp.start, &r)), let to = vertexId(try pipeline.eval(sp.target, &r)) else {
            return true
        }
        let cache = VertexCache()
        guard !(try vertex(from, cache)).isNull, !(try vertex(to, cache)).isNull else { return true }
        let path: [(String, Edge?)]?
        if let w = sp.weightAttribute {
            path = try dijkstra(from, to, sp, weight: w)
        } else {
            path = try bidirectionalBFS(from, to, sp)
        }
        guard let path else { return true }
        for (id, edge) in path {
            r[sp.vertexSlot] = try vertex(id, cache)
            if let e = sp.edgeSlot { r[e] = try edge.map { try edgeDocument($0) } ?? .null }
            if try !pipeline.push(next, &r) { return false }
        }
        return true
    }

    func edgeDocument(_ e: Edge) throws -> Value {
        if let d = e.doc { return d }
        guard let slash = e.id.firstIndex(of: "/"), let c = storage.collection(String(e.id[..<slash])) else { return .null }
        return try storage.get(c, key: String(e.id[e.id.index(after: slash)...])) ?? .null
    }

    static func reversed(_ edges: [(collection: String, direction: String)]) -> [(collection: String, direction: String)] {
        edges.map { ($0.collection, $0.direction == "outbound" ? "inbound" : $0.direction == "inbound" ? "outbound" : "any") }
    }

    /// Breadth-first from both ends, expanding the smaller frontier; returns vertices with the
    /// edge that led to each (nil for the start).
    func bidirectionalBFS(_ from: String, _ to: String, _ sp: ShortestPathSpec) throws -> [(String, Edge?)]? {
        if from == to { return [(from, nil)] }
        var forwardParent: [String: (String, Edge)?] = [from: nil]
        var backwardParent: [String: (String, Edge)?] = [to: nil]
        var forward = [from], backward = [to]
        let backwardEdges = GraphExecutor.reversed(sp.edges)
        while !forward.isEmpty && !backward.isEmpty {
            try executor.checkpoint()
            let expandForward = forward.count <= backward.count
            var nextFrontier: [String] = []
            var meeting: String? = nil
            for v in expandForward ? forward : backward {
                for (edge, other) in try neighbors(v, expandForward ? sp.edges : backwardEdges, withDocs: false) {
                    if expandForward {
                        if forwardParent[other] != nil { continue }
                        forwardParent[other] = (v, edge)
                        if backwardParent[other] != nil { meeting = other; break }
                    } else {
                        if backwardParent[other] != nil { continue }
                        backwardParent[other] = (v, edge)
                        if forwardParent[other] != nil { meeting = other; break }
                    }
                    nextFrontier.append(other)
                }
                if meeting != nil { break }
            }
            if let m = meeting {
                var head: [(String, Edge?)] = []
                var cur = m
                while let step = forwardParent[cur], let (prev, edge) = step {
                    head.append((cur, edge))
                    cur = prev
                }
                head.append((from, nil))
                head.reverse()
                cur = m
                while let step = backwardParent[cur], let (nextVertex, edge) = step {
                    head.append((nextVertex, edge))
                    cur = nextVertex
                }
                return head
            }
            if expandForward { forward = nextFrontier } else { backward = nextFrontier }
        }
        return nil
    }

    func dijkstra(_ from: String, _ to: String, _ sp: ShortestPathSpec, weight: String) throws -> [(String, Edge?)]? {
        var dist: [String: Double] = [from: 0]
        var parent: [String: (String, Edge)] = [:]
        var done = Set<String>()
        var frontier: [(Double, String)] = [(0, from)]
        while let i = frontier.indices.min(by: { frontier[$0].0 < frontier[$1].0 }) {
            let (d, v) = frontier.remove(at: i)
            if done.contains(v) { continue }
            done.insert(v)
            if v == to { break }
            try executor.checkpoint()
            for (edge, other) in try neighbors(v, sp.edges, withDocs: true) {
                let raw = edge.doc?[attribute: weight] ?? .null
                let w = raw.numberValue ?? sp.defaultWeight
                if w < 0 { throw LocusError(.negativeEdgeWeight) }
                let nd = d + w
                if nd < dist[other] ?? .infinity {
                    dist[other] = nd
                    parent[other] = (v, edge)
                    frontier.append((nd, other))
                }
            }
        }
        guard done.contains(to) else { return nil }
        var path: [(String, Edge?)] = []
        var cur = to
        while let (prev, edge) = parent[cur] {
            path.append((cur, edge))
            cur = prev
        }
        path.append((from, nil))
        return path.reversed()
    }
}
