// The node-specific fields of EXPLAIN's JSON: those of ArangoDB's node JSON for which Locus's
// plan holds the same facts (the collection, the variable a node sets, the index, the limits).
// Locus's nodes differ from ArangoDB's where its plan does (a filter holds its condition, not
// an input variable), so the fields that would need ArangoDB's own shapes are left out.

import LocusValues

extension Explainer {
    /// The fields ArangoDB gives a node of this kind, where Locus knows them.
    func nodeFields(_ kind: NodeKind) -> Object {
        switch kind {
        case .enumerateCollection(let a):
            return accessFields(a)
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
            return fields
        case .enumerateList(_, let target), .calculation(let target, _):
            return variableField("outVariable", target)
        case .subquery(let slot, _):
            return ["outVariable": variable(slot)]
        case .sort(_, let limit):
            return ["limit": .int(limit ?? 0), "strategy": .string(limit == nil ? "standard" : "constrained-heap")]
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
        return fields
    }
}
