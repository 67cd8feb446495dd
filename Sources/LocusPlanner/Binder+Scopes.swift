// The binder's registers and scopes: each variable a query declares gets a register, and a
// name is looked up from the innermost query level outwards.

import LocusErrors
import LocusFunctions
import LocusSyntax
import LocusValues

extension Binder {
    func newRegister(_ name: String) -> Int {
        let r = registerCount
        registerCount += 1
        registerNames[r] = name
        return r
    }

    func node(_ kind: NodeKind) -> PlanNode {
        defer { nextNodeId += 1 }
        return PlanNode(id: nextNodeId, kind: kind)
    }

    func lookup(_ name: String) -> Int? {
        for level in levels.reversed() {
            if let v = level.variables.last(where: { $0.name == name }) { return v.slot }
        }
        return nil
    }

    static let specialNames: Set<String> = ["OLD", "NEW", "CURRENT"]

    func declare(_ name: String, at position: SourcePosition, special: Bool = false) throws -> Int {
        if !special {
            if name.hasPrefix("_") && !name.dropFirst().contains(where: { $0.isLetter }) {
                throw LocusError(.variableNameInvalid, name, at: position)
            }
            if lookup(name) != nil && !Binder.specialNames.contains(name) {
                throw LocusError(.variableRedeclared, name, at: position)
            }
        }
        let slot = newRegister(name)
        let level = levels.count - 1
        levels[level].variables.append(
            Variable(
                name: name, slot: slot,
                beforeFirstFor: levels[level].isTopLevel && !levels[level].sawFor))
        return slot
    }

    func declare(_ pattern: Pattern) throws -> BoundPattern {
        switch pattern {
        case .variable(let n, let p): return .slot(try declare(n, at: p))
        case .array(let ps): return .array(try ps.map { try $0.map { try declare($0) } })
        case .object(let ms): return .object(try ms.map { ($0.0, try declare($0.1)) })
        }
    }
}
