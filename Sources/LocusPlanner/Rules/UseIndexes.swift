// use-indexes: replaces a full collection scan followed by FILTERs on the loop variable with
// an IndexNode, when an index answers some of the conditions: the primary index for `_key`
// equality and IN, the edge index for `_from`/`_to`, and persistent indexes for equality and
// IN on a prefix of their fields plus a range on the next one. The conditions the index
// answers are removed from the FILTERs (ArangoDB's remove-filter-covered-by-index).

import LocusSyntax
import LocusValues

enum UseIndexes {
    /// One usable condition `var.path op value`.
    struct Condition {
        var path: String
        var op: BinaryOperator
        var value: BoundExpr
        /// Which filter node and conjunct it came from.
        var origin: (node: Int, conjunct: Int)
        /// `value IN var.path[*]` rather than `var.path op value`.
        var arrayMembership = false
    }

    static func flipped(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .lt: .gt
        case .le: .ge
        case .gt: .lt
        case .ge: .le
        default: op
        }
    }

    static func conditions(_ plan: Plan, from start: Int, slot: Int, allowed: Set<Int>) -> [Condition] {
        var out: [Condition] = []
        var j = start
        while j < plan.nodes.count, case .filter(let e) = plan.nodes[j].kind {
            for (k, c) in e.conjuncts.enumerated() {
                guard case .binary(let op, let lhs, let rhs) = c else { continue }
                func usable(_ v: BoundExpr) -> Bool { v.variablesUsed.isSubset(of: allowed) && !containsSubquery(v) }
                if [.eq, .lt, .le, .gt, .ge, .in].contains(op) {
                    if let (v, path) = lhs.attributePath, v == slot, !path.isEmpty, usable(rhs) {
                        out.append(Condition(path: path.joined(separator: "."), op: op, value: rhs, origin: (j, k)))
                    } else if op != .in, let (v, path) = rhs.attributePath, v == slot, !path.isEmpty, usable(lhs) {
                        out.append(
                            Condition(path: path.joined(separator: "."), op: flipped(op), value: lhs, origin: (j, k)))
                    } else if op == .in, let (v, path) = rhs.attributePath, v == slot, !path.isEmpty, usable(lhs) {
                        out.append(
                            Condition(
                                path: path.joined(separator: ".") + "[*]", op: .eq, value: lhs, origin: (j, k),
                                arrayMembership: true))
                    }
                }
            }
            j += 1
        }
        return out
    }

    static func containsSubquery(_ e: BoundExpr) -> Bool { MoveCalculationsUp.containsSubquery(e) }

    struct Choice {
        var index: PlannerIndex
        var lookup: IndexLookup
        var used: [Condition]
        var score: Int
    }

    static func isNonNullConstant(_ e: BoundExpr) -> Bool {
        if let v = e.constantValue { return !v.isNull }
        return false
    }

    static func choose(_ indexes: [PlannerIndex], _ conds: [Condition]) -> Choice? {
        var best: Choice? = nil
        func consider(_ c: Choice) { if best == nil || c.score > best!.score { best = c } }
        for ix in indexes {
            switch ix.type {
            case .primary:
                if let c = conds.first(where: {
                    $0.path == "_key" && ($0.op == .eq || $0.op == .in) && !$0.arrayMembership
                }) {
                    consider(Choice(index: ix, lookup: .primary(c.value, isList: c.op == .in), used: [c], score: 1000))
                }
            case .edge:
                for (field, outbound) in [("_from", true), ("_to", false)] {
                    if let c = conds.first(where: {
                        $0.path == field && ($0.op == .eq || $0.op == .in) && !$0.arrayMembership
                    }) {
                        consider(
                            Choice(
                                index: ix, lookup: .edge(outbound: outbound, c.value, isList: c.op == .in), used: [c],
                                score: 500))
                    }
                }
            case .persistent:
                var prefix: [(BoundExpr, isList: Bool)] = []
                var used: [Condition] = []
                var lower: (BoundExpr, inclusive: Bool)? = nil
                var upper: (BoundExpr, inclusive: Bool)? = nil
                for f in ix.fields {
                    let isArrayField = f.hasSuffix("[*]")
                    if let c = conds.first(where: {
                        $0.path == f && ($0.op == .eq || $0.op == .in) && $0.arrayMembership == isArrayField
                    }) {
                        if ix.sparse && !(c.op == .eq && isNonNullConstant(c.value)) { break }
                        prefix.append((c.value, isList: c.op == .in))
                        used.append(c)
                        continue
                    }
                    if isArrayField { break }
                    if let lo = conds.first(where: { $0.path == f && ($0.op == .gt || $0.op == .ge) }) {
                        if !ix.sparse || isNonNullConstant(lo.value) {
                            lower = (lo.value, inclusive: lo.op == .ge)
                            used.append(lo)
                        }
                    }
                    if let hi = conds.first(where: { $0.path == f && ($0.op == .lt || $0.op == .le) }),
                        !ix.sparse || lower != nil
                    {
                        upper = (hi.value, inclusive: hi.op == .le)
                        used.append(hi)
                    }
                    break
                }
                guard !used.isEmpty else { continue }
                let allEq = prefix.count == ix.fields.count && prefix.allSatisfy { !$0.isList }
                let score =
                    (ix.unique && allEq ? 900 : 0) + 100 * prefix.count + (lower != nil ? 30 : 0)
                    + (upper != nil ? 30 : 0)
                consider(
                    Choice(
                        index: ix, lookup: .persistent(prefix: prefix, lower: lower, upper: upper), used: used,
                        score: score))
            default:
                continue
            }
        }
        return best
    }

    static let rule = OptimizerRule(
        name: "use-indexes", description: "replaces full collection scans with index lookups and ranges"
    ) { plan, ctx in
        var changed = false
        while replaceOne(&plan, ctx) { changed = true }
        return changed
    }

    /// Replaces the first collection scan an index can serve; false when there is none.
    static func replaceOne(_ plan: inout Plan, _ ctx: RuleContext) -> Bool {
        for i in plan.nodes.indices {
            guard case .enumerateCollection(let access) = plan.nodes[i].kind, access.filter == nil,
                !access.disableIndex,
                let coll = ctx.catalog.collection(access.collection)
            else { continue }
            // What an index lookup here may read: the variables set before the loop, and the
            // outer query's. Gathered only for a loop an index might serve.
            var allowed = plan.outerVariablesUsed
            for node in plan.nodes[..<i] { allowed.formUnion(node.variablesSet) }
            let conds = conditions(plan, from: i + 1, slot: access.outSlot, allowed: allowed)
            guard !conds.isEmpty else { continue }
            // An index hint narrows the choice; without force, other indexes remain a fallback.
            let hinted = coll.indexes.filter { access.indexHint.contains($0.name) }
            var picked = hinted.isEmpty ? nil : choose(hinted, conds)
            if picked == nil && !access.forceIndexHint { picked = choose(coll.indexes, conds) }
            guard let choice = picked else { continue }
            let text = choice.used.map { "\($0.path) \($0.op.rawValue)" }.joined(separator: " && ")
            plan.nodes[i].kind = .index(
                IndexScan(
                    access: access, index: choice.index, lookup: choice.lookup,
                    descending: false, conditionText: text))
            // Remove the conjuncts the index answers.
            var drop: [Int: Set<Int>] = [:]
            for c in choice.used { drop[c.origin.node, default: []].insert(c.origin.conjunct) }
            for (n, ks) in drop {
                guard case .filter(let e) = plan.nodes[n].kind else { continue }
                let rest = e.conjuncts.enumerated().filter { !ks.contains($0.offset) }.map(\.element)
                plan.nodes[n].kind = BoundExpr.and(rest).map { .filter($0) } ?? .filter(.constant(.bool(true)))
            }
            plan.nodes.removeAll {
                if case .filter(.constant(.bool(true))) = $0.kind { return true }; return false
            }
            return true
        }
        return false
    }
}
