// The node-specific fields of EXPLAIN's JSON: those of ArangoDB's node JSON for which Locus's
// plan holds the same facts (the collection, the variables a node reads and sets, the index and
// its condition, the limits, expressions in ArangoDB's AST shape). Where ArangoDB's node reads
// an input variable and Locus's node holds the expression itself (a filter's condition, a
// RETURN of a computed value), the node shows that expression as `expression`.

import LocusValues

extension Explainer {
    /// The fields ArangoDB gives a node of this kind, where Locus knows them.
    func nodeFields(_ kind: NodeKind) -> Object {
        switch kind {
        case .enumerateCollection(let a):
            return accessFields(a)
        case .enumerateView(let v):
            var fields: Object = [
                "view": .string(v.view), "outVariable": variable(v.outSlot),
                "condition": v.search.map(expressionJSON) ?? .object([:]),
                "scorers": .array(
                    v.scorers.map { s in
                        let name: String
                        let arguments: [Value]
                        switch s.kind {
                        case .bm25(let k, let b): (name, arguments) = ("BM25", [.number(k), .number(b)])
                        case .tfidf(let normalize): (name, arguments) = ("TFIDF", [.bool(normalize)])
                        }
                        return [
                            "id": .int(s.slot), "name": .string(printer.name(s.slot)),
                            "node": ASTJSON.call(
                                name,
                                [ASTJSON.reference(printer.name(v.outSlot), v.outSlot)]
                                    + arguments.map(ASTJSON.constant)),
                        ]
                    }),
            ]
            fields["collections"] = .array(v.collections.map { .string($0) })
            return fields
        case .index(let s):
            var fields = accessFields(s.access)
            fields["indexes"] = [
                [
                    "name": .string(s.index.name), "type": .string(s.index.type.rawValue),
                    "fields": .array(s.index.fields.map { .string($0) }), "unique": .bool(s.index.unique),
                    "sparse": .bool(s.index.sparse),
                ]
            ]
            fields["reverse"] = .bool(s.descending)
            fields["condition"] = indexConditionJSON(s)
            return fields
        case .enumerateList(let source, let target):
            return input(source).merging(variableField("outVariable", target))
        case .calculation(let target, let expr):
            var fields = variableField("outVariable", target)
            fields["expression"] = expressionJSON(expr)
            fields["expressionType"] = .string(expressionType(expr))
            return fields
        case .filter(let condition):
            return input(condition)
        case .returnValue(let value, _):
            return input(value).merging(["count": true])
        case .subquery(let slot, _):
            return ["outVariable": variable(slot)]
        case .sort(let elements, let limit):
            return [
                "elements": .array(
                    elements.map { .object(input($0.expr).merging(["ascending": .bool($0.ascending)])) }),
                "limit": .int(limit ?? 0), "strategy": .string(limit == nil ? "standard" : "constrained-heap"),
            ]
        case .limit(let offset, let count, let fullCount):
            return ["offset": .int(offset), "limit": count.map { .int($0) } ?? .null, "fullCount": .bool(fullCount)]
        case .modification(let m):
            return ["collection": .string(m.collection)]
        default:
            return [:]
        }
    }

    /// `{id, name}`, ArangoDB's shape of a variable.
    func variable(_ slot: Int) -> Value {
        ["id": .int(slot), "name": .string(printer.name(slot))]
    }

    private func variableField(_ name: String, _ pattern: BoundPattern) -> Object {
        if case .slot(let slot) = pattern { return [name: variable(slot)] }
        return [:]
    }

    private func accessFields(_ a: CollectionAccess) -> Object {
        var fields: Object = ["collection": .string(a.collection), "outVariable": variable(a.outSlot)]
        if let p = a.projections { fields["projections"] = .array(p.map { .string($0) }) }
        if let f = a.filter { fields["filter"] = expressionJSON(f) }
        return fields
    }

    /// What a node reads: `inVariable` when it is a variable, as in ArangoDB's plans, otherwise
    /// the `expression` Locus's node holds in its place.
    private func input(_ e: BoundExpr) -> Object {
        if case .variable(let slot) = e { return ["inVariable": variable(slot)] }
        return ["expression": expressionJSON(e)]
    }

    /// ArangoDB's `expressionType`: `json` for a constant, `attribute` for a variable's
    /// attribute path, `simple` for the rest.
    private func expressionType(_ e: BoundExpr) -> String {
        if e.constantValue != nil { return "json" }
        if let (_, path) = e.attributePath, !path.isEmpty { return "attribute" }
        return "simple"
    }
}
