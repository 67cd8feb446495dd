// Path searches between two vertices: SHORTEST_PATH (one row per vertex of one shortest path,
// by bidirectional breadth-first search, or Dijkstra's algorithm with weights), and the
// EnumeratePathsNode kinds, each row a whole path: K_SHORTEST_PATHS (Yen's algorithm, loopless
// paths by increasing weight, produced one at a time so that a LIMIT stops the search),
// K_PATHS (every path without repeated vertices whose length is in range, shortest first) and
// ALL_SHORTEST_PATHS (every path of the fewest edges).

import LocusErrors
import LocusPlanner
import LocusStorage
import LocusValues

final class PathFinder {
    /// The pipeline owns the run that creates the finder, so it outlives it.
    unowned(unsafe) let pipeline: Pipeline
    let next: Int
    let graph: GraphAccess
    var executor: QueryExecutor { pipeline.executor }

    init(
        pipeline: Pipeline, next: Int, edges: [(collection: String, direction: String)], readEdgeDocuments: Bool,
        weightAttribute: String?, defaultWeight: Double
    ) throws {
        self.pipeline = pipeline
        self.next = next
        graph = try GraphAccess(
            executor: pipeline.executor, edges: edges, readEdgeDocuments: readEdgeDocuments,
            weightAttribute: weightAttribute, defaultWeight: defaultWeight)
    }

    /// A path as vertex ids and the edges between them.
    struct Path {
        var vertices: [String]
        var edges: [GraphEdge]
        var weight: Double { edges.reduce(0) { $0 + $1.weight } }
    }

    /// The start and target ids of the current row, when both are valid and exist.
    func endpoints(_ start: BoundExpr, _ target: BoundExpr, _ what: String, _ r: inout [Value]) throws -> (
        String, String
    )? {
        guard let from = graph.vertexId(try pipeline.eval(start, &r), for: what),
            let to = graph.vertexId(try pipeline.eval(target, &r), for: what),
            try graph.vertexExists(from), try graph.vertexExists(to)
        else { return nil }
        return (from, to)
    }

    // MARK: - SHORTEST_PATH

    func shortestPath(_ sp: ShortestPathSpec, _ r: inout [Value]) throws -> Bool {
        guard let (from, to) = try endpoints(sp.start, sp.target, "Shortest Path", &r) else { return true }
        let found = sp.weightAttribute != nil ? try dijkstra(from, to) : try bidirectionalSearch(from, to)
        guard let path = found else { return true }
        for (i, id) in path.vertices.enumerated() {
            r[sp.vertexSlot] = try graph.vertex(id)
            if let e = sp.edgeSlot { r[e] = i == 0 ? .null : try graph.edgeDocument(path.edges[i - 1]) }
            if try !pipeline.push(next, &r) { return false }
        }
        return true
    }

    /// Breadth-first from both ends, expanding the smaller frontier. Each vertex reached gets a
    /// number, its side and its parent in arrays, so that an edge looked at costs one hash of
    /// the vertex's id (a map per side cost three).
    func bidirectionalSearch(_ from: String, _ to: String) throws -> Path? {
        if from == to { return Path(vertices: [from], edges: []) }
        var number: [String: Int] = [from: 0, to: 1]
        // Growing from two rehashes every id at each doubling; most searches reach thousands.
        number.reserveCapacity(1024)
        var vertex = [from, to]
        var parent: [(Int, GraphEdge)?] = [nil, nil]
        var isForward = [true, false]
        var forward = [0], backward = [1]
        while !forward.isEmpty && !backward.isEmpty {
            try executor.checkpoint()
            let expandForward = forward.count <= backward.count
            var frontier: [Int] = []
            // The first edge found between the two sides: its forward end, backward end, and it.
            var meeting: (forwardEnd: Int, backwardEnd: Int, edge: GraphEdge)? = nil
            search: for v in expandForward ? forward : backward {
                for neighbor in try graph.neighbors(vertex[v], reversed: !expandForward) {
                    let fresh = vertex.count
                    let n = Self.number(of: neighbor.vertex, in: &number, fresh: fresh)
                    if n == fresh {
                        vertex.append(neighbor.vertex)
                        parent.append((v, neighbor.edge))
                        isForward.append(expandForward)
                        frontier.append(n)
                    } else if isForward[n] != expandForward {
                        meeting = expandForward ? (v, n, neighbor.edge) : (n, v, neighbor.edge)
                        break search
                    }
                }
            }
            if let m = meeting {
                var vertices = [vertex[m.forwardEnd]]
                var edges: [GraphEdge] = []
                var cur = m.forwardEnd
                while let (previous, edge) = parent[cur] {
                    vertices.append(vertex[previous])
                    edges.append(edge)
                    cur = previous
                }
                vertices.reverse()
                edges.reverse()
                edges.append(m.edge)
                vertices.append(vertex[m.backwardEnd])
                cur = m.backwardEnd
                while let (following, edge) = parent[cur] {
                    vertices.append(vertex[following])
                    edges.append(edge)
                    cur = following
                }
                return Path(vertices: vertices, edges: edges)
            }
            if expandForward { forward = frontier } else { backward = frontier }
        }
        return nil
    }

    /// The number of vertex `id`, given `fresh` (and so recorded) when it has none yet: one
    /// lookup, as the defaulted subscript inserts in place.
    private static func number(of id: String, in table: inout [String: Int], fresh: Int) -> Int {
        func read(_ n: inout Int) -> Int { n }
        return read(&table[id, default: fresh])
    }

    /// The lightest path from `from` to `to` avoiding the given vertices and edges.
    func dijkstra(_ from: String, _ to: String, avoidingVertices: Set<String> = [], avoidingEdges: Set<String> = [])
        throws -> Path?
    {
        var distance: [String: Double] = [from: 0]
        var parent: [String: (String, GraphEdge)] = [:]
        var done = Set<String>()
        var queue = MinHeap<(Double, Int, String)>(by: { ($0.0, $0.1) < ($1.0, $1.1) })
        queue.push((0, 0, from))
        var sequence = 1
        while let (d, _, v) = queue.pop() {
            guard done.insert(v).inserted else { continue }
            if v == to { break }
            try executor.checkpoint()
            for neighbor in try graph.neighbors(v)
            where !avoidingVertices.contains(neighbor.vertex) && !avoidingEdges.contains(neighbor.edge.id) {
                let edge = neighbor.edge, other = neighbor.vertex
                let nd = d + edge.weight
                if nd < distance[other] ?? .infinity {
                    distance[other] = nd
                    parent[other] = (v, edge)
                    queue.push((nd, sequence, other))
                    sequence += 1
                }
            }
        }
        guard done.contains(to) else { return nil }
        var vertices = [to]
        var edges: [GraphEdge] = []
        var cur = to
        while let (previous, edge) = parent[cur] {
            vertices.append(previous)
            edges.append(edge)
            cur = previous
        }
        return Path(vertices: vertices.reversed(), edges: edges.reversed())
    }

    // MARK: - EnumeratePathsNode

    func enumerate(_ spec: PathEnumerationSpec, _ r: inout [Value]) throws -> Bool {
        guard let (from, to) = try endpoints(spec.start, spec.target, spec.kind.rawValue, &r) else { return true }
        let emit: (Path) throws -> Bool = { path in
            var o: Object = [
                "edges": .array(try path.edges.map { try self.graph.edgeDocument($0) }),
                "vertices": .array(try path.vertices.map { try self.graph.vertex($0) }),
            ]
            if spec.kind == .kShortestPaths { o["weight"] = .number(path.weight) }
            r[spec.pathSlot] = .object(o)
            return try self.pipeline.push(self.next, &r)
        }
        switch spec.kind {
        case .kShortestPaths: return try kShortestPaths(from, to, emit)
        case .kPaths: return try kPaths(from, to, minDepth: spec.minDepth, maxDepth: spec.maxDepth, emit)
        case .allShortestPaths: return try allShortestPaths(from, to, emit)
        }
    }

    /// Yen's algorithm: each next path deviates from an earlier one at some vertex (the spur),
    /// avoiding the edges earlier paths with the same beginning took there.
    func kShortestPaths(_ from: String, _ to: String, _ emit: (Path) throws -> Bool) throws -> Bool {
        guard let first = try dijkstra(from, to) else { return true }
        var found = [first]
        if try !emit(first) { return false }
        var seen: Set<[String]> = [first.edges.map(\.id)]
        var candidates = MinHeap<(Double, Int, Int, Path)>(by: { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) })
        var sequence = 0
        while true {
            let previous = found[found.count - 1]
            for i in 0..<max(0, previous.vertices.count - 1) {
                try executor.checkpoint()
                let spur = previous.vertices[i]
                let rootEdges = Array(previous.edges[..<i])
                let rootIds = rootEdges.map(\.id)
                var avoidEdges = Set<String>()
                for p in found where p.edges.count > i && Array(p.edges[..<i].map(\.id)) == rootIds {
                    avoidEdges.insert(p.edges[i].id)
                }
                let avoidVertices = Set(previous.vertices[..<i])
                guard let tail = try dijkstra(spur, to, avoidingVertices: avoidVertices, avoidingEdges: avoidEdges)
                else { continue }
                let candidate = Path(
                    vertices: Array(previous.vertices[..<i]) + tail.vertices, edges: rootEdges + tail.edges)
                guard seen.insert(candidate.edges.map(\.id)).inserted else { continue }
                candidates.push((candidate.weight, candidate.edges.count, sequence, candidate))
                sequence += 1
            }
            guard let (_, _, _, best) = candidates.pop() else { return true }
            found.append(best)
            if try !emit(best) { return false }
        }
    }

    /// Paths of each length from `minDepth` to `maxDepth` in turn, found depth-first; a branch
    /// is cut where the target is out of reach in the edges left.
    func kPaths(_ from: String, _ to: String, minDepth: Int, maxDepth: Int, _ emit: (Path) throws -> Bool) throws
        -> Bool
    {
        guard minDepth <= maxDepth else { return true }
        // Fewest edges from each vertex to the target, up to maxDepth.
        var toTarget: [String: Int] = [to: 0]
        var frontier = [to]
        for d in 0..<maxDepth where !frontier.isEmpty {
            var nextFrontier: [String] = []
            for v in frontier {
                try executor.checkpoint()
                for neighbor in try graph.neighbors(v, reversed: true) where toTarget[neighbor.vertex] == nil {
                    let other = neighbor.vertex
                    toTarget[other] = d + 1
                    nextFrontier.append(other)
                }
            }
            frontier = nextFrontier
        }
        guard let reach = toTarget[from], reach <= maxDepth else { return true }
        var neighborhoods: [String: [GraphNeighbor]] = [:]
        for length in max(minDepth, reach)...maxDepth {
            if from == to {
                if length == 0, try !emit(Path(vertices: [from], edges: [])) { return false }
                continue
            }
            var vertices = [from]
            var onPath: Set<String> = [from]
            var edges: [GraphEdge] = []
            func extend() throws -> Bool {
                let v = vertices[vertices.count - 1]
                if v == to { return edges.count == length ? try emit(Path(vertices: vertices, edges: edges)) : true }
                if neighborhoods[v] == nil { neighborhoods[v] = try graph.neighbors(v) }
                for neighbor in neighborhoods[v]! {
                    let edge = neighbor.edge, w = neighbor.vertex
                    guard !onPath.contains(w), let left = toTarget[w], edges.count + 1 + left <= length else {
                        continue
                    }
                    try executor.checkpoint()
                    vertices.append(w); edges.append(edge); onPath.insert(w)
                    defer { vertices.removeLast(); edges.removeLast(); onPath.remove(w) }
                    if try !extend() { return false }
                }
                return true
            }
            if try !extend() { return false }
        }
        return true
    }

    /// Breadth-first layers from the start until the target's layer is complete, keeping
    /// every edge into each vertex from the layer before; then each path back to the start.
    func allShortestPaths(_ from: String, _ to: String, _ emit: (Path) throws -> Bool) throws -> Bool {
        if from == to { return try emit(Path(vertices: [from], edges: [])) }
        var layer: [String: Int] = [from: 0]
        var predecessors: [String: [(GraphEdge, String)]] = [:]
        var frontier = [from]
        var depth = 0
        while !frontier.isEmpty && layer[to] == nil {
            var nextFrontier: [String] = []
            for v in frontier {
                try executor.checkpoint()
                for neighbor in try graph.neighbors(v) {
                    let edge = neighbor.edge, w = neighbor.vertex
                    if layer[w] == nil {
                        layer[w] = depth + 1
                        nextFrontier.append(w)
                    }
                    if layer[w] == depth + 1 { predecessors[w, default: []].append((edge, v)) }
                }
            }
            frontier = nextFrontier
            depth += 1
        }
        guard layer[to] != nil else { return true }
        var vertices = [to]
        var edges: [GraphEdge] = []
        func back() throws -> Bool {
            let v = vertices[vertices.count - 1]
            if v == from { return try emit(Path(vertices: vertices.reversed(), edges: edges.reversed())) }
            for (edge, u) in predecessors[v] ?? [] {
                vertices.append(u); edges.append(edge)
                defer { vertices.removeLast(); edges.removeLast() }
                if try !back() { return false }
            }
            return true
        }
        return try back()
    }
}
