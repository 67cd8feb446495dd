// From a syntax tree to an optimized plan: binding against the catalog, the marks that must be
// made before any rule runs, then the optimizer. The one entry point the engine plans through.

import LocusErrors
import LocusSyntax
import LocusValues

public enum QueryPlanner {
    /// What a query asks of its planning.
    public struct Options: Sendable {
        /// `optimizer.rules`: "-name", "+name", "-all".
        public var optimizerRules: [String] = []
        /// Bind parameters kept as registers (query workers), not folded into the plan.
        public var preparedParameters: Set<String> = []
        /// ArangoDB's `fullCount`: the last top-level LIMIT also counts the rows it skips.
        public var fullCount = false
        public init(optimizerRules: [String] = [], preparedParameters: Set<String> = [], fullCount: Bool = false) {
            self.optimizerRules = optimizerRules
            self.preparedParameters = preparedParameters
            self.fullCount = fullCount
        }
    }

    /// Binds and optimizes `query`.
    public static func plan(_ query: Query, catalog: PlannerCatalog, bindVars: [String: Value], options: Options) throws
        -> QueryPlan
    {
        let catalog = RememberingCatalog(catalog)
        let binder = Binder(catalog: catalog, bindVars: bindVars)
        binder.preparedParameters = options.preparedParameters
        var plan = try binder.bind(query)
        // Marked before optimizing, so that no rule folds this LIMIT away (sort-limit).
        if options.fullCount,
            let i = plan.root.nodes.lastIndex(where: { if case .limit = $0.kind { true } else { false } }),
            case .limit(let o, let c, _) = plan.root.nodes[i].kind
        {
            plan.root.nodes[i].kind = .limit(offset: o, count: c, fullCount: true)
        }
        try Optimizer.optimize(&plan, settings: options.optimizerRules, catalog: catalog)
        plan.passThrough = DocumentPassThrough.of(plan.root, writes: plan.isModification)
        return plan
    }
}
