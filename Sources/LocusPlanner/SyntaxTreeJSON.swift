// The parsed query as ArangoDB's `POST /_api/query` shows it: the abstract syntax tree in
// ArangoDB's JSON shape (before any optimization), the collections the query names and the
// bind parameters it declares. Variables get ids in the order they are declared; a name that
// no enclosing scope declares is a collection, as ArangoDB's grammar reads it.

import LocusSyntax
import LocusValues

/// Renders a parsed `Query` as ArangoDB's AST JSON.
public struct SyntaxTreeJSON {
    /// The root node, as the one element of `ast`.
    public private(set) var ast: Value = .null
    /// The collections the query names, sorted by name as ArangoDB lists them.
    public var collections: [String] { names.sorted() }
    /// The bind parameters, in the order they first appear (`@@c` as `"@c"`).
    public private(set) var bindParameters: [String] = []

    private var names: Set<String> = []
    private var scopes: [[String: Int]] = [[:]]
    private var nextVariable = 0

    public init(_ query: Query) {
        ast = .array([ASTJSON.node("root", [:], statements(query))])
    }

    // MARK: Variables and names

    private mutating func declare(_ name: String) -> Value {
        let id = nextVariable
        nextVariable += 1
        scopes[scopes.count - 1][name] = id
        return ASTJSON.variable(name, id)
    }

    private func declared(_ name: String) -> Int? {
        for scope in scopes.reversed() { if let id = scope[name] { return id } }
        return nil
    }

    private mutating func collection(_ ref: CollectionRef) -> Value {
        switch ref {
        case .name(let n, _):
            names.insert(n)
            return ASTJSON.collection(n)
        case .bind(let n, _):
            parameter("@" + n)
            return ASTJSON.node("datasource parameter", ["name": .string("@" + n)])
        }
    }

    private mutating func parameter(_ name: String) {
        if !bindParameters.contains(name) { bindParameters.append(name) }
    }

    private mutating func optional(_ e: Expr?) -> Value { e.map { expression($0) } ?? ASTJSON.nop }

    private mutating func pattern(_ p: Pattern) -> Value {
        switch p {
        case .variable(let n, _): return declare(n)
        case .array(let ps): return ASTJSON.node("array", [:], ps.map { $0.map { pattern($0) } ?? ASTJSON.nop })
        case .object(let ms):
            return ASTJSON.node(
                "object", [:], ms.map { ASTJSON.node("object element", ["name": .string($0.0)], [pattern($0.1)]) })
        }
    }

    // MARK: Operations

    private mutating func statements(_ q: Query) -> [Value] {
        var out: [Value] = []
        if !q.withCollections.isEmpty {
            out.append(ASTJSON.node("with collections", [:], q.withCollections.map { collection($0) }))
        }
        for s in q.statements { out.append(statement(s)) }
        return out
    }

    private mutating func statement(_ s: Statement) -> Value {
        switch s.kind {
        case .for(let variables, let destructuring, let source, let search, let options):
            return forStatement(variables, destructuring, source, search, options)
        case .let(let bindings):
            let parts = bindings.map { binding -> Value in
                let value = expression(binding.1)
                return ASTJSON.node("let", [:], [pattern(binding.0), value])
            }
            return parts.count == 1 ? parts[0] : ASTJSON.node("array", [:], parts)
        case .filter(let e):
            return ASTJSON.node("filter", [:], [expression(e)])
        case .sort(let elements):
            let items = elements.map { el -> Value in
                let direction: Value =
                    el.directionParameter.map { p in
                        parameter(p.name)
                        return ASTJSON.node("parameter", ["name": .string(p.name)])
                    } ?? ASTJSON.constant(.bool(el.ascending))
                return ASTJSON.node("sort element", [:], [expression(el.expr), direction])
            }
            return ASTJSON.node("sort", [:], [ASTJSON.node("array", [:], items)])
        case .limit(let offset, let count):
            return ASTJSON.node(
                "limit", [:], [offset.map { expression($0) } ?? ASTJSON.constant(0), expression(count)])
        case .collect(let c):
            return collect(c)
        case .window(let w):
            let bounds = expression(w.bounds)
            let range = optional(w.rangeExpr)
            return ASTJSON.node("window", [:], [bounds, range, assignments(w.aggregates, "aggregations array")])
        case .return(let distinct, let e):
            let value = expression(e)
            return ASTJSON.node("return", [:], [distinct ? ASTJSON.node("distinct", [:], [value]) : value])
        case .insert(let document, let target, let options):
            let parts = [optional(options), collection(target), expression(document)]
            return ASTJSON.node("insert", [:], parts + [declare("$NEW"), declare("$OLD")])
        case .update(let key, let document, let target, let options, let replace):
            let parts = [optional(options), collection(target), expression(document), optional(key)]
            return ASTJSON.node(replace ? "replace" : "update", [:], parts + [declare("$OLD"), declare("$NEW")])
        case .remove(let key, let target, let options):
            let parts = [optional(options), collection(target), expression(key)]
            return ASTJSON.node("remove", [:], parts + [declare("$OLD")])
        case .upsert(let u):
            let search: Value
            switch u.search {
            case .example(let e): search = expression(e)
            case .filter(let e): search = ASTJSON.node("filter", [:], [expression(e)])
            }
            let parts = [optional(u.options), collection(u.collection), search]
            let old = declare("$OLD")
            let actions = [expression(u.insert), expression(u.update)]
            return ASTJSON.node("upsert", [:], parts + [old] + actions + [declare("$NEW")])
        }
    }

    private mutating func forStatement(
        _ variables: [String], _ destructuring: Pattern?, _ source: ForSource, _ search: Expr?, _ options: Expr?
    ) -> Value {
        switch source {
        case .expression(let e):
            let iterated = expression(e)
            let opts = optional(options)
            let target = destructuring.map { pattern($0) } ?? declare(variables.first ?? "")
            guard let search else { return ASTJSON.node("for", [:], [target, iterated, opts]) }
            return ASTJSON.node("view enumeration", [:], [target, iterated, expression(search), opts])
        case .traversal(let t):
            let start = expression(t.start)
            let graph = graphSource(t.graph)
            let direction = directionNode(t.direction, t.minDepth, t.maxDepth)
            let opts = optional(options)
            let outputs = variables.map { declare($0) }
            var prune = ASTJSON.nop
            if let p = t.prune {
                let pruneVariable = p.variable.map { declare($0) }
                prune = expression(p.condition)
                if let pruneVariable { prune = ASTJSON.node("let", [:], [pruneVariable, prune]) }
            }
            return ASTJSON.node("traversal", [:], [direction, start, graph, prune, opts] + outputs)
        case .pathSearch(let p):
            let start = expression(p.start)
            let target = expression(p.target)
            let graph = graphSource(p.graph)
            let direction = directionNode(p.direction, p.minDepth, p.maxDepth)
            let opts = optional(options)
            let outputs = variables.map { declare($0) }
            let type =
                switch p.kind {
                case .shortestPath: "shortest path"
                case .kShortestPaths: "k-shortest paths"
                case .kPaths: "k-paths"
                case .allShortestPaths: "all shortest paths"
                }
            return ASTJSON.node(type, [:], [direction, start, target, graph, opts] + outputs)
        }
    }

    /// ArangoDB's direction node: the direction's number (0 any, 1 inbound, 2 outbound) and
    /// the depth, a value or a range.
    private mutating func directionNode(_ d: GraphDirection, _ min: Expr?, _ max: Expr?) -> Value {
        let number: Int =
            switch d {
            case .any: 0
            case .inbound: 1
            case .outbound: 2
            }
        var parts = [ASTJSON.constant(.int(number))]
        switch (min, max) {
        case (nil, nil): break
        case (let lo?, nil): parts.append(expression(lo))
        case (let lo, let hi?): parts.append(ASTJSON.node("range", [:], [optional(lo), expression(hi)]))
        }
        return ASTJSON.node("direction", [:], parts)
    }

    private mutating func graphSource(_ g: GraphSource) -> Value {
        switch g {
        case .named(let e): return expression(e)
        case .edgeCollections(let list):
            let items = list.map { d, ref -> Value in
                let c = collection(ref)
                return d.map { ASTJSON.node("direction", [:], [directionNode($0, nil, nil), c]) } ?? c
            }
            return ASTJSON.node("collection list", [:], items)
        }
    }

    private mutating func assignments(_ list: [Assignment], _ type: String) -> Value {
        let values = list.map { expression($0.expr) }
        let nodes = zip(list, values).map { a, v in ASTJSON.node("assign", [:], [declare(a.name), v]) }
        return ASTJSON.node(type, [:], nodes)
    }

    private mutating func collect(_ c: Collect) -> Value {
        let opts = optional(c.options)
        let groups = assignments(c.groups, "array")
        let aggregates = assignments(c.aggregates, "aggregations array")
        var parts = [opts, groups, aggregates]
        if let into = c.into {
            let projection = optional(into.projection)
            parts += [declare(into.name), projection]
        }
        if !c.keep.isEmpty {
            parts.append(
                ASTJSON.node("array", [:], c.keep.map { name, _ in reference(name) }))
        }
        if let count = c.withCountInto {
            parts.append(ASTJSON.node("collect with count", [:], [declare(count)]))
        }
        return ASTJSON.node("collect", [:], parts)
    }

    private func reference(_ name: String) -> Value {
        declared(name).map { ASTJSON.reference(name, $0) } ?? ASTJSON.collection(name)
    }

    // MARK: Expressions

    private mutating func expression(_ e: Expr) -> Value {
        switch e.kind {
        case .null: return ASTJSON.constant(.null)
        case .bool(let b): return ASTJSON.constant(.bool(b))
        case .number(let n): return ASTJSON.constant(.number(n))
        case .string(let s): return ASTJSON.constant(.string(s))
        case .array(let xs): return ASTJSON.node("array", [:], xs.map { expression($0) })
        case .object(let members): return ASTJSON.node("object", [:], members.map { member($0) })
        case .variable(let name):
            if declared(name) == nil { names.insert(name) }
            return reference(name)
        case .bindValue(let name):
            parameter(name)
            return ASTJSON.node("parameter", ["name": .string(name)])
        case .bindCollection(let name):
            parameter("@" + name)
            return ASTJSON.node("datasource parameter", ["name": .string("@" + name)])
        case .attribute(let base, let name):
            return ASTJSON.node("attribute access", ["name": .string(name)], [expression(base)])
        case .attributeBind(let base, let name):
            parameter(name)
            let p = ASTJSON.node("parameter", ["name": .string(name)])
            return ASTJSON.node("bound attribute access", [:], [expression(base), p])
        case .index(let base, let i):
            return ASTJSON.node("indexed access", [:], [expression(base), expression(i)])
        case .expansion(let x):
            return expansion(x)
        case .questionMark(let source, let variable, let quantifier, let filter):
            let iterated = expression(source)
            scopes.append([:])
            defer { scopes.removeLast() }
            let element = declare(variable)
            let iterator = ASTJSON.node("iterator", [:], [element, iterated])
            let condition = optional(filter)
            let parts = [iterator, reference(variable), condition, self.quantifier(quantifier)]
            return ASTJSON.node("expansion", ["levels": 1, "booleanize": true], parts)
        case .unary(let op, let operand):
            return ASTJSON.node(op.astNodeType, [:], [expression(operand)])
        case .binary(let op, let a, let b):
            let left = expression(a)
            return ASTJSON.binary(op, left, expression(b))
        case .arrayComparison(let q, let op, let a, let b):
            let left = expression(a)
            let right = expression(b)
            return ASTJSON.arrayComparison(op, left, right, quantifier: quantifier(q))
        case .ternary(let condition, let then, let otherwise):
            var parts = [expression(condition)]
            if let then { parts.append(expression(then)) }
            parts.append(expression(otherwise))
            return ASTJSON.node("ternary", [:], parts)
        case .range(let a, let b):
            let low = expression(a)
            return ASTJSON.node("range", [:], [low, expression(b)])
        case .call(let name, let args):
            return ASTJSON.call(name, args.map { expression($0) })
        case .subquery(let q):
            scopes.append([:])
            defer { scopes.removeLast() }
            return ASTJSON.node("subquery", [:], statements(q))
        }
    }

    private mutating func member(_ m: ObjectMember) -> Value {
        switch m {
        case .named(let name, let v):
            return ASTJSON.node("object element", ["name": .string(name)], [expression(v)])
        case .computed(let k, let v):
            let key = expression(k)
            return ASTJSON.node("calculated object element", [:], [key, expression(v)])
        case .bind(let name, let v):
            parameter(name)
            let key = ASTJSON.node("parameter", ["name": .string(name)])
            return ASTJSON.node("calculated object element", [:], [key, expression(v)])
        case .shorthand(let name, _):
            return ASTJSON.node("object element", ["name": .string(name)], [reference(name)])
        }
    }

    private mutating func expansion(_ x: Expansion) -> Value {
        let iterated = expression(x.source)
        scopes.append([:])
        defer { scopes.removeLast() }
        let iterator = ASTJSON.node("iterator", [:], [declare(x.variable), iterated])
        let filter = optional(x.filter)
        var limit = ASTJSON.nop
        if let count = x.limitCount {
            let offset = x.limitOffset.map { expression($0) } ?? ASTJSON.constant(0)
            limit = ASTJSON.node("array limit", [:], [offset, expression(count)])
        }
        let parts = [iterator, reference(x.variable), filter, limit, optional(x.projection)]
        return ASTJSON.node("expansion", ["levels": .int(x.levels), "booleanize": false], parts)
    }

    private mutating func quantifier(_ q: Quantifier) -> Value {
        switch q {
        case .all: return ASTJSON.quantifier("all")
        case .any: return ASTJSON.quantifier("any")
        case .none: return ASTJSON.quantifier("none")
        case .atLeast(let n): return ASTJSON.quantifier("at least", [expression(n)])
        case .exactly(let n): return ASTJSON.quantifier("exactly", [expression(n)])
        case .between(let a, let b):
            let low = expression(a)
            return ASTJSON.quantifier("between", [low, expression(b)])
        }
    }
}
