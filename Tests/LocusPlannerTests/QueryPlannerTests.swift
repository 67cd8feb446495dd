// The planner on its own, over a catalog made up in the test: the rule table's facts, how
// `optimizer.rules` switches rules, that fullCount marks the last LIMIT before the rules run,
// that indexes replace scans, which plans touch stored data, and that the plan check after
// every rule catches a plan whose nodes read registers no earlier node sets.

import Testing
import LocusErrors
import LocusPlanner
import LocusSyntax
import LocusValues

@Suite struct QueryPlannerTests {
    struct Catalog: PlannerCatalog {
        func collection(_ name: String) -> PlannerCollection? {
            switch name {
            case "users":
                PlannerCollection(
                    name: "users", type: .document, count: 1000,
                    indexes: [
                        PlannerIndex(name: "primary", type: .primary, fields: ["_key"], unique: true, sparse: false),
                        PlannerIndex(name: "byAge", type: .persistent, fields: ["age"], unique: false, sparse: false),
                    ])
            case "knows":
                PlannerCollection(
                    name: "knows", type: .edge, count: 10,
                    indexes: [
                        PlannerIndex(name: "primary", type: .primary, fields: ["_key"], unique: true, sparse: false),
                        PlannerIndex(
                            name: "edge", type: .edge, fields: ["_from", "_to"], unique: false, sparse: false),
                    ])
            default: nil
            }
        }
        func graph(_ name: String) -> PlannerGraph? { nil }
    }

    func plan(_ text: String, _ options: QueryPlanner.Options = .init(), bind: [String: Value] = [:]) throws
        -> QueryPlan
    {
        try QueryPlanner.plan(Parser.parse(text), catalog: Catalog(), bindVars: bind, options: options)
    }

    func kinds(_ p: QueryPlan) -> [String] { p.root.nodes.map(\.kind.typeName) }

    @Test func theRuleTableIsWellFormed() {
        let names = Optimizer.ruleNames
        #expect(Set(names).count == names.count, "rule names repeat")
        for rule in Optimizer.rules {
            #expect(!rule.description.isEmpty, "\(rule.name) has no description")
            #expect(rule.name.allSatisfy { $0.isLowercase || $0 == "-" }, "\(rule.name) is not in ArangoDB's spelling")
            #expect(rule.flags.contains(.canBeDisabled))
            #expect(!rule.flags.contains(.clusterOnly) && !rule.flags.contains(.enterpriseOnly))
        }
        #expect(Optimizer.rule(named: "use-indexes")?.name == "use-indexes")
        #expect(Optimizer.rule(named: "no-such-rule") == nil)
    }

    @Test(arguments: [
        ("RETURN 1", false),
        ("FOR i IN 1..3 FILTER i > 1 SORT i DESC LIMIT 2 RETURN {i, s: CONCAT('x', i)}", false),
        ("LET xs = (FOR i IN [1, 2] RETURN i * 2) RETURN xs[* FILTER CURRENT > 2]", false),
        ("FOR i IN 1..3 COLLECT g = i % 2 WITH COUNT INTO n RETURN [g, n]", false),
        ("FOR u IN users RETURN u", true),
        ("RETURN (FOR u IN users FILTER u.age == 3 RETURN u)", true),
        ("RETURN LENGTH(users)", true),
        ("RETURN DOCUMENT('users/1')", true),
        ("RETURN CALL('COLLECTIONS')", true),
        ("LET f = 'FULLTEXT' RETURN APPLY(f, ['users', 'name', 'x'])", true),
        ("FOR v IN 1..2 OUTBOUND 'users/1' knows RETURN v", true),
        ("INSERT {a: 1} INTO users", true),
    ])
    func whetherAPlanReadsStorage(query: String, reads: Bool) throws {
        #expect(try plan(query).root.readsStorage == reads, "\(query)")
    }

    /// Whether a query's documents pass through: nil for no, else whether they are also read.
    @Test(
        arguments: [
            ("FOR u IN users RETURN u", false),
            ("FOR u IN users FILTER u._key == @k RETURN u", false),
            ("FOR u IN users FILTER u.age == 3 LIMIT 2 RETURN u", false),
            ("FOR i IN 1..2 FOR u IN users RETURN u", false),
            ("FOR u IN users FOR i IN 1..2 LET d = DOCUMENT(users, 'x') FILTER i > 1 RETURN u", false),
            ("FOR u IN users LET n = (FOR k IN knows RETURN k) FILTER LENGTH(n) > 1 RETURN u", false),
            ("FOR u IN users SORT u.age RETURN u", false),  // read in order from the index on age
            ("FOR k IN knows FOR u IN users RETURN k", false),
            ("FOR u IN users FILTER u.name == 'a' RETURN u", true),
            (
                "FOR u IN users LET n = (FOR k IN knows FILTER k._from == u._id RETURN k) FILTER LENGTH(n) > 1 RETURN u",
                true
            ),
            ("FOR u IN users FOR k IN knows FILTER k._from == u._id RETURN u", true),
            ("FOR v IN 1..2 OUTBOUND 'users/1' knows RETURN v", true),
            ("FOR v IN 1..2 OUTBOUND 'users/1' knows RETURN v._key", nil),
            ("FOR v IN 1..2 OUTBOUND 'users/1' knows SORT v.age RETURN v", nil),
            ("FOR u IN users SORT u.name RETURN u", nil),
            ("FOR u IN users LIMIT 2 SORT RAND() RETURN u", nil),  // rows wait in the SORT
            ("FOR u IN users RETURN DISTINCT u", nil),
            ("FOR u IN users RETURN u.name", nil),
            ("FOR u IN users RETURN MERGE(u, {a: 1})", nil),
            ("FOR u IN users COLLECT a = u.age INTO g RETURN g", nil),
            ("LET u = DOCUMENT('users/1') RETURN u", nil),
            ("FOR u IN users UPDATE u WITH {a: 1} IN users RETURN u", nil),
            ("FOR u IN users INSERT {a: 1} INTO knows RETURN u", nil),
        ] as [(String, Bool?)])
    func whetherDocumentsPassThrough(query: String, isRead: Bool?) throws {
        let p = try plan(query, bind: query.contains("@k") ? ["k": "1"] : [:])
        #expect(p.passThrough?.isRead == isRead, "\(query)")
        if let slot = p.passThrough?.slot, case .returnValue(.variable(let returned), _)? = p.root.nodes.last?.kind {
            #expect(slot == returned)
        }
    }

    @Test func optimizerRulesSwitchRulesInOrder() {
        let all = Set(Optimizer.ruleNames)
        #expect(Optimizer.enabled([]) == all)
        #expect(Optimizer.enabled(["-all"]).isEmpty)
        #expect(Optimizer.enabled(["-all", "+use-indexes"]) == ["use-indexes"])
        #expect(Optimizer.enabled(["-use-indexes"]) == all.subtracting(["use-indexes"]))
        #expect(Optimizer.enabled(["-use-indexes", "+all"]) == all)
    }

    @Test func indexesReplaceScansUnlessSwitchedOff() throws {
        let text = "FOR u IN users FILTER u.age == 30 RETURN u"
        let indexed = try plan(text)
        #expect(kinds(indexed).contains("IndexNode"))
        #expect(indexed.rulesApplied.contains("use-indexes"))
        let scanned = try plan(text, .init(optimizerRules: ["-use-indexes"]))
        #expect(!kinds(scanned).contains("IndexNode"))
        #expect(kinds(scanned).contains("EnumerateCollectionNode"))
    }

    @Test func fullCountMarksTheLastLimitBeforeTheRulesRun() throws {
        let text = "FOR u IN users SORT u.name LIMIT 2, 3 RETURN u"
        func marked(_ p: QueryPlan) -> [Bool] {
            p.root.nodes.compactMap { if case .limit(_, _, let full) = $0.kind { full } else { nil } }
        }
        #expect(marked(try plan(text, .init(fullCount: true))) == [true])
        #expect(marked(try plan(text)) == [false])
        // A top-k sort would lose the rows fullCount must count: sort-limit leaves it alone.
        #expect(try plan(text).rulesApplied.contains("sort-limit"))
        #expect(try !plan(text, .init(fullCount: true)).rulesApplied.contains("sort-limit"))
    }

    @Test func bindingErrorsCarryArangoDBNumbers() throws {
        // A diagnostic as data: the code, the template's argument and the position, with the
        // message rendered from them and no position written into it.
        let unknown = #expect(throws: LocusError.self) { try plan("LET x = 1\n  FOR u IN nope RETURN u") }
        #expect(unknown?.code == .dataSourceNotFound && unknown?.arguments == ["nope"])
        #expect(unknown?.message == "collection or view not found: nope")
        #expect(unknown?.position?.line == 2)
        do {
            _ = try plan("FOR v, e IN 1 OUTBOUND 'users/a' users RETURN v")
            Issue.record("a document collection was accepted as an edge collection")
        } catch let e as LocusError {
            #expect(e.code == .collectionTypeInvalid)
        }
        do {
            _ = try plan("RETURN @missing")
            Issue.record("a missing bind parameter was accepted")
        } catch let e as LocusError {
            #expect(e.code.number == 1551 && e.arguments == ["missing"])
        }
    }

    @Test func everyOptimizedPlanPassesThePlanCheck() throws {
        for text in [
            "FOR u IN users FILTER u.age > 3 SORT u.age LIMIT 5 RETURN u.name",
            "FOR u IN users LET n = (FOR k IN knows FILTER k._from == u._id RETURN k) RETURN {u, n}",
            "FOR u IN users COLLECT a = u.age WITH COUNT INTO c RETURN {a, c}",
            "LET x = 1 + 2 FOR i IN 1..x FILTER i > 1 RETURN i * x",
        ] {
            try PlanCheck.verify(try plan(text), after: "test")
        }
    }

    @Test func thePlanCheckCatchesANodeMovedAboveItsInput() throws {
        var p = try plan("FOR i IN 1..3 LET y = i * 2 RETURN y", .init(optimizerRules: ["-all"]))
        let calculation = try #require(
            p.root.nodes.lastIndex { if case .calculation = $0.kind { true } else { false } })
        let loop = try #require(p.root.nodes.firstIndex { if case .enumerateList = $0.kind { true } else { false } })
        #expect(loop < calculation)
        p.root.nodes.swapAt(loop, calculation)
        do {
            try PlanCheck.verify(p, after: "a broken rule")
            Issue.record("the plan check accepted a calculation above the loop it reads")
        } catch let e as LocusError {
            #expect(e.code == .internalError)
            #expect(e.message.contains("a broken rule"))
        }
    }
}
