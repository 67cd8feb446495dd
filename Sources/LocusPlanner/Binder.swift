// Turns a parsed query into an execution plan: resolves names through scopes (1510, 1511,
// 1512), substitutes bind parameters (1551, 1552, 1553), resolves functions (1540, 1541) and
// collections (1203), enforces the rules on data-modification placement (1579), and emits
// one plan node per operation.

import LocusErrors
import LocusFunctions
import LocusSyntax
import LocusValues

/// Builds a `QueryPlan` from a `Query`.
public final class Binder {
    struct Variable {
        var name: String
        var slot: Int
        /// Declared at the top level before any FOR: not copied into COLLECT … INTO groups.
        var beforeFirstFor: Bool
    }

    struct Level {
        var variables: [Variable] = []
        var sawFor = false
        var isTopLevel: Bool
        /// Collections this query level reads (loops, traversals, lookups): a subquery nested
        /// in it may not modify them (1579), since the enclosing loop goes on reading.
        var collectionsRead: Set<String> = []
    }

    let catalog: PlannerCatalog
    let bindVars: [String: Value]
    /// Bind parameters bound as registers rather than as constants, so that the plan does not
    /// depend on their values and serves again with new ones, as a prepared statement's
    /// parameters do. They may stand only where a value is expected; as an attribute name or
    /// a collection they are refused.
    public var preparedParameters: Set<String> = []
    var parameterSlots: [String: Int] = [:]
    var usedBindVars = Set<String>()
    var registerCount = 0
    var registerNames: [Int: String] = [:]
    var nextNodeId = 1
    var levels: [Level] = []
    var collectionsRead = Set<String>()
    var collectionsWritten = Set<String>()
    var modified: [String: String] = [:]  // collection -> operation that modified it
    var warnings: [(Int, String)] = []
    /// The registers of view loops' documents, and the scorers asked of each.
    var viewSlots = Set<Int>()
    var scorers: [Int: [Scorer]] = [:]
    var offsetRequests: [Int: [OffsetRequest]] = [:]

    public init(catalog: PlannerCatalog, bindVars: [String: Value]) {
        self.catalog = catalog
        self.bindVars = bindVars
    }

    /// Binds the whole query.
    public func bind(_ query: Query) throws -> QueryPlan {
        for c in query.withCollections { _ = try resolveCollection(c) }
        let root = try bindQuery(query, topLevel: true)
        for name in bindVars.keys.sorted() where !usedBindVars.contains(name) {
            throw LocusError(.bindParameterUndeclared, name.hasPrefix("@") ? String(name.dropFirst()) : name)
        }
        return QueryPlan(
            root: root, registerCount: registerCount, registerNames: registerNames, rulesApplied: [],
            collectionsRead: collectionsRead, collectionsWritten: collectionsWritten, warnings: warnings,
            parameterSlots: parameterSlots)
    }

    /// Binds a standalone expression in which `variables` name registers 0, 1, … in order;
    /// returns it with the number of registers its evaluation needs.
    public func bindExpression(_ expr: Expr, variables: [String]) throws -> (BoundExpr, registers: Int) {
        levels.append(Level(isTopLevel: true))
        defer { levels.removeLast() }
        for v in variables { _ = try declare(v, at: expr.position) }
        let bound = try bindExpr(expr)
        return (bound, registerCount)
    }

    // MARK: - Queries

    func bindQuery(_ q: Query, topLevel: Bool) throws -> Plan {
        levels.append(Level(isTopLevel: topLevel))
        defer { levels.removeLast() }
        let firstDeclared = registerCount
        var nodes = [node(.singleton)]
        for s in q.statements {
            nodes += try bindStatement(s)
        }
        attachScorers(&nodes)
        // Nothing is outer to a query that sees no variable declared before it and no prepared
        // parameter (most top-level queries): its nodes' variable uses need not be gathered.
        guard firstDeclared > 0 || !parameterSlots.isEmpty else { return Plan(nodes: nodes, outerVariablesUsed: []) }
        var used = Set<Int>()
        for n in nodes { used.formUnion(n.variablesUsed) }
        // Prepared parameters count as outer: they hold their values before the first node
        // runs, so rules may use them wherever a constant could go (an index lookup value).
        let parameters = Set(parameterSlots.values)
        let outer = used.filter { $0 < firstDeclared || parameters.contains($0) }
        return Plan(nodes: nodes, outerVariablesUsed: outer)
    }

    func constantOptions(_ e: Expr?) throws -> Object {
        guard let e else { return Object() }
        let b = try bindExpr(e)
        guard let folded = try ConstantFolder.fold(b).constantValue else {
            throw LocusError(.compileTimeOptions, at: e.position)
        }
        guard case .object(let o) = folded else {
            throw LocusError(.queryParse, "OPTIONS must be an object", at: e.position)
        }
        return o
    }

    func bindStatement(_ s: Statement) throws -> [PlanNode] {
        switch s.kind {
        case .for(let variables, let pattern, let source, let search, let options):
            if case .expression(let e) = source, pattern == nil, let view = viewOperand(e) {
                let opts = try constantOptions(options)
                return [try bindViewLoop(view, variable: variables[0], search: search, options: opts, at: s.position)]
            }
            if search != nil {
                throw LocusError.syntax(.searchOnNonView, at: s.position)
            }
            let opts = try constantOptions(options)
            switch source {
            case .expression(let e):
                if let coll = try collectionOperand(e) {
                    try noteRead(coll.name, at: e.position)
                    levels[levels.count - 1].sawFor = true
                    let slot = try declare(variables[0], at: s.position)
                    var access = CollectionAccess(collection: coll.name, outSlot: slot)
                    switch opts["indexHint"] {
                    case .string(let h)?: access.indexHint = [h]
                    case .array(let hs)?: access.indexHint = hs.compactMap(\.stringValue)
                    default: break
                    }
                    access.forceIndexHint = opts["forceIndexHint"]?.isTruthy ?? false
                    access.disableIndex = opts["disableIndex"]?.isTruthy ?? false
                    return [node(.enumerateCollection(access))]
                }
                let src = try bindExpr(e)
                levels[levels.count - 1].sawFor = true
                let target: BoundPattern =
                    try pattern.map { try declare($0) } ?? .slot(try declare(variables[0], at: s.position))
                return [node(.enumerateList(source: src, target: target))]
            case .traversal(let t):
                return [try bindTraversal(t, variables: variables, options: opts, at: s.position)]
            case .pathSearch(let p):
                return [try bindPathSearch(p, variables: variables, options: opts, at: s.position)]
            }
        case .let(let bindings):
            var out: [PlanNode] = []
            for (pattern, e) in bindings {
                let b = try bindExpr(e)
                let target = try declare(pattern)
                if case .subquery(let plan) = b, case .slot(let slot) = target {
                    out.append(node(.subquery(outSlot: slot, plan: plan)))
                } else {
                    out.append(node(.calculation(target: target, expr: b)))
                }
            }
            return out
        case .filter(let e):
            return [node(.filter(try bindExpr(e)))]
        case .sort(let elems):
            return [
                node(
                    .sort(
                        try elems.map { SortElement(expr: try bindExpr($0.expr), ascending: try sortDirection($0)) },
                        limit: nil))
            ]
        case .limit(let offset, let count):
            func constant(_ e: Expr?, allowNull: Bool) throws -> Int? {
                guard let e else { return 0 }
                guard let v = try ConstantFolder.fold(try bindExpr(e)).constantValue else {
                    throw LocusError(
                        code: .numberOutOfRange, message: "LIMIT value is not a number or out of range",
                        position: e.position)
                }
                if allowNull, v.isNull { return nil }
                guard case .number(let n) = v, n >= 0 else {
                    throw LocusError(
                        code: .numberOutOfRange, message: "LIMIT value is not a number or out of range",
                        position: e.position)
                }
                return n.clampedInt
            }
            let o = try constant(offset, allowNull: false) ?? 0
            let c = try constant(count, allowNull: offset != nil)
            return [node(.limit(offset: o, count: c, fullCount: false))]
        case .collect(let c):
            return [try bindCollect(c, at: s.position)]
        case .window(let w):
            return [try bindWindow(w, at: s.position)]
        case .return(let distinct, let e):
            return [node(.returnValue(try bindExpr(e), distinct: distinct))]
        case .insert(let doc, let coll, let options):
            let c = try resolveCollection(coll)
            let d = try bindExpr(doc)
            let opts = try modificationOptions(options)
            try noteWrite(c.name, "INSERT", at: s.position)
            let hasOld = opts.overwriteMode == "replace" || opts.overwriteMode == "update"
            let oldSlot = hasOld ? try declare("OLD", at: s.position, special: true) : nil
            let newSlot = try declare("NEW", at: s.position, special: true)
            return [
                node(
                    .modification(
                        ModificationSpec(
                            kind: .insert, collection: c.name, document: d, options: opts,
                            oldSlot: oldSlot, newSlot: newSlot)))
            ]
        case .update(let key, let doc, let coll, let options, let replace):
            let c = try resolveCollection(coll)
            let k = try key.map { try bindExpr($0) }
            let d = try bindExpr(doc)
            let opts = try modificationOptions(options)
            try noteWrite(c.name, replace ? "REPLACE" : "UPDATE", at: s.position)
            let oldSlot = try declare("OLD", at: s.position, special: true)
            let newSlot = try declare("NEW", at: s.position, special: true)
            return [
                node(
                    .modification(
                        ModificationSpec(
                            kind: replace ? .replace : .update, collection: c.name, document: d,
                            key: k, options: opts, oldSlot: oldSlot, newSlot: newSlot)))
            ]
        case .remove(let key, let coll, let options):
            let c = try resolveCollection(coll)
            let k = try bindExpr(key)
            let opts = try modificationOptions(options)
            try noteWrite(c.name, "REMOVE", at: s.position)
            let oldSlot = try declare("OLD", at: s.position, special: true)
            return [
                node(
                    .modification(
                        ModificationSpec(
                            kind: .remove, collection: c.name, key: k, options: opts,
                            oldSlot: oldSlot)))
            ]
        case .upsert(let u):
            let c = try resolveCollection(u.collection)
            try noteRead(c.name, at: s.position)
            var spec = ModificationSpec(kind: .upsert, collection: c.name, options: try modificationOptions(u.options))
            switch u.search {
            case .example(let e):
                switch e.kind {
                case .object, .bindValue: break
                default:
                    throw LocusError.syntax(.upsertSearchNotObject, at: e.position)
                }
                spec.upsertSearch = try bindExpr(e)
            case .filter(let f):
                levels.append(Level(isTopLevel: false))
                let current = try declare("CURRENT", at: s.position, special: true)
                spec.upsertSearch = try bindExpr(f)
                levels.removeLast()
                spec.upsertIsFilter = true
                spec.upsertCurrentSlot = current
            }
            spec.document = try bindExpr(u.insert)
            levels.append(Level(isTopLevel: false))
            let oldSlot = try declare("OLD", at: s.position, special: true)
            spec.key = try bindExpr(u.update)
            levels.removeLast()
            spec.upsertReplace = u.replace
            try noteWrite(c.name, "UPSERT", at: s.position)
            // OLD keeps its register so that the update expression and later statements agree.
            levels[levels.count - 1].variables.append(Variable(name: "OLD", slot: oldSlot, beforeFirstFor: false))
            spec.oldSlot = oldSlot
            spec.newSlot = try declare("NEW", at: s.position, special: true)
            return [node(.modification(spec))]
        }
    }

    func modificationOptions(_ e: Expr?) throws -> ModificationOptions {
        var o = ModificationOptions()
        for (k, v) in try constantOptions(e) {
            switch k {
            case "ignoreErrors": o.ignoreErrors = v.isTruthy
            case "keepNull": o.keepNull = v.isTruthy
            case "mergeObjects": o.mergeObjects = v.isTruthy
            case "ignoreRevs": o.ignoreRevs = v.isTruthy
            case "waitForSync": o.waitForSync = v.isTruthy
            case "overwrite": if v.isTruthy { o.overwriteMode = "replace" }
            case "overwriteMode":
                guard case .string(let m) = v, ["ignore", "replace", "update", "conflict"].contains(m) else {
                    throw LocusError(.invalidOptionsAttribute, "overwriteMode", at: e?.position)
                }
                o.overwriteMode = m
            default: break
            }
        }
        return o
    }

    func aggregate(_ a: Assignment) throws -> (String, Expr?) {
        guard case .call(let name, let args) = a.expr.kind else {
            throw LocusError(
                code: .invalidAggregateExpression, message: "aggregate expression must be a function call",
                position: a.expr.position)
        }
        guard FunctionRegistry.aggregateNames.contains(name), args.count <= 1 else {
            throw LocusError(
                code: .invalidAggregateExpression, message: "unknown aggregate function used", position: a.expr.position
            )
        }
        return (name, args.first)
    }

    func bindCollect(_ c: Collect, at position: SourcePosition) throws -> PlanNode {
        let groups = try c.groups.map { ($0, try bindExpr($0.expr)) }
        let aggregateNames = Set(c.groups.map(\.name))
        var aggs: [(Assignment, String, BoundExpr?)] = []
        for a in c.aggregates {
            let (fn, arg) = try aggregate(a)
            if let arg, case .variable(let v) = arg.kind, aggregateNames.contains(v) {
                throw LocusError(
                    code: .variableNameUnknown, message: "use of unknown variable '\(v)' in AGGREGATE expression",
                    position: arg.position)
            }
            // LENGTH and COUNT count rows whatever the value; not reading it keeps projections small.
            let counted = fn == "LENGTH" || fn == "COUNT"
            aggs.append((a, fn, counted ? nil : try arg.map { try bindExpr($0) }))
        }
        let intoExpr = try c.into?.projection.map { try bindExpr($0) }
        // The variables copied into each group member when INTO has no projection.
        var keep: [(String, Int)] = []
        if let into = c.into, into.projection == nil {
            let level = levels[levels.count - 1]
            let candidates = level.variables.filter { level.isTopLevel && level.sawFor ? !$0.beforeFirstFor : true }
            if c.keep.isEmpty {
                keep = candidates.map { ($0.name, $0.slot) }
            } else {
                for (k, p) in c.keep {
                    guard let slot = lookup(k) else {
                        throw LocusError(
                            code: .variableNameUnknown, message: "use of unknown variable '\(k)' for KEEP", position: p)
                    }
                    keep.append((k, slot))
                }
            }
        }
        let opts = try constantOptions(c.options)
        let method = opts["method"]?.stringValue ?? "hash"
        // A COLLECT inside a FOR ends that scope: only its own variables remain visible.
        if levels[levels.count - 1].sawFor { levels[levels.count - 1].variables.removeAll() }
        var spec = CollectSpec(
            groups: [], aggregates: [], intoSlot: nil, intoExpr: intoExpr, keep: keep, countSlot: nil,
            method: method)
        for (g, e) in groups { spec.groups.append((try declare(g.name, at: g.position), e)) }
        for (a, fn, arg) in aggs {
            spec.aggregates.append(Aggregate(slot: try declare(a.name, at: a.position), function: fn, argument: arg))
        }
        if let into = c.into { spec.intoSlot = try declare(into.name, at: position) }
        if let cnt = c.withCountInto { spec.countSlot = try declare(cnt, at: position) }
        return node(.collect(spec))
    }

    func bindWindow(_ w: Window, at position: SourcePosition) throws -> PlanNode {
        if !modified.isEmpty { throw LocusError(.windowAfterModification, at: position) }
        let range = try w.rangeExpr.map { try bindExpr($0) }
        guard case .object(let bounds)? = try ConstantFolder.fold(try bindExpr(w.bounds)).constantValue else {
            throw LocusError(.compileTimeOptions, at: w.bounds.position)
        }
        var aggs: [Aggregate] = []
        var pending: [(Assignment, String, BoundExpr?)] = []
        for a in w.aggregates {
            let (fn, arg) = try aggregate(a)
            pending.append((a, fn, try arg.map { try bindExpr($0) }))
        }
        for (a, fn, arg) in pending {
            aggs.append(Aggregate(slot: try declare(a.name, at: a.position), function: fn, argument: arg))
        }
        return node(
            .window(
                WindowSpec(
                    rangeExpr: range, preceding: bounds["preceding"] ?? .number(0),
                    following: bounds["following"] ?? .number(0), aggregates: aggs)))
    }

    /// The collection an expression names, when it is a bare name or `@@param` that is not a variable.
    func collectionOperand(_ e: Expr) throws -> PlannerCollection? {
        switch e.kind {
        case .variable(let n) where lookup(n) == nil:
            guard let c = catalog.collection(n) else { throw LocusError(.dataSourceNotFound, n, at: e.position) }
            return c
        case .bindCollection(let n):
            return try resolveCollection(.bind(n, e.position))
        default:
            return nil
        }
    }
}
