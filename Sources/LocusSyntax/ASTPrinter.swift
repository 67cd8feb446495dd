// Prints a parsed query as S-expressions, making structure and precedence visible for tests
// and for the parse fixtures.

/// Renders queries and expressions as S-expressions.
public enum ASTPrinter {
    public static func print(_ q: Query) -> String {
        var parts: [String] = []
        if !q.withCollections.isEmpty {
            parts.append("(with " + q.withCollections.map(ref).joined(separator: " ") + ")")
        }
        parts += q.statements.map(statement)
        return "(query " + parts.joined(separator: " ") + ")"
    }

    static func ref(_ r: CollectionRef) -> String {
        switch r {
        case .name(let n, _): n
        case .bind(let n, _): "@@" + n
        }
    }

    static func pattern(_ p: Pattern) -> String {
        switch p {
        case .variable(let n, _): n
        case .array(let ps): "[" + ps.map { $0.map(pattern) ?? "_" }.joined(separator: " ") + "]"
        case .object(let ms): "{" + ms.map { "\($0.0):\(pattern($0.1))" }.joined(separator: " ") + "}"
        }
    }

    static func opt(_ e: Expr?) -> String { e.map { " (options " + print($0) + ")" } ?? "" }

    static func graph(_ g: GraphSource) -> String {
        switch g {
        case .named(let e): "(graph \(print(e)))"
        case .edgeCollections(let l):
            "(edges " + l.map { ($0.0.map { $0.rawValue + " " } ?? "") + ref($0.1) }.joined(separator: " ") + ")"
        }
    }

    static func assignments(_ a: [Assignment]) -> String {
        a.map { "(= \($0.name) \(print($0.expr)))" }.joined(separator: " ")
    }

    static func statement(_ s: Statement) -> String {
        switch s.kind {
        case .for(let vars, let pat, let source, let search, let options):
            let target = pat.map(pattern) ?? vars.joined(separator: " ")
            var src: String
            switch source {
            case .expression(let e): src = print(e)
            case .traversal(let t):
                src =
                    "(traverse \(t.minDepth.map(print) ?? "_") \(t.maxDepth.map(print) ?? "_") \(t.direction.rawValue) \(print(t.start)) \(graph(t.graph))"
                if let p = t.prune { src += " (prune \(p.variable ?? "_") \(print(p.condition)))" }
                src += ")"
            case .pathSearch(let p):
                src =
                    "(\(p.kind.rawValue.lowercased()) \(p.direction.rawValue) \(print(p.start)) \(print(p.target)) \(graph(p.graph)))"
            }
            return "(for \(target) \(src)\(search.map { " (search " + print($0) + ")" } ?? "")\(opt(options)))"
        case .let(let bs):
            return "(let " + bs.map { "(= \(pattern($0.0)) \(print($0.1)))" }.joined(separator: " ") + ")"
        case .filter(let e): return "(filter \(print(e)))"
        case .sort(let els):
            return "(sort " + els.map { print($0.expr) + ($0.ascending ? " asc" : " desc") }.joined(separator: " ")
                + ")"
        case .limit(let o, let c): return "(limit \(o.map(print) ?? "0") \(print(c)))"
        case .collect(let c):
            var p: [String] = []
            if !c.groups.isEmpty { p.append(assignments(c.groups)) }
            if !c.aggregates.isEmpty { p.append("(aggregate " + assignments(c.aggregates) + ")") }
            if let i = c.into { p.append("(into \(i.name)\(i.projection.map { " " + print($0) } ?? ""))") }
            if !c.keep.isEmpty { p.append("(keep " + c.keep.map(\.0).joined(separator: " ") + ")") }
            if let n = c.withCountInto { p.append("(count \(n))") }
            return "(collect " + p.joined(separator: " ") + opt(c.options) + ")"
        case .window(let w):
            return "(window \(w.rangeExpr.map(print) ?? "_") \(print(w.bounds)) " + assignments(w.aggregates) + ")"
        case .return(let d, let e): return "(return\(d ? " distinct" : "") \(print(e)))"
        case .insert(let d, let c, let o): return "(insert \(print(d)) \(ref(c))\(opt(o)))"
        case .update(let k, let d, let c, let o, let r):
            return "(\(r ? "replace" : "update") \(k.map { print($0) + " " } ?? "")\(print(d)) \(ref(c))\(opt(o)))"
        case .remove(let k, let c, let o): return "(remove \(print(k)) \(ref(c))\(opt(o)))"
        case .upsert(let u):
            let search: String
            switch u.search {
            case .example(let e): search = print(e)
            case .filter(let e): search = "(filter \(print(e)))"
            }
            return
                "(upsert \(search) \(print(u.insert)) \(u.replace ? "replace" : "update") \(print(u.update)) \(ref(u.collection))\(opt(u.options)))"
        }
    }

    static func quantifier(_ q: Quantifier) -> String {
        switch q {
        case .all: "all"
        case .any: "any"
        case .none: "none"
        case .atLeast(let e): "(at-least \(print(e)))"
        case .exactly(let e): print(e)
        case .between(let a, let b): "(between \(print(a)) \(print(b)))"
        }
    }

    public static func print(_ e: Expr) -> String {
        switch e.kind {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): return "\"" + s.replacingQuotes() + "\""
        case .array(let xs): return "[" + xs.map(print).joined(separator: " ") + "]"
        case .object(let ms):
            return "{"
                + ms.map { m -> String in
                    switch m {
                    case .named(let n, let v): return "\(n):\(print(v))"
                    case .computed(let k, let v): return "[\(print(k))]:\(print(v))"
                    case .bind(let n, let v): return "@\(n):\(print(v))"
                    case .shorthand(let n, _): return n
                    }
                }.joined(separator: " ") + "}"
        case .variable(let n): return n
        case .bindValue(let n): return "@" + n
        case .bindCollection(let n): return "@@" + n
        case .attribute(let b, let n): return "(. \(print(b)) \(n))"
        case .attributeBind(let b, let n): return "(. \(print(b)) @\(n))"
        case .index(let b, let i): return "([] \(print(b)) \(print(i)))"
        case .expansion(let x):
            var s = "(\(String(repeating: "*", count: x.levels)) \(print(x.source))"
            if let f = x.filter { s += " (filter \(print(f)))" }
            if let c = x.limitCount { s += " (limit \(x.limitOffset.map(print) ?? "0") \(print(c)))" }
            if let p = x.projection { s += " (return \(print(p)))" }
            return s + ")"
        case .questionMark(let src, _, let q, let f):
            return "(? \(print(src)) \(quantifier(q))\(f.map { " (filter " + print($0) + ")" } ?? ""))"
        case .unary(let op, let x): return "(\(op == .not ? "not" : op.rawValue) \(print(x)))"
        case .binary(let op, let a, let b): return "(\(op.rawValue) \(print(a)) \(print(b)))"
        case .arrayComparison(let q, let op, let a, let b):
            return "(\(quantifier(q)) \(op.rawValue) \(print(a)) \(print(b)))"
        case .ternary(let c, let a, let b): return "(? \(print(c)) \(a.map(print) ?? "_") \(print(b)))"
        case .range(let a, let b): return "(.. \(print(a)) \(print(b)))"
        case .call(let n, let args): return "(\(n) " + args.map(print).joined(separator: " ") + ")"
        case .subquery(let q): return print(q)
        }
    }
}

extension String {
    func replacingQuotes() -> String {
        var out = ""
        for c in self {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }
}
