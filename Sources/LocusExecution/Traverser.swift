// TraversalNode: the paths from a start vertex, enumerated depth-first, breadth-first or by
// increasing weight, with ArangoDB's uniqueness options, PRUNE, and the FILTER conditions the
// optimizer moved into the traversal. As in ArangoDB, a path that fails a moved condition or
// repeats what its uniqueness forbids is dropped before it marks anything; global vertex
// uniqueness is decided when a path is taken up, so the first path to reach a vertex in the
// traversal's order is the one that counts. PRUNE keeps a path but stops its extension.

import LocusErrors
import LocusPlanner
import LocusStorage
import LocusValues

final class Traverser {
    /// The pipeline owns the run that creates the traverser, so it outlives it.
    unowned(unsafe) let pipeline: Pipeline
    let next: Int
    let spec: TraversalSpec
    let graph: GraphAccess
    var executor: QueryExecutor { pipeline.executor }

    /// A path, as its last vertex and the edge that reached it from the path of `parent`.
    struct Step {
        var vertex: String
        var edge: GraphEdge?
        var parent: Int
        var depth: Int
        /// The total weight of the path's edges.
        var weight: Double
        /// The edge said the vertex exists (kept apart so that reading it copies no edge).
        var vertexKnown: Bool

        /// Whether `edge` is the one that reached this step.
        func arrives(by edge: GraphEdge) -> Bool { self.edge?.isSame(as: edge) ?? false }
    }

    /// Paths taken up or waiting; for depth-first order, exactly the current path.
    // Unchecked as in Pipeline, for the same reason: only this traverser's methods touch
    // `steps` and `visited`, and none holds an access open across a call that could return here.
    @exclusivity(unchecked) var steps: [Step] = []
    @exclusivity(unchecked) var visited: Set<String> = []
    let weighted: Bool

    init(pipeline: Pipeline, next: Int, spec: TraversalSpec) throws {
        self.pipeline = pipeline
        self.next = next
        self.spec = spec
        weighted = spec.order == .weighted
        let readEdges = spec.edgeSlot != nil || spec.pathSlot != nil || spec.conditions.contains { $0.element == .edge }
        graph = try GraphAccess(
            executor: pipeline.executor, edges: spec.edges, readEdgeDocuments: readEdges,
            weightAttribute: weighted ? spec.weightAttribute : nil,
            defaultWeight: spec.defaultWeight, vertexProjection: spec.vertexProjection,
            vertexCollections: spec.vertexCollections)
        passesVertices = pipeline.topLevel && pipeline.executor.passThrough?.slot == spec.vertexSlot
        graph.keepsVertexTexts = passesVertices
    }

    /// The vertices are the rows, taken as JSON: each goes on as stored (`DocumentPassThrough`).
    let passesVertices: Bool
    static let nullText = Array("null".utf8)

    /// Runs the traversal for the current row; false when downstream wants no more rows.
    func run(_ r: inout [Value]) throws -> Bool {
        guard let start = graph.vertexId(try pipeline.eval(spec.start, &r), for: "traversal") else { return true }
        guard try graph.start(at: start) else { return true }
        steps = [Step(vertex: start, edge: nil, parent: -1, depth: 0, weight: 0, vertexKnown: false)]
        visited = []
        guard try passesConditions(vertex: start, edge: nil, depth: 0, &r) else { return true }
        switch spec.order {
        case .dfs: return try depthFirst(&r)
        case .bfs: return try breadthFirst(&r)
        case .weighted: return try byWeight(&r)
        }
    }

    // MARK: - Orders

    /// A vertex of the current depth-first path with the neighbours still to try.
    struct Frame {
        var neighbors: [GraphNeighbor]
        var next = 0
    }

    func depthFirst(_ r: inout [Value]) throws -> Bool {
        var frames: [Frame] = []
        let (go, expand) = try take(0, &r)
        if !go { return false }
        if expand { frames.append(Frame(neighbors: try graph.neighbors(steps[0].vertex))) } else { return true }
        while let top = frames.indices.last {
            guard frames[top].next < frames[top].neighbors.count else {
                frames.removeLast()
                steps.removeLast()
                continue
            }
            let n = frames[top].next
            frames[top].next = n + 1
            try executor.checkpoint()
            let parent = steps.count - 1
            let vertex = frames[top].neighbors[n].vertex
            guard try admissible(parent: parent, edge: frames[top].neighbors[n].edge, vertex: vertex, &r) else {
                continue
            }
            steps.append(
                Step(
                    frames[top].neighbors[n], parent: parent, depth: steps[parent].depth + 1,
                    weightBefore: steps[parent].weight))
            let (go, expand) = try take(steps.count - 1, &r)
            if !go { return false }
            if expand { frames.append(Frame(neighbors: try graph.neighbors(vertex))) } else { steps.removeLast() }
        }
        return true
    }

    func breadthFirst(_ r: inout [Value]) throws -> Bool {
        var queue = [0]
        var head = 0
        while head < queue.count {
            let index = queue[head]
            head += 1
            let (go, expand) = try take(index, &r)
            if !go { return false }
            if expand { queue += try children(of: index, &r) }
        }
        return true
    }

    func byWeight(_ r: inout [Value]) throws -> Bool {
        // Ties go to the path found first, so the order is deterministic.
        var queue = MinHeap<(weight: Double, sequence: Int, index: Int)>(by: {
            ($0.weight, $0.sequence) < ($1.weight, $1.sequence)
        })
        queue.push((0, 0, 0))
        var sequence = 1
        while let (_, _, index) = queue.pop() {
            let (go, expand) = try take(index, &r)
            if !go { return false }
            guard expand else { continue }
            for child in try children(of: index, &r) {
                queue.push((steps[child].weight, sequence, child))
                sequence += 1
            }
        }
        return true
    }

    // MARK: - Paths

    /// The admissible one-edge extensions of path `index`, added to `steps`.
    func children(of index: Int, _ r: inout [Value]) throws -> [Int] {
        var out: [Int] = []
        let depth = steps[index].depth + 1, weight = steps[index].weight
        for neighbor in try graph.neighbors(steps[index].vertex) {
            try executor.checkpoint()
            guard try admissible(parent: index, edge: neighbor.edge, vertex: neighbor.vertex, &r) else { continue }
            steps.append(Step(neighbor, parent: index, depth: depth, weightBefore: weight))
            out.append(steps.count - 1)
        }
        return out
    }

    /// Whether extending path `parent` by `edge` to `vertex` respects uniqueness and the moved
    /// conditions. A global repeat is only ruled out early here; `take` decides it.
    func admissible(parent: Int, edge: GraphEdge, vertex: String, _ r: inout [Value]) throws -> Bool {
        if spec.uniqueVertices == .global {
            if visited.contains(vertex) { return false }
        } else if spec.uniqueVertices == .path || spec.uniqueEdges == .path {
            var i = parent
            while i >= 0 {
                if spec.uniqueVertices == .path && steps[i].vertex == vertex { return false }
                if spec.uniqueEdges == .path && steps[i].arrives(by: edge) { return false }
                i = steps[i].parent
            }
        }
        return try passesConditions(vertex: vertex, edge: edge, depth: steps[parent].depth + 1, &r)
    }

    /// The moved conditions on the edge that reaches `depth` and on the vertex there.
    func passesConditions(vertex: String, edge: GraphEdge?, depth: Int, _ r: inout [Value]) throws -> Bool {
        for c in spec.conditions where c.element == .edge && (c.position == nil || c.position == depth - 1) {
            guard let edge else { continue }
            r[c.slot] = try graph.edgeDocument(edge)
            if !(try pipeline.eval(c.condition, &r)).isTruthy { return false }
        }
        for c in spec.conditions where c.element == .vertex && (c.position == nil || c.position == depth) {
            r[c.slot] = try graph.vertex(vertex, known: edge?.leadsToKnownVertex ?? false)
            if !(try pipeline.eval(c.condition, &r)).isTruthy { return false }
        }
        return true
    }

    /// Takes up path `index`: global uniqueness, PRUNE, and emission when deep enough.
    /// Returns whether to go on at all and whether to extend this path.
    func take(_ index: Int, _ r: inout [Value]) throws -> (go: Bool, expand: Bool) {
        // Fields are read one by one: copying the whole step would retain all its strings.
        let depth = steps[index].depth
        if spec.uniqueVertices == .global && !visited.insert(steps[index].vertex).inserted { return (true, false) }
        var expand = depth < spec.maxDepth
        let emit = depth >= spec.minDepth && depth <= spec.maxDepth
        guard emit || spec.prune != nil else { return (true, expand) }
        let vertex = try graph.storedVertex(steps[index].vertex, known: steps[index].vertexKnown)
        r[spec.vertexSlot] = vertex.value
        if passesVertices { pipeline.passedDocument = vertex.json.isEmpty ? Traverser.nullText : vertex.json }
        if let e = spec.edgeSlot { r[e] = try steps[index].edge.map(graph.edgeDocument) ?? .null }
        if let p = spec.pathSlot { r[p] = try path(index) }
        if let prune = spec.prune {
            let pruned = try pipeline.eval(prune, &r)
            if let slot = spec.pruneSlot { r[slot] = pruned }
            if pruned.isTruthy { expand = false }
        }
        if emit, try !pipeline.push(next, &r) { return (false, false) }
        return (true, expand)
    }

    /// ArangoDB's path object for path `index`, with `weights` in weighted order.
    func path(_ index: Int) throws -> Value {
        var chain: [Step] = []
        var i = index
        while i >= 0 {
            chain.append(steps[i])
            i = steps[i].parent
        }
        chain.reverse()
        return GraphAccess.pathValue(
            vertices: try chain.map { try graph.vertex($0.vertex, known: $0.vertexKnown) },
            edges: try chain.dropFirst().map { try graph.edgeDocument($0.edge!) },
            weights: weighted ? chain.map(\.weight) : nil)
    }
}

extension Traverser.Step {
    /// The step that follows `neighbor`'s edge from the path of `parent`.
    init(_ neighbor: GraphNeighbor, parent: Int, depth: Int, weightBefore: Double) {
        self.init(
            vertex: neighbor.vertex, edge: neighbor.edge, parent: parent, depth: depth,
            weight: weightBefore + neighbor.edge.weight, vertexKnown: neighbor.edge.leadsToKnownVertex)
    }
}
