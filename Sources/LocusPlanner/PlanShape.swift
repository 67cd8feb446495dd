// The shape of a plan: its nodes, the collections and indexes they read, and the numbers that
// bound them, with no expression in it. Two plans of one query that differ only in how a
// bind value reaches an expression (a constant in one, a prepared parameter's register in
// the other) have one shape; a plan whose choices depended on a value (a sparse index usable
// only for a non-null key, a FILTER folded away) has another.

extension QueryPlan {
    /// The plan's shape, one line per node, subqueries nested in brackets.
    public var shape: String {
        var out = ""
        PlanShape.append(root, into: &out)
        return out
    }

    /// Whether a view loop is anywhere in the plan: its SEARCH condition is matched against
    /// the view by its form, attribute names included, so its plan stays per set of values.
    public var searchesView: Bool { PlanShape.searchesView(root) }
}

enum PlanShape {
    static func append(_ plan: Plan, into out: inout String) {
        for node in plan.nodes {
            out += node.kind.typeName
            switch node.kind {
            case .enumerateCollection(let access):
                out += " \(access.collection) \(access.filter != nil) \(access.projections ?? [])"
            case .index(let scan):
                out += " \(scan.access.collection) \(scan.index.name) \(lookupTag(scan.lookup)) \(scan.descending)"
                out += " \(scan.access.filter != nil) \(scan.access.projections ?? [])"
            case .sort(let elements, let limit):
                out += " \(elements.count) \(limit.map(String.init) ?? "-")"
            case .limit(let offset, let count, let fullCount):
                out += " \(offset) \(count.map(String.init) ?? "-") \(fullCount)"
            case .collect(let spec):
                out += " \(spec.method) \(spec.groups.count) \(spec.aggregates.count)"
            case .modification(let m):
                out += " \(m.collection)"
            case .subquery(_, let inner):
                out += " ("
                append(inner, into: &out)
                out += ")"
            default:
                break
            }
            out += "\n"
        }
    }

    static func searchesView(_ plan: Plan) -> Bool {
        plan.nodes.contains {
            switch $0.kind {
            case .enumerateView: true
            case .subquery(_, let inner): searchesView(inner)
            default: false
            }
        }
    }

    static func lookupTag(_ lookup: IndexLookup) -> String {
        switch lookup {
        case .primary(_, let isList): "primary \(isList)"
        case .edge(let outbound, _, let isList): "edge \(outbound) \(isList)"
        case .persistent(let prefix, let lower, let upper):
            "persistent \(prefix.map(\.isList)) \(lower?.inclusive.description ?? "-") \(upper?.inclusive.description ?? "-")"
        case .geo(_, _, let radius, let limit): "geo \(radius != nil) \(limit.map(String.init) ?? "-")"
        }
    }
}
