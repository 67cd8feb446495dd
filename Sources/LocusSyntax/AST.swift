// The abstract syntax tree of a C8QL query: expressions, operations and the query itself,
// each node carrying the position it was written at. The parser builds it; the planner binds
// it. Graph traversals and path searches are represented here although execution of them
// belongs to the graph layer.

import LocusErrors

/// An expression with its source position.
public struct Expr: Sendable {
    public indirect enum Kind: Sendable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Expr])
        case object([ObjectMember])
        case variable(String)
        case bindValue(String)
        case bindCollection(String)
        case attribute(Expr, String)
        case attributeBind(Expr, String)
        case index(Expr, Expr)
        /// `source[* FILTER f LIMIT o, c RETURN r]` followed by per-element accesses in `projection`.
        case expansion(Expansion)
        /// `source[? quantifier FILTER f]`
        case questionMark(source: Expr, variable: String, quantifier: Quantifier, filter: Expr?)
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        case arrayComparison(Quantifier, BinaryOperator, Expr, Expr)
        case ternary(Expr, Expr?, Expr)
        case range(Expr, Expr)
        case call(String, [Expr])
        case subquery(Query)
    }
    public var kind: Kind
    public var position: SourcePosition
    /// The depth of this tree (a leaf is 1; a subquery counts its own deepest expression). The
    /// parser refuses trees past a limit, because every walk over them, their release
    /// included, recurses.
    public let height: Int
    public init(_ kind: Kind, _ position: SourcePosition) {
        self.kind = kind
        self.position = position
        height = 1 + Expr.childHeight(kind)
    }

    static func childHeight(_ kind: Kind) -> Int {
        func h(_ e: Expr?) -> Int { e?.height ?? 0 }
        switch kind {
        case .null, .bool, .number, .string, .variable, .bindValue, .bindCollection: return 0
        case .array(let xs), .call(_, let xs): return xs.reduce(0) { max($0, $1.height) }
        case .object(let ms):
            return ms.reduce(0) { m, member in
                switch member {
                case .named(_, let v), .bind(_, let v): return max(m, v.height)
                case .computed(let k, let v): return max(m, k.height, v.height)
                case .shorthand: return m
                }
            }
        case .attribute(let e, _), .attributeBind(let e, _), .unary(_, let e): return e.height
        case .index(let a, let b), .binary(_, let a, let b), .arrayComparison(_, _, let a, let b), .range(let a, let b):
            return max(a.height, b.height)
        case .expansion(let x): return max(h(x.source), h(x.filter), h(x.limitOffset), h(x.limitCount), h(x.projection))
        case .questionMark(let source, _, _, let filter): return max(source.height, h(filter))
        case .ternary(let a, let b, let c): return max(a.height, h(b), c.height)
        case .subquery(let q): return q.height
        }
    }
}

/// `[*]`, `[**]` … with optional inline operations; `variable` names each element (CURRENT).
public struct Expansion: Sendable {
    public var source: Expr
    public var levels: Int
    public var variable: String
    public var filter: Expr?
    public var limitOffset: Expr?
    public var limitCount: Expr?
    public var projection: Expr?
}

/// A member of an object literal.
public enum ObjectMember: Sendable {
    case named(String, Expr)
    case computed(Expr, Expr)
    case bind(String, Expr)
    case shorthand(String, SourcePosition)
}

/// ALL, ANY, NONE, AT LEAST (n), or for `[? …]` an exact count or range.
public indirect enum Quantifier: Sendable {
    case all, any, none
    case atLeast(Expr)
    case exactly(Expr)
    case between(Expr, Expr)
}

public enum UnaryOperator: String, Sendable {
    case minus = "-", plus = "+", not = "!"

    /// The node type ArangoDB's AST JSON gives the operator.
    public var astNodeType: String {
        switch self {
        case .minus: "unary minus"
        case .plus: "unary plus"
        case .not: "unary not"
        }
    }
}

/// How ArangoDB's AST JSON shows a binary operator: as a node of its own type, or as a call
/// of the function it stands for (`LIKE`, `REGEX_TEST`), which `NOT LIKE` and `!~` negate.
public enum OperatorASTForm: Sendable, Equatable {
    case node(String)
    case call(String, negated: Bool)
}

/// Binary operators with the precedence the parser gives them.
public enum BinaryOperator: String, Sendable, CaseIterable {
    case or = "||", and = "&&"
    case eq = "==", ne = "!=", like = "LIKE", notLike = "NOT LIKE", regex = "=~", notRegex = "!~"
    case `in` = "IN", notIn = "NOT IN"
    case lt = "<", le = "<=", gt = ">", ge = ">="
    case add = "+", sub = "-", mul = "*", div = "/", mod = "%"

    /// The operator's place in ArangoDB's AST JSON (`compare ==`, `logical and`, `plus`, …).
    public var astForm: OperatorASTForm {
        switch self {
        case .or: .node("logical or")
        case .and: .node("logical and")
        case .eq, .ne, .lt, .le, .gt, .ge: .node("compare " + rawValue)
        case .in: .node("compare in")
        case .notIn: .node("compare not in")
        case .like: .call("LIKE", negated: false)
        case .notLike: .call("LIKE", negated: true)
        case .regex: .call("REGEX_TEST", negated: false)
        case .notRegex: .call("REGEX_TEST", negated: true)
        case .add: .node("plus")
        case .sub: .node("minus")
        case .mul: .node("times")
        case .div: .node("division")
        case .mod: .node("modulus")
        }
    }

    /// Higher binds tighter (ArangoDB grammar.y order). Range `..` sits between relational and additive.
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .eq, .ne, .like, .notLike, .regex, .notRegex: 4
        case .in, .notIn: 5
        case .lt, .le, .gt, .ge: 6
        case .add, .sub: 8
        case .mul, .div, .mod: 9
        }
    }
}

/// Where a collection name comes from.
public enum CollectionRef: Sendable {
    case name(String, SourcePosition)
    case bind(String, SourcePosition)

    public var position: SourcePosition {
        switch self {
        case .name(_, let p), .bind(_, let p): p
        }
    }
}

/// A destructuring target: a variable, an array pattern or an object pattern.
public indirect enum Pattern: Sendable {
    case variable(String, SourcePosition)
    case array([Pattern?])
    case object([(String, Pattern)])

    /// Every variable the pattern declares, in order.
    public var variables: [(String, SourcePosition)] {
        switch self {
        case .variable(let n, let p): [(n, p)]
        case .array(let ps): ps.compactMap { $0 }.flatMap(\.variables)
        case .object(let ms): ms.flatMap(\.1.variables)
        }
    }
}

public enum GraphDirection: String, Sendable { case outbound = "OUTBOUND", inbound = "INBOUND", any = "ANY" }

/// The graph part of a traversal or path search: a named graph or a list of edge collections.
public enum GraphSource: Sendable {
    case named(Expr)
    case edgeCollections([(GraphDirection?, CollectionRef)])
}

/// What a FOR iterates over.
public enum ForSource: Sendable {
    case expression(Expr)
    case traversal(TraversalSpec)
    case pathSearch(PathSearchSpec)
}

public struct TraversalSpec: Sendable {
    public var minDepth: Expr?
    public var maxDepth: Expr?
    public var direction: GraphDirection
    public var start: Expr
    public var graph: GraphSource
    public var prune: (variable: String?, condition: Expr)?
}

public struct PathSearchSpec: Sendable {
    public enum Kind: String, Sendable {
        case shortestPath = "SHORTEST_PATH", kShortestPaths = "K_SHORTEST_PATHS"
        case kPaths = "K_PATHS", allShortestPaths = "ALL_SHORTEST_PATHS"
    }
    public var kind: Kind
    public var minDepth: Expr?
    public var maxDepth: Expr?
    public var direction: GraphDirection
    public var start: Expr
    public var target: Expr
    public var graph: GraphSource
}

/// One aggregate or group assignment in COLLECT / WINDOW.
public struct Assignment: Sendable {
    public var name: String
    public var expr: Expr
    public var position: SourcePosition
}

public struct SortElement: Sendable {
    public var expr: Expr
    public var ascending: Bool
    /// A bind parameter giving the direction (`SORT d.x @dir`): "ASC", "DESC" or a boolean.
    public var directionParameter: (name: String, position: SourcePosition)? = nil
}

/// One operation of a query.
public struct Statement: Sendable {
    public indirect enum Kind: Sendable {
        case `for`(variables: [String], pattern: Pattern?, source: ForSource, search: Expr?, options: Expr?)
        case `let`([(Pattern, Expr)])
        case filter(Expr)
        case sort([SortElement])
        case limit(offset: Expr?, count: Expr)
        case collect(Collect)
        case window(Window)
        case `return`(distinct: Bool, Expr)
        case insert(document: Expr, collection: CollectionRef, options: Expr?)
        case update(key: Expr?, document: Expr, collection: CollectionRef, options: Expr?, replace: Bool)
        case remove(key: Expr, collection: CollectionRef, options: Expr?)
        case upsert(Upsert)
    }
    public var kind: Kind
    public var position: SourcePosition
}

public struct Collect: Sendable {
    public var groups: [Assignment]
    public var aggregates: [Assignment]
    public var into: (name: String, projection: Expr?)?
    public var keep: [(String, SourcePosition)]
    public var withCountInto: String?
    public var options: Expr?
}

public struct Window: Sendable {
    public var rangeExpr: Expr?
    public var bounds: Expr
    public var aggregates: [Assignment]
}

public struct Upsert: Sendable {
    public enum Search: Sendable {
        case example(Expr)
        case filter(Expr)
    }
    public var search: Search
    public var insert: Expr
    public var update: Expr
    public var replace: Bool
    public var collection: CollectionRef
    public var options: Expr?
}

/// A whole query, or the body of a subquery.
public struct Query: Sendable {
    public var withCollections: [CollectionRef]
    public var statements: [Statement]
    /// The height of the deepest expression in the query (`Expr.height`), as the parser saw it.
    public var height: Int
    public init(withCollections: [CollectionRef], statements: [Statement], height: Int = 1) {
        self.withCollections = withCollections
        self.statements = statements
        self.height = height
    }
}

extension Query {
    /// True when the query or any subquery in it writes (INSERT, UPDATE, REPLACE, REMOVE, UPSERT).
    public var containsWrites: Bool {
        statements.contains { s in
            switch s.kind {
            case .insert, .update, .remove, .upsert: return true
            case .for(_, _, let source, let search, let options):
                if case .expression(let e) = source, e.containsWrites { return true }
                return (search?.containsWrites ?? false) || (options?.containsWrites ?? false)
            case .let(let bindings): return bindings.contains { $0.1.containsWrites }
            case .filter(let e), .return(_, let e): return e.containsWrites
            case .sort(let els): return els.contains { $0.expr.containsWrites }
            case .limit(let o, let c): return (o?.containsWrites ?? false) || c.containsWrites
            case .collect(let c):
                return c.groups.contains { $0.expr.containsWrites } || c.aggregates.contains { $0.expr.containsWrites }
                    || (c.into?.projection?.containsWrites ?? false)
            case .window(let w):
                return w.aggregates.contains { $0.expr.containsWrites } || (w.rangeExpr?.containsWrites ?? false)
            }
        }
    }
}

extension Expr {
    /// True when a subquery inside writes.
    public var containsWrites: Bool {
        switch kind {
        case .subquery(let q): return q.containsWrites
        case .null, .bool, .number, .string, .variable, .bindValue, .bindCollection: return false
        case .array(let xs): return xs.contains { $0.containsWrites }
        case .object(let ms):
            return ms.contains { m in
                switch m {
                case .named(_, let v), .bind(_, let v): return v.containsWrites
                case .computed(let k, let v): return k.containsWrites || v.containsWrites
                case .shorthand: return false
                }
            }
        case .attribute(let e, _), .attributeBind(let e, _), .unary(_, let e): return e.containsWrites
        case .index(let a, let b), .binary(_, let a, let b), .range(let a, let b), .arrayComparison(_, _, let a, let b):
            return a.containsWrites || b.containsWrites
        case .expansion(let x):
            return x.source.containsWrites || (x.filter?.containsWrites ?? false)
                || (x.projection?.containsWrites ?? false)
        case .questionMark(let s, _, _, let f): return s.containsWrites || (f?.containsWrites ?? false)
        case .ternary(let c, let a, let b): return c.containsWrites || (a?.containsWrites ?? false) || b.containsWrites
        case .call(_, let args): return args.contains { $0.containsWrites }
        }
    }
}
