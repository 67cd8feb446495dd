// EXPLAIN: the plan as ArangoDB shows it, a table of Id, NodeType, Est. and Comment, the
// indexes used and the optimizer rules applied, as text and as JSON.

import LocusValues

/// Renders a `QueryPlan`.
public struct Explainer {
    let plan: QueryPlan
    let printer: ExprPrinter
    let catalog: PlannerCatalog

    public init(plan: QueryPlan, catalog: PlannerCatalog) {
        self.plan = plan
        self.printer = ExprPrinter(names: plan.registerNames)
        self.catalog = catalog
    }

    struct Row {
        var id: Int
        var type: String
        var estimate: Int
        var comment: String
        var depth: Int
        /// ArangoDB's node-specific fields, for the JSON.
        var fields: Object = [:]
        /// The id of the node before it in its pipeline (none for a pipeline's SingletonNode).
        var dependency: Int? = nil
        /// Locus's cost: the items each node on the way handles, summed, a subquery's cost
        /// counted where it runs.
        var cost: Double = 0
    }

    func pattern(_ p: BoundPattern) -> String {
        switch p {
        case .slot(let s): printer.name(s)
        case .array(let ps): "[" + ps.map { $0.map(pattern) ?? "" }.joined(separator: ", ") + "]"
        case .object(let ms): "{" + ms.map { "\($0.0): \(pattern($0.1))" }.joined(separator: ", ") + "}"
        }
    }

    func accessComment(_ a: CollectionAccess, _ what: String) -> String {
        var extras = [what]
        if a.indexOnly { extras.append("index only") }
        if let p = a.projections { extras.append("projections: " + p.map { "`\($0)`" }.joined(separator: ", ")) }
        var s = "FOR \(printer.name(a.outSlot)) IN \(a.collection)"
        if let f = a.filter { s += "   FILTER \(printer.print(f))" }
        return s + "   /* " + extras.joined(separator: "; ") + " */"
    }

    /// `FOR d IN view SEARCH condition   LET s = BM25(d)   /* view query */`.
    func viewComment(_ v: ViewScan) -> String {
        var s = "FOR \(printer.name(v.outSlot)) IN \(v.view)"
        if let search = v.search { s += " SEARCH \(printer.print(search))" }
        for scorer in v.scorers {
            let call =
                switch scorer.kind {
                case .bm25(let k, let b): "BM25(\(printer.name(v.outSlot)), \(k), \(b))"
                case .tfidf(let normalize): "TFIDF(\(printer.name(v.outSlot)), \(normalize))"
                }
            s += "   LET \(printer.name(scorer.slot)) = \(call)"
        }
        for o in v.offsetInfos {
            let paths = JSONWriter.string(.array(o.paths.map { .string($0) }))
            s += "   LET \(printer.name(o.slot)) = OFFSET_INFO(\(printer.name(v.outSlot)), \(paths))"
        }
        return s + "   /* view query */"
    }

    func aggregates(_ aggs: [Aggregate]) -> String {
        aggs.map { "\(printer.name($0.slot)) = \($0.function)(\($0.argument.map(printer.print) ?? ""))" }.joined(
            separator: ", ")
    }

    /// `OUTBOUND start /* startnode */  e1, INBOUND e2` (with `TO target` for path searches):
    /// each collection's direction is shown where it differs from the first.
    func graphText(_ edges: [(collection: String, direction: String)], start: BoundExpr, target: BoundExpr? = nil)
        -> String
    {
        let main = edges.first?.direction ?? "outbound"
        var out = "\(main.uppercased()) \(printer.print(start)) /* startnode */"
        if let target { out += " TO \(printer.print(target)) /* targetnode */" }
        return out + "  "
            + edges.map { ($0.direction == main ? "" : $0.direction.uppercased() + " ") + $0.collection }.joined(
                separator: ", ")
    }

    /// One index lookup of a plan, as a row of "Indexes used".
    struct IndexUse {
        var node: Int
        var name: String
        var type: IndexType
        var collection: String
        var unique: Bool
        var sparse: Bool
        var fields: [String]
        var ranges: String

        var cells: [String] {
            [
                String(node), name, type.rawValue, collection, String(unique), String(sparse),
                "[ " + fields.map { "`\($0)`" }.joined(separator: ", ") + " ]", ranges,
            ]
        }
    }

    /// The edge index lookups of a graph node: one per collection and direction.
    func edgeIndexUses(_ id: Int, _ edges: [(collection: String, direction: String)]) -> [IndexUse] {
        edges.flatMap { e in
            (e.direction == "any" ? ["outbound", "inbound"] : [e.direction]).map { d in
                IndexUse(
                    node: id, name: "edge", type: .edge, collection: e.collection, unique: false, sparse: false,
                    fields: [d == "outbound" ? "_from" : "_to"], ranges: "base " + d.uppercased())
            }
        }
    }

    /// Every index a plan reads.
    func indexUses(_ p: Plan) -> [IndexUse] {
        var out: [IndexUse] = []
        for n in p.nodes {
            switch n.kind {
            case .index(let s):
                out.append(
                    IndexUse(
                        node: n.id, name: s.index.name, type: s.index.type, collection: s.access.collection,
                        unique: s.index.unique, sparse: s.index.sparse, fields: s.index.fields, ranges: s.conditionText)
                )
            case .traversal(let t): out += edgeIndexUses(n.id, t.edges)
            case .shortestPath(let sp): out += edgeIndexUses(n.id, sp.edges)
            case .enumeratePaths(let ep): out += edgeIndexUses(n.id, ep.edges)
            case .subquery(_, let sub): out += indexUses(sub)
            default: break
            }
        }
        return out
    }

    /// The graph nodes of a plan, subqueries included.
    func graphNodes(_ p: Plan) -> [PlanNode] {
        p.nodes.flatMap { n -> [PlanNode] in
            switch n.kind {
            case .traversal, .shortestPath, .enumeratePaths: return [n]
            case .subquery(_, let sub): return graphNodes(sub)
            default: return []
            }
        }
    }

    /// The sections ArangoDB prints after the indexes: one table per kind of graph node, with
    /// depths, collections, options and the conditions moved into traversals.
    func graphSections() -> String {
        var traversals: [[String]] = []
        var shortest: [[String]] = []
        var paths: [[String]] = []
        func edgeCollections(_ es: [(collection: String, direction: String)]) -> String {
            var seen: [String] = []
            for e in es where !seen.contains(e.collection) { seen.append(e.collection) }
            return seen.joined(separator: ", ")
        }
        func weights(_ attribute: String?, _ defaultWeight: Double) -> [String] {
            attribute.map { ["weightAttribute: \($0)", "defaultWeight: \(JSONWriter.string(.number(defaultWeight)))"] }
                ?? []
        }
        for n in graphNodes(plan.root) {
            switch n.kind {
            case .traversal(let t):
                var options = [
                    "order: \(t.order.rawValue)", "uniqueVertices: \(t.uniqueVertices.rawValue)",
                    "uniqueEdges: \(t.uniqueEdges.rawValue)",
                ]
                options +=
                    t.order == .weighted && t.weightAttribute == nil
                    ? ["defaultWeight: \(JSONWriter.string(.number(t.defaultWeight)))"]
                    : weights(t.weightAttribute, t.defaultWeight)
                var conditions: [String] = []
                if !t.conditions.isEmpty {
                    conditions.append(
                        "FILTER " + t.conditions.map { printer.print($0.original) }.joined(separator: " && "))
                }
                if let prune = t.prune { conditions.append("PRUNE " + printer.print(prune)) }
                let vertices = t.vertexCollections.map { $0.sorted() } ?? t.graphVertexCollections
                traversals.append([
                    String(n.id), "\(t.minDepth)..\(t.maxDepth)", vertices.joined(separator: ", "),
                    edgeCollections(t.edges),
                    options.joined(separator: ", "), conditions.joined(separator: "; "),
                ])
            case .shortestPath(let sp):
                shortest.append([
                    String(n.id), edgeCollections(sp.edges),
                    weights(sp.weightAttribute, sp.defaultWeight).joined(separator: ", "),
                ])
            case .enumeratePaths(let ep):
                let depth = ep.kind == .kPaths ? "\(ep.minDepth)..\(ep.maxDepth)" : ""
                paths.append([
                    String(n.id), ep.kind.rawValue, depth, edgeCollections(ep.edges),
                    weights(ep.weightAttribute, ep.defaultWeight).joined(separator: ", "),
                ])
            default: break
            }
        }
        var out = ""
        func table(_ title: String, _ header: [String], _ rows: [[String]]) {
            guard !rows.isEmpty else { return }
            out += "\n\(title)\n" + Explainer.table(header, rows)
        }
        table(
            "Traversals on graphs:",
            ["Id", "Depth", "Vertex collections", "Edge collections", "Options", "Filter / Prune Conditions"],
            traversals)
        table("Shortest paths on graphs:", ["Id", "Edge collections", "Options"], shortest)
        table("Path searches on graphs:", ["Id", "Kind", "Depth", "Edge collections", "Options"], paths)
        return out
    }

    /// Walks the plan, estimating rows from collection sizes.
    func rows(_ p: Plan, depth: Int, input: Double) -> [Row] {
        var out: [Row] = []
        var est = input
        var previous: Row? = nil
        /// The node's row, chained to the one before it in this pipeline.
        func row(_ n: PlanNode, _ comment: String, subqueryCost: Double = 0) -> Row {
            let estimate = est.clampedInt
            let r = Row(
                id: n.id, type: n.kind.typeName, estimate: estimate, comment: comment, depth: depth,
                fields: nodeFields(n.kind), dependency: previous?.id,
                cost: (previous?.cost ?? 0) + Double(previous == nil ? max(estimate, 1) : estimate) + subqueryCost)
            previous = r
            return r
        }
        for n in p.nodes {
            var comment: String
            switch n.kind {
            case .singleton: comment = "ROOT"
            case .enumerateCollection(let a):
                est *= Double(max(1, catalog.collection(a.collection)?.count ?? 1))
                comment = accessComment(a, "full collection scan")
            case .enumerateView(let v):
                est *= Double(max(1, v.collections.reduce(0) { $0 + (catalog.collection($1)?.count ?? 0) }))
                comment = viewComment(v)
            case .index(let s):
                let total = Double(max(1, catalog.collection(s.access.collection)?.count ?? 1))
                let unique =
                    s.index.type == .primary
                    || (s.index.unique
                        && {
                            if case .persistent(let pr, nil, nil) = s.lookup { return pr.count == s.index.fields.count };
                            return false
                        }())
                var fullRange = false
                if case .persistent(let pr, nil, nil) = s.lookup, pr.isEmpty { fullRange = true }
                est *= unique ? 1 : fullRange ? total : max(1, (total / 10).rounded(.up))
                comment = accessComment(s.access, "\(s.index.type) index scan\(s.descending ? ", descending" : "")")
            case .enumerateList(let e, let t):
                est *= 10
                comment = "FOR \(pattern(t)) IN \(printer.print(e))   /* list iteration */"
            case .traversal(let t):
                est *= 10
                var outputs = ["\(printer.name(t.vertexSlot))  /* vertex */"]
                if let e = t.edgeSlot { outputs.append("\(printer.name(e))  /* edge */") }
                if let p = t.pathSlot { outputs.append("\(printer.name(p))  /* paths */") }
                comment =
                    "FOR \(outputs.joined(separator: ", ")) IN \(t.minDepth)..\(t.maxDepth)  /* min..maxPathDepth */ "
                    + graphText(t.edges, start: t.start)
                    + (t.prune.map { "   PRUNE " + printer.print($0) } ?? "")
                    + (t.vertexProjection.map {
                        "   /* vertex projections: " + $0.map { "`\($0)`" }.joined(separator: ", ") + " */"
                    } ?? "")
            case .shortestPath(let sp):
                est *= 10
                var outputs = ["\(printer.name(sp.vertexSlot))  /* vertex */"]
                if let e = sp.edgeSlot { outputs.append("\(printer.name(e))  /* edge */") }
                comment =
                    "FOR \(outputs.joined(separator: ", ")) IN SHORTEST_PATH "
                    + graphText(sp.edges, start: sp.start, target: sp.target)
            case .enumeratePaths(let ep):
                est *= 10
                let depth = ep.kind == .kPaths ? "\(ep.minDepth)..\(ep.maxDepth)  /* min..maxPathDepth */ " : ""
                comment =
                    "FOR \(printer.name(ep.pathSlot))  /* path */ IN \(depth)\(ep.kind.rawValue) "
                    + graphText(ep.edges, start: ep.start, target: ep.target)
            case .calculation(let t, let e): comment = "LET \(pattern(t)) = \(printer.print(e))"
            case .subquery(let s, let sub):
                comment = "LET \(printer.name(s)) = ( /* subquery */ )"
                let inner = rows(sub, depth: depth + 1, input: 1)
                out.append(row(n, comment, subqueryCost: inner.last { $0.depth == depth + 1 }?.cost ?? 0))
                out += inner
                continue
            case .filter(let e):
                est = max(1, (est / 2).rounded(.up))
                comment = "FILTER \(printer.print(e))"
            case .sort(let els, let limit):
                comment =
                    "SORT "
                    + els.map { printer.print($0.expr) + ($0.ascending ? " ASC" : " DESC") }.joined(separator: ", ")
                if let limit {
                    comment += "   /* sorting strategy: constrained heap, limit \(limit) */"
                } else {
                    comment += "   /* sorting strategy: standard */"
                }
            case .limit(let o, let c, _):
                if let c { est = min(est, Double(c)) }
                comment = "LIMIT \(o), \(c.map(String.init) ?? "null")"
            case .collect(let c):
                var parts: [String] = []
                if !c.groups.isEmpty {
                    parts.append(
                        c.groups.map { "\(printer.name($0.slot)) = \(printer.print($0.expr))" }.joined(separator: ", "))
                }
                if !c.aggregates.isEmpty { parts.append("AGGREGATE " + aggregates(c.aggregates)) }
                if let i = c.intoSlot {
                    parts.append("INTO \(printer.name(i))" + (c.intoExpr.map { " = " + printer.print($0) } ?? ""))
                }
                if let k = c.countSlot { parts.append("WITH COUNT INTO \(printer.name(k))") }
                comment = "COLLECT " + parts.joined(separator: " ") + "   /* \(c.method) */"
                est = c.groups.isEmpty ? 1 : max(1, (est / 10).rounded(.up))
            case .indexCollect(let c):
                est = max(1, (est * Double(max(1, catalog.collection(c.collection)?.count ?? 1)) / 10).rounded(.up))
                comment =
                    "COLLECT \(printer.name(c.groupSlot)) = \(c.collection).\(c.index.fields[0])"
                    + (c.countSlots.isEmpty
                        ? "" : " WITH COUNT INTO " + c.countSlots.map(printer.name).joined(separator: ", "))
                    + "   /* distinct keys of index \(c.index.name) */"
            case .window(let w):
                comment =
                    "WINDOW " + (w.rangeExpr.map { printer.print($0) + " " } ?? "")
                    + "{ preceding: \(w.preceding), following: \(w.following) } AGGREGATE " + aggregates(w.aggregates)
            case .returnValue(let e, let d): comment = "RETURN \(d ? "DISTINCT " : "")\(printer.print(e))"
            case .modification(let m):
                let verb =
                    m.kind == .insert
                    ? "INSERT"
                    : m.kind == .update
                        ? "UPDATE" : m.kind == .replace ? "REPLACE" : m.kind == .remove ? "REMOVE" : "UPSERT"
                let subject = (m.key ?? m.document).map(printer.print) ?? ""
                comment = "\(verb) \(subject) IN \(m.collection)"
            case .noResults: comment = "/* empty result set */"; est = 0
            }
            out.append(row(n, comment))
        }
        return out
    }

    /// A table of the explain output: columns padded to their widest cell and three spaces
    /// apart, the id column right-aligned as in ArangoDB, the last column left ragged.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { c in rows.reduce(header[c].count) { max($0, $1[c].count) } }
        var out = ""
        for row in [header] + rows {
            let cells = row.enumerated().map { c, text in
                guard c < row.count - 1 else { return text }
                let padding = String(repeating: " ", count: max(0, widths[c] - text.count))
                return c == 0 ? padding + text : text + padding
            }
            var line = " " + cells.joined(separator: "   ")
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// The plan as ArangoDB's explain table.
    public func text(query: String) -> String {
        var out = "Query String (\(query.utf8.count) chars):\n \(query)\n\nExecution plan:\n"
        let rs = rows(plan.root, depth: 0, input: 1)
        let idW = max(2, rs.map { String($0.id).count }.max() ?? 2)
        let typeW = max(8, rs.map { $0.type.count + 2 * $0.depth }.max() ?? 8)
        let estW = max(4, rs.map { String($0.estimate).count }.max() ?? 4)
        func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
            let p = String(repeating: " ", count: max(0, w - s.count))
            return left ? p + s : s + p
        }
        out +=
            " \(pad("Id", idW, left: true))   \(pad("NodeType", typeW))   \(pad("Est.", estW, left: true))   Comment\n"
        for r in rs {
            let indent = String(repeating: "  ", count: r.depth)
            let marker = r.type == "SingletonNode" ? "* " : "- "
            out +=
                " \(pad(String(r.id), idW, left: true))   \(pad(indent + r.type, typeW))   \(pad(String(r.estimate), estW, left: true))     \(indent)\(marker)\(r.comment)\n"
        }
        let used = indexUses(plan.root).map(\.cells)
        out += "\nIndexes used:\n"
        out +=
            used.isEmpty
            ? " none\n"
            : Explainer.table(["By", "Name", "Type", "Collection", "Unique", "Sparse", "Fields", "Ranges"], used)
        out += graphSections()
        out += "\nOptimization rules applied:\n"
        if plan.rulesApplied.isEmpty {
            out += " none\n"
        } else {
            for (i, r) in plan.rulesApplied.enumerated() { out += " \(i + 1)   \(r)\n" }
        }
        if let placement { out += "\n" + placement.joined(separator: "\n") + "\n" }
        return out
    }

    /// The catalog's account of where the query's collections may be held.
    var placement: [String]? {
        catalog.placementSummary(of: plan.collectionsRead.union(plan.collectionsWritten))
    }

    /// The plan as JSON, shaped like ArangoDB's explain output: each node with its id, type,
    /// dependencies, estimated items and cost, plus Locus's comment and subquery depth; the
    /// plan's collections (read or write), variables and totals.
    public func json() -> Value {
        let rs = rows(plan.root, depth: 0, input: 1)
        let nodes: [Value] = rs.map { r in
            var node: Object = [
                "id": .int(r.id), "type": .string(r.type),
                "dependencies": .array(r.dependency.map { [.int($0)] } ?? []),
                "estimatedNrItems": .int(r.estimate), "estimatedCost": .number(r.cost),
                "comment": .string(r.comment), "depth": .int(r.depth),
            ]
            for (name, value) in r.fields { node[name] = value }
            return .object(node)
        }
        let last = rs.last { $0.depth == 0 }
        let collections: [Value] = plan.collectionsRead.union(plan.collectionsWritten).sorted().map {
            ["name": .string($0), "type": .string(plan.collectionsWritten.contains($0) ? "write" : "read")]
        }
        let variables: [Value] = plan.registerNames.keys.sorted().map(variable)
        let indexes: [Value] = indexUses(plan.root).map { u in
            [
                "node": .int(u.node), "name": .string(u.name), "type": .string(u.type.rawValue),
                "collection": .string(u.collection),
                "unique": .bool(u.unique), "sparse": .bool(u.sparse), "fields": .array(u.fields.map { .string($0) }),
            ]
        }
        var out: Object = [
            "plan": [
                "nodes": .array(nodes), "rules": .array(plan.rulesApplied.map { .string($0) }),
                "indexes": .array(indexes), "collections": .array(collections), "variables": .array(variables),
                "estimatedCost": .number(last?.cost ?? 0), "estimatedNrItems": .int(last?.estimate ?? 0),
                "isModificationQuery": .bool(plan.isModification),
            ],
            "cacheable": .bool(!plan.isModification), "warnings": .array([]),
        ]
        if let placement { out["placement"] = .array(placement.map { .string($0) }) }
        return .object(out)
    }
}
