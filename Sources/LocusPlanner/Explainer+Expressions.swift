// The expressions of EXPLAIN's JSON in ArangoDB's AST shape: a calculation's `expression`, a
// scan's early `filter`, and an index node's `condition` (ArangoDB's normal form, an n-ary OR
// of n-ary ANDs of comparisons on the index's fields). Registers show as references with the
// variable's name and id.

import LocusSyntax
import LocusValues

extension Explainer {
    /// A bound expression as ArangoDB's AST JSON.
    func expressionJSON(_ e: BoundExpr) -> Value {
        switch e {
        case .constant(let v): return ASTJSON.constant(v)
        case .variable(let slot): return ASTJSON.reference(printer.name(slot), slot)
        case .attribute(let base, let name):
            return ASTJSON.node("attribute access", ["name": .string(name)], [expressionJSON(base)])
        case .index(let base, let i):
            return ASTJSON.node("indexed access", [:], [expressionJSON(base), expressionJSON(i)])
        case .array(let xs): return ASTJSON.node("array", [:], xs.map(expressionJSON))
        case .object(let members):
            return ASTJSON.node(
                "object", [:],
                members.map { key, value in
                    switch key {
                    case .fixed(let name):
                        return ASTJSON.node("object element", ["name": .string(name)], [expressionJSON(value)])
                    case .computed(let k):
                        return ASTJSON.node(
                            "calculated object element", [:], [expressionJSON(k), expressionJSON(value)])
                    }
                })
        case .record(let names, let values):
            return ASTJSON.node(
                "object", [:],
                zip(names, values).map { ASTJSON.node("object element", ["name": .string($0)], [expressionJSON($1)]) })
        case .unary(let op, let operand): return ASTJSON.node(op.astNodeType, [:], [expressionJSON(operand)])
        case .binary(let op, let a, let b): return ASTJSON.binary(op, expressionJSON(a), expressionJSON(b))
        case .ternary(let c, let a, let b):
            return ASTJSON.node(
                "ternary", [:], [expressionJSON(c)] + (a.map { [expressionJSON($0)] } ?? []) + [expressionJSON(b)])
        case .range(let a, let b): return ASTJSON.node("range", [:], [expressionJSON(a), expressionJSON(b)])
        case .call(let f, let args): return ASTJSON.call(f.name, args.map(expressionJSON))
        case .arrayComparison(let q, let op, let a, let b):
            return ASTJSON.arrayComparison(op, expressionJSON(a), expressionJSON(b), quantifier: quantifierJSON(q))
        case .expansion(let x):
            let iterator = ASTJSON.node("iterator", [:], [variable(x.slot), expressionJSON(x.source)])
            var limit = ASTJSON.nop
            if let count = x.count {
                limit = ASTJSON.node(
                    "array limit", [:], [x.offset.map(expressionJSON) ?? ASTJSON.constant(0), expressionJSON(count)])
            }
            let parts = [
                iterator, ASTJSON.reference(printer.name(x.slot), x.slot), x.filter.map(expressionJSON) ?? ASTJSON.nop,
                limit, x.projection.map(expressionJSON) ?? ASTJSON.nop,
            ]
            return ASTJSON.node("expansion", ["levels": .int(x.levels), "booleanize": false], parts)
        case .questionMark(let source, let slot, let q, let filter):
            let iterator = ASTJSON.node("iterator", [:], [variable(slot), expressionJSON(source)])
            let parts = [
                iterator, ASTJSON.reference(printer.name(slot), slot), filter.map(expressionJSON) ?? ASTJSON.nop,
                quantifierJSON(q),
            ]
            return ASTJSON.node("expansion", ["levels": 1, "booleanize": true], parts)
        case .subquery: return ASTJSON.node("subquery")
        }
    }

    private func quantifierJSON(_ q: BoundQuantifier) -> Value {
        switch q {
        case .all: ASTJSON.quantifier("all")
        case .any: ASTJSON.quantifier("any")
        case .none: ASTJSON.quantifier("none")
        case .atLeast(let n): ASTJSON.quantifier("at least", [expressionJSON(n)])
        case .exactly(let n): ASTJSON.quantifier("exactly", [expressionJSON(n)])
        case .between(let a, let b): ASTJSON.quantifier("between", [expressionJSON(a), expressionJSON(b)])
        }
    }

    /// An index node's `condition`: what the lookup asks of the index's fields, as ArangoDB's
    /// n-ary OR of one n-ary AND. A geo lookup, whose condition is a distance, shows `{}`.
    func indexConditionJSON(_ s: IndexScan) -> Value {
        let document = ASTJSON.reference(printer.name(s.access.outSlot), s.access.outSlot)
        func field(_ name: String) -> Value {
            ASTJSON.node("attribute access", ["name": .string(name)], [document])
        }
        func equal(_ name: String, _ value: BoundExpr, isList: Bool) -> Value {
            ASTJSON.binary(isList ? .in : .eq, field(name), expressionJSON(value))
        }
        var terms: [Value] = []
        switch s.lookup {
        case .primary(let key, let isList): terms = [equal("_key", key, isList: isList)]
        case .edge(let outbound, let vertex, let isList):
            terms = [equal(outbound ? "_from" : "_to", vertex, isList: isList)]
        case .persistent(let prefix, let lower, let upper):
            terms = zip(s.index.fields, prefix).map { equal($0, $1.0, isList: $1.isList) }
            if prefix.count < s.index.fields.count {
                let next = s.index.fields[prefix.count]
                if let lower {
                    terms.append(ASTJSON.binary(lower.inclusive ? .ge : .gt, field(next), expressionJSON(lower.0)))
                }
                if let upper {
                    terms.append(ASTJSON.binary(upper.inclusive ? .le : .lt, field(next), expressionJSON(upper.0)))
                }
            }
        case .geo: return .object([:])
        }
        return ASTJSON.node("n-ary or", [:], [ASTJSON.node("n-ary and", [:], terms)])
    }
}
