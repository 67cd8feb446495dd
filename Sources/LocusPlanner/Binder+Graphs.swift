// Binding the graph operations: traversals, SHORTEST_PATH and the path searches (K_PATHS,
// K_SHORTEST_PATHS, ALL_SHORTEST_PATHS), with their edge collections or named graph, depths,
// weights and options.

import LocusErrors
import LocusSyntax
import LocusValues

extension Binder {
    /// The edge collections and directions a traversal or path search walks, and the vertex
    /// collections of a named graph.
    func edgeCollections(
        _ g: GraphSource, default direction: GraphDirection,
        at position: SourcePosition
    ) throws -> (edges: [(collection: String, direction: String)], vertices: [String]) {
        switch g {
        case .named(let e):
            guard case .string(let name)? = try ConstantFolder.fold(try bindExpr(e)).constantValue else {
                throw LocusError.syntax(.graphNameNotString, at: e.position)
            }
            guard let g = catalog.graph(name) else { throw LocusError(.graphNotFound, name, at: e.position) }
            let edges = try g.edgeCollections.map { c in
                guard catalog.collection(c) != nil else { throw LocusError(.dataSourceNotFound, c, at: e.position) }
                try noteRead(c, at: e.position)
                return (c, direction.rawValue.lowercased())
            }
            return (edges, g.vertexCollections)
        case .edgeCollections(let list):
            return (
                try list.map { dir, ref in
                    let c = try resolveCollection(ref)
                    guard c.type == .edge else { throw LocusError(.collectionTypeInvalid, c.name, at: ref.position) }
                    try noteRead(c.name, at: ref.position)
                    return (c.name, (dir ?? direction).rawValue.lowercased())
                }, []
            )
        }
    }

    func constantDepth(_ e: Expr?, default d: Int) throws -> Int {
        guard let e else { return d }
        guard case .number(let n)? = try ConstantFolder.fold(try bindExpr(e)).constantValue, n >= 0, n == n.rounded()
        else {
            throw LocusError.syntax(.invalidTraversalDepth, at: e.position)
        }
        return n.clampedInt
    }

    /// The traversal options ArangoDB 3.12 knows; others draw a warning.
    static let traversalOptions: Set<String> = [
        "order", "bfs", "uniqueVertices", "uniqueEdges", "edgeCollections", "vertexCollections", "weightAttribute",
        "defaultWeight", "parallelism", "maxProjections", "indexHint", "useCache", "produceVertices", "refactor",
    ]
    static let pathOptions: Set<String> = ["weightAttribute", "defaultWeight", "useCache", "edgeCollections"]

    func warnUnknownOptions(_ options: Object, known: Set<String>) {
        for (name, _) in options where !known.contains(name) {
            warnings.append((ErrorCode.invalidOptionsAttribute.number, "unknown OPTIONS attribute used: \(name)"))
        }
    }

    /// `weightAttribute` and `defaultWeight` (1 unless given; negative is 1948).
    func weightOptions(_ options: Object, at position: SourcePosition) throws -> (String?, Double) {
        var attribute: String? = nil
        if let w = options["weightAttribute"], !w.isNull {
            guard let name = w.stringValue, !name.isEmpty else {
                throw LocusError(.invalidOptionsAttribute, "weightAttribute", at: position)
            }
            attribute = name
        }
        var weight = 1.0
        if let d = options["defaultWeight"], !d.isNull {
            guard let n = d.numberValue else {
                throw LocusError(.invalidOptionsAttribute, "defaultWeight", at: position)
            }
            guard n >= 0 else { throw LocusError(.negativeEdgeWeight, at: position) }
            weight = n
        }
        return (attribute, weight)
    }

    func bindTraversal(
        _ t: LocusSyntax.TraversalSpec, variables: [String], options: Object, at position: SourcePosition
    ) throws -> PlanNode {
        if !modified.isEmpty {
            throw LocusError(
                code: .accessAfterModification, message: "access after data-modification by traversal",
                position: position)
        }
        let start = try bindExpr(t.start)
        let minDepth = try constantDepth(t.minDepth, default: 1)
        let maxDepth = try constantDepth(t.maxDepth, default: minDepth)
        let source = try edgeCollections(t.graph, default: t.direction, at: position)
        var edges = source.edges
        /// A collection-list option: a name or an array of names; empty means no restriction.
        func names(_ option: String) throws -> Set<String>? {
            guard let v = options[option], !v.isNull else { return nil }
            let list = v.stringValue.map { [$0] } ?? v.arrayValue?.compactMap(\.stringValue)
            guard let list, list.count == (v.arrayValue?.count ?? 1) else {
                throw LocusError(.invalidOptionsAttribute, option, at: position)
            }
            return list.isEmpty ? nil : Set(list)
        }
        warnUnknownOptions(options, known: Binder.traversalOptions)
        if let only = try names("edgeCollections") { edges = edges.filter { only.contains($0.collection) } }
        let vertexCollections = try names("vertexCollections")
        var order = TraversalOrder.dfs
        if let o = options["order"], !o.isNull {
            guard let name = o.stringValue, let known = TraversalOrder(rawValue: name) else {
                throw LocusError(
                    code: .badParameter, message: "order: unknown value, must be \"dfs\", \"bfs\" or \"weighted\"",
                    position: position)
            }
            order = known
        } else if options["bfs"]?.isTruthy == true {
            order = .bfs
        }
        // As ArangoDB: unknown uniqueness levels mean none; "global" edges and depth-first
        // global vertices are refused because their results would depend on chance.
        let uniqueVertices =
            options["uniqueVertices"]?.stringValue.flatMap(TraversalUniqueness.init(rawValue:)) ?? .none
        let uniqueEdges =
            options["uniqueEdges"]?.stringValue.map { TraversalUniqueness(rawValue: $0) ?? .path } ?? .path
        if uniqueEdges == .global {
            throw LocusError(
                code: .badParameter,
                message:
                    "uniqueEdges: 'global' is not supported, due to otherwise unpredictable results. Use 'path' or 'none' instead",
                position: position)
        }
        if uniqueVertices == .global && order == .dfs {
            throw LocusError(
                code: .badParameter,
                message:
                    "uniqueVertices: 'global' is only supported, with order: 'bfs' or 'weighted' due to otherwise unpredictable results",
                position: position)
        }
        let (weightAttribute, defaultWeight) = try weightOptions(options, at: position)
        levels[levels.count - 1].sawFor = true
        let v = try declare(variables[0], at: position)
        let e = variables.count > 1 ? try declare(variables[1], at: position) : nil
        let p = variables.count > 2 ? try declare(variables[2], at: position) : nil
        var spec = LocusPlanner.TraversalSpec(
            start: start, minDepth: minDepth, maxDepth: maxDepth, edges: edges,
            vertexSlot: v, edgeSlot: e, pathSlot: p, prune: nil, pruneSlot: nil,
            order: order, uniqueVertices: uniqueVertices, uniqueEdges: uniqueEdges,
            scratchSlot: newRegister("_element"))
        spec.weightAttribute = weightAttribute
        spec.defaultWeight = defaultWeight
        spec.vertexCollections = vertexCollections
        spec.graphVertexCollections = source.vertices
        if let prune = t.prune {
            // PRUNE sees v, e and p even when the query does not name them.
            if spec.edgeSlot == nil { spec.edgeSlot = newRegister("_e") }
            if spec.pathSlot == nil { spec.pathSlot = newRegister("_p") }
            spec.prune = try bindExpr(prune.condition)
            if let name = prune.variable { spec.pruneSlot = try declare(name, at: position) }
        }
        return node(.traversal(spec))
    }

    func bindPathSearch(_ p: PathSearchSpec, variables: [String], options: Object, at position: SourcePosition) throws
        -> PlanNode
    {
        if !modified.isEmpty {
            throw LocusError(
                code: .accessAfterModification, message: "access after data-modification by \(p.kind.rawValue)",
                position: position)
        }
        let start = try bindExpr(p.start)
        let target = try bindExpr(p.target)
        var edges = try edgeCollections(p.graph, default: p.direction, at: position).edges
        warnUnknownOptions(options, known: Binder.pathOptions)
        if let only = options["edgeCollections"].flatMap({
            $0.stringValue.map { [$0] } ?? $0.arrayValue?.compactMap(\.stringValue)
        }),
            !only.isEmpty
        {
            edges = edges.filter { only.contains($0.collection) }
        }
        let (weightAttribute, defaultWeight) = try weightOptions(options, at: position)
        levels[levels.count - 1].sawFor = true
        let first = try declare(variables[0], at: position)
        let kind: PathEnumerationSpec.Kind
        switch p.kind {
        case .shortestPath:
            let e = variables.count > 1 ? try declare(variables[1], at: position) : nil
            return node(
                .shortestPath(
                    ShortestPathSpec(
                        start: start, target: target, edges: edges, vertexSlot: first, edgeSlot: e,
                        weightAttribute: weightAttribute, defaultWeight: defaultWeight)))
        case .kShortestPaths: kind = .kShortestPaths
        case .kPaths: kind = .kPaths
        case .allShortestPaths: kind = .allShortestPaths
        }
        let minDepth = try constantDepth(p.minDepth, default: 1)
        let maxDepth = try constantDepth(p.maxDepth, default: minDepth)
        return node(
            .enumeratePaths(
                PathEnumerationSpec(
                    kind: kind, start: start, target: target, edges: edges,
                    minDepth: minDepth, maxDepth: maxDepth, pathSlot: first,
                    weightAttribute: kind == .kShortestPaths ? weightAttribute : nil,
                    defaultWeight: defaultWeight)))
    }
}
