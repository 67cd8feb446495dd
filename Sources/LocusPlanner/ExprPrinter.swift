// Prints bound expressions back as C8QL text, with registers shown by their variable names,
// for EXPLAIN.

import LocusSyntax
import LocusValues

/// Renders `BoundExpr`s as query text.
public struct ExprPrinter {
    public let names: [Int: String]

    public init(names: [Int: String]) { self.names = names }

    func name(_ slot: Int) -> String { names[slot] ?? "#\(slot)" }

    static func attributeName(_ n: String) -> String {
        let simple =
            n.first.map { $0.isLetter || $0 == "_" } ?? false
            && n.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && Keyword.reserved(n) == nil
        return simple ? n : "`\(n)`"
    }

    public func print(_ e: BoundExpr) -> String {
        switch e {
        case .constant(let v):
            let s = JSONWriter.string(v)
            return s.count > 120 ? String(s.prefix(117)) + "..." : s
        case .variable(let s): return name(s)
        case .attribute(let b, let n): return "\(print(b)).\(ExprPrinter.attributeName(n))"
        case .index(let b, let i): return "\(print(b))[\(print(i))]"
        case .array(let xs): return "[ " + xs.map(print).joined(separator: ", ") + " ]"
        case .object(let ms):
            return "{ "
                + ms.map { k, v in
                    switch k {
                    case .fixed(let n): return "\(JSONWriter.string(.string(n))) : \(print(v))"
                    case .computed(let c): return "[ \(print(c)) ] : \(print(v))"
                    }
                }.joined(separator: ", ") + " }"
        case .record(let keys, let values):
            return "{ "
                + zip(keys, values).map { "\(JSONWriter.string(.string($0))) : \(print($1))" }.joined(separator: ", ")
                + " }"
        case .unary(let op, let x): return op == .not ? "!\(paren(x))" : "\(op.rawValue)\(paren(x))"
        case .binary(let op, let a, let b): return "(\(print(a)) \(op.rawValue) \(print(b)))"
        case .ternary(let c, let a, let b): return "(\(print(c)) ? \(a.map(print) ?? "") : \(print(b)))"
        case .range(let a, let b): return "\(print(a)) .. \(print(b))"
        case .call(let f, let args): return "\(f.name)(" + args.map(print).joined(separator: ", ") + ")"
        case .arrayComparison(let q, let op, let a, let b):
            return "(\(print(a)) \(quant(q)) \(op.rawValue) \(print(b)))"
        case .expansion(let x):
            var s = "\(print(x.source))[\(String(repeating: "*", count: x.levels))"
            if let f = x.filter { s += " FILTER \(print(f))" }
            if let c = x.count { s += " LIMIT \(x.offset.map { print($0) + ", " } ?? "")\(print(c))" }
            if let p = x.projection { s += " RETURN \(print(p))" }
            return s + "]"
        case .questionMark(let src, _, let q, let f):
            return "\(print(src))[? \(quant(q))\(f.map { " FILTER " + print($0) } ?? "")]"
        case .subquery: return "( /* subquery */ )"
        }
    }

    func paren(_ e: BoundExpr) -> String {
        switch e {
        case .constant, .variable, .attribute, .call: return print(e)
        default: return "(\(print(e)))"
        }
    }

    func quant(_ q: BoundQuantifier) -> String {
        switch q {
        case .all: "ALL"
        case .any: "ANY"
        case .none: "NONE"
        case .atLeast(let e): "AT LEAST (\(print(e)))"
        case .exactly(let e): print(e)
        case .between(let a, let b): "\(print(a))..\(print(b))"
        }
    }
}
