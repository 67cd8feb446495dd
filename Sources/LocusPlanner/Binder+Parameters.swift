// What the binder resolves names against besides variables: bind parameters (constants, or
// registers when prepared), collections by name or bind parameter, and ArangoDB's rule that a
// query reads no collection after modifying it (1579).

import LocusErrors
import LocusFunctions
import LocusSyntax
import LocusValues

extension Binder {
    /// A SORT element's direction, from its bind parameter when it has one: "ASC" or "DESC" in
    /// any case, or a boolean (true is ascending).
    func sortDirection(_ e: LocusSyntax.SortElement) throws -> Bool {
        guard let (name, position) = e.directionParameter else { return e.ascending }
        switch try bindValue(name, at: position) {
        case .bool(let b): return b
        case .string(let s) where s.uppercased() == "ASC": return true
        case .string(let s) where s.uppercased() == "DESC": return false
        default: throw LocusError(.bindParameterType, name, at: position)
        }
    }

    func bindValue(_ name: String, at position: SourcePosition) throws -> Value {
        guard let v = bindVars[name] else { throw LocusError(.bindParameterMissing, name, at: position) }
        guard !preparedParameters.contains(name) else {
            throw LocusError(.bindParameterType, name + " (a prepared parameter must stand for a value)", at: position)
        }
        usedBindVars.insert(name)
        return v
    }

    /// A bind parameter where a value is expected: its value, or the register of a prepared
    /// parameter.
    func bindParameterExpr(_ name: String, at position: SourcePosition) throws -> BoundExpr {
        guard preparedParameters.contains(name) else { return .constant(try bindValue(name, at: position)) }
        guard bindVars[name] != nil else { throw LocusError(.bindParameterMissing, name, at: position) }
        usedBindVars.insert(name)
        if let slot = parameterSlots[name] { return .variable(slot) }
        let slot = newRegister("@" + name)
        parameterSlots[name] = slot
        return .variable(slot)
    }

    /// The bind variable a `@@n` parameter reads: `@n`, or `n` as some drivers send it.
    func collectionParameterKey(_ n: String) -> String { bindVars["@" + n] != nil ? "@" + n : n }

    func resolveCollection(_ ref: CollectionRef) throws -> PlannerCollection {
        let name: String
        switch ref {
        case .name(let n, _): name = n
        case .bind(let n, let p):
            let key = "@" + n
            let found = collectionParameterKey(n)
            guard let v = bindVars[found] else { throw LocusError(.bindParameterMissing, key, at: p) }
            guard !preparedParameters.contains(found) else {
                throw LocusError(.bindParameterType, n + " (a prepared parameter must stand for a value)", at: p)
            }
            usedBindVars.insert(found)
            guard case .string(let s) = v else { throw LocusError(.bindParameterType, key, at: p) }
            name = s
        }
        guard let c = catalog.collection(name) else { throw LocusError(.dataSourceNotFound, name, at: ref.position) }
        return c
    }

    func noteRead(_ c: String, at position: SourcePosition) throws {
        if let op = modified[c] {
            throw LocusError(
                code: .accessAfterModification,
                message: "access after data-modification by \(op) in collection '\(c)'", position: position)
        }
        collectionsRead.insert(c)
        if !levels.isEmpty { levels[levels.count - 1].collectionsRead.insert(c) }
    }

    /// ArangoDB's rule (1579): a collection is not read after a modification of it in the same
    /// query, nor modified inside a subquery while an enclosing level reads it.
    func noteWrite(_ c: String, _ op: String, at position: SourcePosition) throws {
        if modified[c] != nil {
            throw LocusError(
                code: .accessAfterModification,
                message: "access after data-modification by \(modified[c]!) in collection '\(c)'", position: position)
        }
        if levels.dropLast().contains(where: { $0.collectionsRead.contains(c) }) {
            throw LocusError(
                code: .accessAfterModification,
                message: "access after data-modification by \(op) in collection '\(c)': an enclosing loop reads it",
                position: position)
        }
        modified[c] = op
        collectionsWritten.insert(c)
    }
}
