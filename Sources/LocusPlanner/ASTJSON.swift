// The node shapes of ArangoDB's AST JSON (`{type, name?, id?, value?, subNodes?}`), which both
// `POST /_api/query` (the parsed query) and EXPLAIN (a node's expression) show. The renderers
// of the parse tree and of bound expressions build their nodes here, so one shape serves both.

import LocusSyntax
import LocusValues

/// Builders of ArangoDB's AST JSON nodes.
enum ASTJSON {
    static func node(_ type: String, _ fields: Object = [:], _ subNodes: [Value] = []) -> Value {
        var object: Object = ["type": .string(type)]
        for (k, v) in fields { object[k] = v }
        if !subNodes.isEmpty { object["subNodes"] = .array(subNodes) }
        return .object(object)
    }

    /// The stand-in for an absent part (no OPTIONS, no LIMIT offset expression, …).
    static let nop = node("no-op")

    static func variable(_ name: String, _ id: Int) -> Value {
        node("variable", ["name": .string(name), "id": .int(id)])
    }

    static func reference(_ name: String, _ id: Int) -> Value {
        node("reference", ["name": .string(name), "id": .int(id), "subqueryReference": false])
    }

    static func collection(_ name: String) -> Value { node("collection", ["name": .string(name)]) }

    /// A constant: a scalar as a value node, arrays and objects as nodes of their members.
    static func constant(_ v: Value) -> Value {
        switch v {
        case .array(let xs): return node("array", [:], xs.map(constant))
        case .object(let o):
            return node("object", [:], o.map { k, v in node("object element", ["name": .string(k)], [constant(v)]) })
        default: return node("value", ["value": v])
        }
    }

    static func call(_ name: String, _ arguments: [Value]) -> Value {
        let user = name.containsBytes("::")
        return node(
            user ? "user function call" : "function call", ["name": .string(user ? name : name.uppercased())],
            [node("array", [:], arguments)])
    }

    /// `a op b`; `LIKE` and `=~` become calls as ArangoDB parses them, negated for `NOT LIKE`
    /// and `!~`, and comparisons carry the flags ArangoDB's nodes do.
    static func binary(_ op: BinaryOperator, _ a: Value, _ b: Value) -> Value {
        switch op.astForm {
        case .call(let name, let negated):
            let c = call(name, [a, b, false])
            return negated ? node(UnaryOperator.not.astNodeType, [:], [c]) : c
        case .node(let type):
            return node(type, comparisonFlags(op), [a, b])
        }
    }

    /// `a ALL|ANY|NONE op b`.
    static func arrayComparison(_ op: BinaryOperator, _ a: Value, _ b: Value, quantifier: Value) -> Value {
        guard case .node(let type) = op.astForm else { return binary(op, a, b) }
        return node("array " + type, comparisonFlags(op), [a, b, quantifier])
    }

    static func quantifier(_ name: String, _ operands: [Value] = []) -> Value {
        node("quantifier", ["quantifier": .string(name)], operands)
    }

    private static func comparisonFlags(_ op: BinaryOperator) -> Object {
        switch op {
        case .eq, .lt, .le: ["excludesNull": false]
        case .in, .notIn: ["sorted": false]
        default: [:]
        }
    }
}
