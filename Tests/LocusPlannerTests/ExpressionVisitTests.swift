// The read-only visits of expressions agree with the rewriting maps: over plans of queries that
// hold every kind of node and expression, `forEachExpression` meets a node's expressions and
// `forEachChild` an expression's children exactly as `mapExpressions` and `map` hand them over.

import Testing
@testable import LocusPlanner
import LocusErrors
import LocusSyntax
import LocusValues

@Suite struct ExpressionVisitTests {
    static let queries = [
        "FOR u IN users FILTER u.age > 3 SORT u.name DESC LIMIT 2, 5 RETURN {n: u.name, [u.k]: u.age ? 1 : 2}",
        "FOR u IN users FILTER u._key == @k RETURN u",
        "FOR u IN users FILTER u.age >= 10 AND u.age < 20 RETURN u.age",
        "FOR v, e, p IN 1..3 OUTBOUND 'users/a' knows PRUNE v.x == 1 FILTER p.vertices[1].y > 2 RETURN [v, e]",
        "FOR v IN OUTBOUND SHORTEST_PATH 'users/a' TO 'users/b' knows RETURN v",
        "FOR p IN 1..2 OUTBOUND K_PATHS 'users/a' TO 'users/b' knows RETURN p",
        "FOR u IN users COLLECT c = u.city AGGREGATE m = MAX(u.age) INTO g = u.name RETURN [c, m, g]",
        "FOR u IN users COLLECT WITH COUNT INTO n RETURN n",
        "FOR i IN 1..10 WINDOW {preceding: 1} AGGREGATE s = SUM(i) RETURN s",
        "FOR i IN 1..10 WINDOW i WITH {preceding: 2} AGGREGATE s = AVG(i) RETURN s",
        "FOR x IN [[1, 2], [3]] RETURN x[* FILTER CURRENT > 1 LIMIT 1, 2 RETURN CURRENT * 2]",
        "FOR x IN [[1, 2], [3]] RETURN [x[? 2 FILTER CURRENT > 0], x ANY == 1, x AT LEAST (1) > 0]",
        "LET s = (FOR u IN users RETURN u.age) RETURN {s, t: LENGTH(FOR z IN s RETURN z)}",
        "FOR i IN 1..3 INSERT {i, at: DATE_NOW()} INTO users RETURN NEW",
        "FOR u IN users UPDATE u WITH {n: u.n + 1} IN users OPTIONS {keepNull: false} RETURN OLD",
        "UPSERT {k: 1} INSERT {k: 1} UPDATE {c: OLD.c + 1} IN users RETURN NEW",
        "FOR u IN users REMOVE {_key: u._key} IN users",
        "RETURN 1 IN [1, 2] ? 'a' : NOT (2 > 3)",
    ]

    /// Every expression `mapExpressions` hands over, and every one `forEachExpression` meets.
    static func nodeExpressions(_ kind: NodeKind) -> (mapped: [BoundExpr], visited: [BoundExpr]) {
        var mapped: [BoundExpr] = []
        _ = kind.mapExpressions {
            mapped.append($0); return $0
        }
        var visited: [BoundExpr] = []
        kind.forEachExpression { visited.append($0) }
        return (mapped, visited)
    }

    /// Compares the children of `e` and, in turn, theirs; returns how many expressions it met.
    static func compareChildren(_ e: BoundExpr) -> Int {
        var mapped: [BoundExpr] = []
        _ = e.map {
            mapped.append($0); return $0
        }
        var visited: [BoundExpr] = []
        e.forEachChild { visited.append($0) }
        #expect(mapped.map(\.variablesUsed) == visited.map(\.variablesUsed))
        #expect(mapped.count == visited.count, "\(e)")
        return 1 + visited.reduce(0) { $0 + compareChildren($1) }
    }

    static func compare(_ plan: Plan) -> Int {
        var met = 0
        for node in plan.nodes {
            if case .subquery(_, let sub) = node.kind { met += compare(sub) }
            let (mapped, visited) = nodeExpressions(node.kind)
            #expect(mapped.count == visited.count, "\(node.kind.typeName)")
            #expect(mapped.map(\.variablesUsed) == visited.map(\.variablesUsed), "\(node.kind.typeName)")
            met += visited.reduce(0) { $0 + compareChildren($1) }
        }
        return met
    }

    @Test(arguments: queries) func visitsMeetWhatMapsHandOver(_ text: String) throws {
        for rules in [[], ["-all"]] {
            let plan = try QueryPlanner.plan(
                Parser.parse(text), catalog: QueryPlannerTests.Catalog(),
                bindVars: text.containsBytes("@k") ? ["k": "a"] : [:],
                options: .init(optimizerRules: rules))
            #expect(ExpressionVisitTests.compare(plan.root) > 0, "no expression met in \(text)")
        }
    }

    /// The constant-folding rule skips a node whose expressions `mayFold` clears: folding
    /// must hand each of them back unchanged, and must change one it does not clear.
    @Test(
        arguments: queries + [
            "FOR u IN users FILTER u.age > 2 * 3 AND u.name == CONCAT('a', 'b') RETURN [1 + 2, u.age, LENGTH([1, 2])]",
            "LET x = [1, 2, 3][1] RETURN x ? 1..3 : NOOPT(4)",
        ]) func whatMayNotFoldFoldsToItself(_ text: String) throws
    {
        let plan = try QueryPlanner.plan(
            Parser.parse(text), catalog: QueryPlannerTests.Catalog(),
            bindVars: text.containsBytes("@k") ? ["k": "a"] : [:], options: .init(optimizerRules: ["-all"]))
        func check(_ p: Plan) throws {
            for node in p.nodes {
                if case .subquery(_, let sub) = node.kind { try check(sub) }
                var expressions: [BoundExpr] = []
                node.kind.forEachExpression { expressions.append($0) }
                for e in expressions where !ConstantFolder.mayFold(e) {
                    #expect(String(describing: try ConstantFolder.fold(e)) == String(describing: e))
                }
            }
        }
        try check(plan.root)
    }

    @Test func onlyExpressionsWithAConstantPartMayFold() throws {
        func filter(_ text: String) throws -> BoundExpr {
            let plan = try QueryPlanner.plan(
                Parser.parse(text), catalog: QueryPlannerTests.Catalog(), bindVars: [:],
                options: .init(optimizerRules: ["-all"]))
            for node in plan.root.nodes { if case .filter(let e) = node.kind { return e } }
            throw LocusError(.internalError, "no filter in \(text)")
        }
        #expect(!ConstantFolder.mayFold(try filter("FOR u IN users FILTER u.age > 3 RETURN u")))
        #expect(ConstantFolder.mayFold(try filter("FOR u IN users FILTER u.age > 2 * 3 RETURN u")))
        #expect(ConstantFolder.mayFold(try filter("FOR u IN users FILTER u.tags ANY == LOWER('A') RETURN u")))
    }
}
