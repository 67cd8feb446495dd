// The optimizer: the one ordered list of rules, each with ArangoDB's name where ArangoDB has
// the rule, each switchable per query through `optimizer.rules` ("-name", "+name", "-all").
// Rules rewrite the root plan and every subquery plan.

import LocusErrors
import LocusValues

/// What a rule may consult.
public struct RuleContext {
    public let catalog: PlannerCatalog
}

/// One optimizer rule.
public struct OptimizerRule: Sendable {
    /// ArangoDB's flags of a rule, as `GET /_api/query/rules` reports them.
    public struct Flags: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `optimizer.rules` may switch it off ("-name", "-all").
        public static let canBeDisabled = Flags(rawValue: 1 << 0)
        /// Off unless a query asks for it ("+name").
        public static let disabledByDefault = Flags(rawValue: 1 << 1)
        /// Not listed for users.
        public static let hidden = Flags(rawValue: 1 << 2)
        /// Runs only in a cluster (none here: every PoP plans alone).
        public static let clusterOnly = Flags(rawValue: 1 << 3)
        /// Produces alternative plans (none here: Locus keeps one plan).
        public static let canCreateAdditionalPlans = Flags(rawValue: 1 << 4)
        /// ArangoDB Enterprise Edition only (none here).
        public static let enterpriseOnly = Flags(rawValue: 1 << 5)
    }

    public let name: String
    /// What the rule does, in a sentence.
    public let description: String
    public let flags: Flags
    /// Rewrites one plan; returns true when it changed something.
    let apply: @Sendable (inout Plan, RuleContext) throws -> Bool

    init(
        name: String, description: String, flags: Flags = [.canBeDisabled],
        apply: @escaping @Sendable (inout Plan, RuleContext) throws -> Bool
    ) {
        self.name = name
        self.description = description
        self.flags = flags
        self.apply = apply
    }
}

/// Applies the rules in order.
public enum Optimizer {
    /// The rules, in the order they run.
    public static let rules: [OptimizerRule] = [
        ConstantFolding.rule,
        RemoveUnnecessaryFilters.rule,
        InlineSubqueries.rule,
        MoveCalculationsUp.rule,
        MoveFiltersUp.rule,
        RemoveRedundantSorts.rule,
        OptimizeTraversals.rule,
        UseIndexes.rule,
        UseGeoIndex.rule,
        UseIndexForSort.rule,
        RemoveUnnecessaryCalculations.rule,
        SortLimit.rule,
        MoveFiltersIntoEnumerate.rule,
        ReduceExtractionToProjection.rule,
        RemoveDataModificationOutVariables.rule,
        UseIndexForCollect.rule,
    ]

    public static var ruleNames: [String] { rules.map(\.name) }

    /// The rule with a name, if there is one.
    public static func rule(named name: String) -> OptimizerRule? { rules.first { $0.name == name } }

    /// The rules enabled by an `optimizer.rules` list. Rules that cannot be disabled stay on
    /// whatever the list says.
    public static func enabled(_ settings: [String]) -> Set<String> {
        var on = Set(rules.filter { !$0.flags.contains(.disabledByDefault) }.map(\.name))
        let fixed = Set(rules.filter { !$0.flags.contains(.canBeDisabled) }.map(\.name))
        for s in settings {
            let name = String(s.dropFirst())
            if s == "-all" {
                on = []
            } else if s == "+all" {
                on = Set(ruleNames)
            } else if s.hasPrefix("-") {
                on.remove(name)
            } else if s.hasPrefix("+") {
                on.insert(name)
            }
        }
        return on.union(fixed)
    }

    /// Whether each rule, by its place in `rules`, runs under an `optimizer.rules` list.
    static func switches(_ settings: [String]) -> [Bool] {
        if settings.isEmpty { return defaultSwitches }
        let on = enabled(settings)
        return rules.map { on.contains($0.name) }
    }

    /// The switches of a query that names no rules, worked out once.
    private static let defaultSwitches: [Bool] = {
        let on = enabled([])
        return rules.map { on.contains($0.name) }
    }()

    /// Optimizes a plan in place and records which rules fired.
    public static func optimize(_ plan: inout QueryPlan, settings: [String], catalog: PlannerCatalog) throws {
        let ctx = RuleContext(catalog: catalog)
        // No rule makes a subquery, so a plan without one is rewritten at its root alone,
        // without looking for subqueries again before every rule.
        let nested = plan.root.containsSubquery
        for (rule, on) in zip(rules, switches(settings)) where on {
            if try nested ? applyEverywhere(rule, &plan.root, ctx) : rule.apply(&plan.root, ctx) {
                plan.rulesApplied.append(rule.name)
                #if DEBUG
                try PlanCheck.verify(plan, after: rule.name)
                if !nested && plan.root.containsSubquery {
                    throw LocusError(.internalError, "optimizer rule \(rule.name) made a subquery")
                }
                #endif
            }
        }
        try checkForcedHints(plan.root)
    }

    /// `forceIndexHint: true` is an error (1577) when the hinted index could not be used.
    static func checkForcedHints(_ plan: Plan) throws {
        for n in plan.nodes {
            switch n.kind {
            case .enumerateCollection(let a) where a.forceIndexHint && !a.indexHint.isEmpty:
                throw LocusError(.forcedIndexHintUnusable)
            case .index(let s)
            where s.access.forceIndexHint && !s.access.indexHint.isEmpty && !s.access.indexHint.contains(s.index.name):
                throw LocusError(.forcedIndexHintUnusable)
            case .subquery(_, let sub): try checkForcedHints(sub)
            default: break
            }
        }
    }

    static func applyEverywhere(_ rule: OptimizerRule, _ plan: inout Plan, _ ctx: RuleContext) throws -> Bool {
        var changed = try rule.apply(&plan, ctx)
        for i in plan.nodes.indices {
            switch plan.nodes[i].kind {
            case .subquery(let slot, var sub):
                if try applyEverywhere(rule, &sub, ctx) {
                    changed = true
                    plan.nodes[i].kind = .subquery(outSlot: slot, plan: sub)
                }
            default:
                guard plan.nodes[i].kind.containsSubquery else { continue }
                var subChanged = false
                var failure: Error?
                plan.nodes[i].kind = plan.nodes[i].kind.mapExpressions { e in
                    e.mapSubqueries { sub in
                        var s = sub
                        do { if try applyEverywhere(rule, &s, ctx) { subChanged = true } } catch { failure = error }
                        return s
                    }
                }
                if let failure { throw failure }
                if subChanged { changed = true }
            }
        }
        return changed
    }
}

extension BoundExpr {
    /// Rewrites every subquery plan inside the expression.
    func mapSubqueries(_ f: (Plan) -> Plan) -> BoundExpr {
        if case .subquery(let p) = self { return .subquery(f(p)) }
        return map { $0.mapSubqueries(f) }
    }

    /// Rewrites bottom-up.
    func transform(_ f: (BoundExpr) -> BoundExpr) -> BoundExpr {
        f(map { $0.transform(f) })
    }
}

extension BoundExpr {
    /// True when a subquery appears anywhere inside (checked without rebuilding anything).
    var containsSubquery: Bool {
        switch self {
        case .subquery: return true
        case .constant, .variable: return false
        case .attribute(let e, _), .unary(_, let e): return e.containsSubquery
        case .index(let a, let b), .binary(_, let a, let b), .range(let a, let b):
            return a.containsSubquery || b.containsSubquery
        case .array(let xs), .record(_, let xs), .call(_, let xs): return xs.contains { $0.containsSubquery }
        case .object(let ms):
            return ms.contains { k, v in
                if case .computed(let e) = k, e.containsSubquery { return true }
                return v.containsSubquery
            }
        case .ternary(let c, let a, let b):
            return c.containsSubquery || (a?.containsSubquery ?? false) || b.containsSubquery
        case .arrayComparison(_, _, let a, let b): return a.containsSubquery || b.containsSubquery
        case .expansion(let x):
            return x.source.containsSubquery || (x.filter?.containsSubquery ?? false)
                || (x.projection?.containsSubquery ?? false)
                || (x.offset?.containsSubquery ?? false) || (x.count?.containsSubquery ?? false)
        case .questionMark(let s, _, _, let f): return s.containsSubquery || (f?.containsSubquery ?? false)
        }
    }
}

extension Plan {
    /// True when a subquery appears anywhere in the plan: as a node or inside an expression.
    var containsSubquery: Bool {
        nodes.contains { node in
            if case .subquery = node.kind { return true }
            return node.kind.containsSubquery
        }
    }
}

extension NodeKind {
    /// True when one of the node's expressions holds a subquery.
    var containsSubquery: Bool {
        var found = false
        forEachExpression { e in if !found && e.containsSubquery { found = true } }
        return found
    }

    /// The node with `f` applied to each of its expressions.
    func mapExpressions(_ f: (BoundExpr) -> BoundExpr) -> NodeKind {
        switch self {
        // A SEARCH condition is read by the view search as written: rules leave it alone.
        case .singleton, .noResults, .limit, .subquery, .indexCollect, .enumerateView: return self
        case .enumerateCollection(var a):
            a.filter = a.filter.map(f)
            return .enumerateCollection(a)
        case .index(var x):
            x.access.filter = x.access.filter.map(f)
            switch x.lookup {
            case .primary(let e, let l): x.lookup = .primary(f(e), isList: l)
            case .edge(let o, let e, let l): x.lookup = .edge(outbound: o, f(e), isList: l)
            case .persistent(let p, let lo, let hi):
                x.lookup = .persistent(
                    prefix: p.map { (f($0.0), $0.isList) }, lower: lo.map { (f($0.0), $0.inclusive) },
                    upper: hi.map { (f($0.0), $0.inclusive) })
            case .geo(let lat, let lon, let r, let n):
                x.lookup = .geo(latitude: f(lat), longitude: f(lon), radius: r.map(f), limit: n)
            }
            return .index(x)
        case .enumerateList(let e, let t): return .enumerateList(source: f(e), target: t)
        case .traversal(var t):
            t.start = f(t.start)
            t.prune = t.prune.map(f)
            for i in t.conditions.indices { t.conditions[i].condition = f(t.conditions[i].condition) }
            return .traversal(t)
        case .shortestPath(var sp):
            sp.start = f(sp.start)
            sp.target = f(sp.target)
            return .shortestPath(sp)
        case .enumeratePaths(var ep):
            ep.start = f(ep.start)
            ep.target = f(ep.target)
            return .enumeratePaths(ep)
        case .calculation(let t, let e): return .calculation(target: t, expr: f(e))
        case .filter(let e): return .filter(f(e))
        case .sort(let els, let l):
            return .sort(els.map { SortElement(expr: f($0.expr), ascending: $0.ascending) }, limit: l)
        case .collect(var c):
            c.groups = c.groups.map { ($0.slot, f($0.expr)) }
            c.aggregates = c.aggregates.map {
                Aggregate(slot: $0.slot, function: $0.function, argument: $0.argument.map(f))
            }
            c.intoExpr = c.intoExpr.map(f)
            return .collect(c)
        case .window(var w):
            w.rangeExpr = w.rangeExpr.map(f)
            w.aggregates = w.aggregates.map {
                Aggregate(slot: $0.slot, function: $0.function, argument: $0.argument.map(f))
            }
            return .window(w)
        case .returnValue(let e, let d): return .returnValue(f(e), distinct: d)
        case .modification(var m):
            m.document = m.document.map(f)
            m.key = m.key.map(f)
            m.upsertSearch = m.upsertSearch.map(f)
            return .modification(m)
        }
    }
}

extension OptimizerRule {
    /// The rule as ArangoDB's `GET /_api/query/rules` lists it, with its description added.
    public var json: Value {
        let flagValues: Object = [
            "hidden": .bool(flags.contains(.hidden)),
            "clusterOnly": .bool(flags.contains(.clusterOnly)),
            "canBeDisabled": .bool(flags.contains(.canBeDisabled)),
            "canCreateAdditionalPlans": .bool(flags.contains(.canCreateAdditionalPlans)),
            "disabledByDefault": .bool(flags.contains(.disabledByDefault)),
            "enterpriseOnly": .bool(flags.contains(.enterpriseOnly)),
        ]
        return ["name": .string(name), "description": .string(description), "flags": .object(flagValues)]
    }
}
