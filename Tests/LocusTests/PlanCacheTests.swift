// The plan cache: a repeated query reuses its plan, but never across a catalog change made by
// any connection (collections, indexes, graphs); other values of its value parameters share a
// generic plan only when it has the shape of the plan for the values.

import Foundation
import Testing
@testable import Locus
import LocusValues
import LocusTestSupport

@Suite struct PlanCacheTests {
    @Test func repeatedQueriesReuseTheirPlan() throws {
        let db = try Database.inMemory()
        try db.createCollection("u")
        try db.query("FOR i IN 1..5 INSERT {_key: CONCAT('k', i), n: i} INTO u")
        let before = db.plans.withLock { $0.count }
        for _ in 0..<3 {
            #expect(try db.query("FOR x IN u FILTER x.n > @m RETURN x.n", bindVars: ["m": 3]).rows.count == 2)
        }
        #expect(db.plans.withLock { $0.count } == before + 1)
        // Other values are another plan, a generic one (the value parameter prepared), which
        // every further value shares, each with its own answer.
        #expect(try db.query("FOR x IN u FILTER x.n > @m RETURN x.n", bindVars: ["m": 1]).rows.count == 4)
        #expect(db.plans.withLock { $0.count } == before + 2)
        #expect(try db.query("FOR x IN u FILTER x.n > @m RETURN x.n", bindVars: ["m": 4]).rows.count == 1)
        #expect(db.plans.withLock { $0.count } == before + 2)
        // Bind values that differ only in attribute order keep their own order.
        #expect(
            try db.query("RETURN @o", bindVars: ["o": ["a": 1, "b": 2]]).rows.map(JSONWriter.string) == [
                #"{"a":1,"b":2}"#
            ])
        #expect(
            try db.query("RETURN @o", bindVars: ["o": ["b": 2, "a": 1]]).rows.map(JSONWriter.string) == [
                #"{"b":2,"a":1}"#
            ])
        // A plan that holds a huge bind value is not kept; a generic plan does not hold it.
        let count = db.plans.withLock { $0.count }
        let big = Value.string(String(repeating: "x", count: 70_000))
        #expect(try db.query("RETURN {}.@big", bindVars: ["big": big]).rows == [.null])
        #expect(db.plans.withLock { $0.count } == count)
        #expect(try db.query("RETURN LENGTH(@big)", bindVars: ["big": big]).rows == [70_000])
        #expect(db.plans.withLock { $0.count } == count, "the first plan holds the value")
        #expect(try db.query("RETURN LENGTH(@big)", bindVars: ["big": "xy"]).rows == [2])
        #expect(db.plans.withLock { $0.count } == count + 1, "the generic plan does not")
        // A bind error is not cached: supplying the value later works.
        #expect(throws: LocusError.self) { try db.query("RETURN @missing") }
        #expect(try db.query("RETURN @missing", bindVars: ["missing": 7]).rows == [7])
    }

    @Test func aFullCacheLetsTheLeastRecentlyUsedPlansGo() throws {
        let db = try Database.inMemory()
        func isCached(_ text: String) -> Bool {
            let key = PlanKey.pair(text: text, bindVars: [:], options: QueryOptions()).specific
            return db.plans.withLock { $0.entry(key) } != nil
        }
        for i in 0..<(3 * PlanCache.capacity) {
            #expect(try db.query("RETURN \(i)").rows == [.int(i)])
            // Run after every other query: never among the least recently used.
            #expect(try db.query("RETURN 'kept'").rows == ["kept"])
            #expect(db.plans.withLock { $0.count } <= PlanCache.capacity)
        }
        #expect(isCached("RETURN 'kept'"))
        #expect(isCached("RETURN \(3 * PlanCache.capacity - 1)"))
        #expect(!isCached("RETURN 0"))
    }

    @Test func preparedParametersShareOnePlanAndKeepTheirValues() throws {
        let db = try Database.inMemory()
        try db.createCollection("u")
        var options = QueryOptions()
        options.preparedParameters = ["doc", "key"]
        let insert = "INSERT @doc INTO @@c OPTIONS {overwriteMode: \"update\"} RETURN {new: NEW, old: OLD}"
        let before = db.plans.withLock { $0.count }
        for i in 0..<5 {
            let row = try db.query(
                insert, bindVars: ["@c": "u", "doc": ["_key": .string("k\(i % 3)"), "n": .int(i)]], options: options
            ).rows[0]
            #expect(row[attribute: "new"][attribute: "n"] == .int(i))
            #expect(row[attribute: "old"].isNull == (i < 3), "the third insert onwards updates")
        }
        #expect(db.plans.withLock { $0.count } == before + 1, "one plan for every document")
        let remove = "REMOVE @key IN @@c RETURN OLD.n"
        #expect(try db.query(remove, bindVars: ["@c": "u", "key": "k0"], options: options).rows == [3])
        #expect(try db.query(remove, bindVars: ["@c": "u", "key": ["_key": "k1"]], options: options).rows == [4])
        #expect(throws: LocusError.self) { try db.query(remove, bindVars: ["@c": "u", "key": "k1"], options: options) }
        // A prepared parameter in a subquery and in an expression reads the same value.
        #expect(
            try db.query(
                "LET x = (FOR i IN 1..2 RETURN i * @doc) RETURN [x, @doc + 1]", bindVars: ["doc": 10], options: options
            ).rows
                == [[[10, 20], 11]])
        // Where a name is expected (an attribute, a collection), a prepared parameter is refused.
        #expect(throws: LocusError.self) { try db.query("RETURN {}.@doc", bindVars: ["doc": "a"], options: options) }
        #expect(
            try db.query("RETURN {[@key]: 1}", bindVars: ["key": "a"], options: options).rows == [["a": 1]],
            "a computed name is a value")
        // Without the option, a bind value is a constant as before.
        #expect(try db.query("RETURN {}.@doc", bindVars: ["doc": "a"]).rows == [.null])
    }

    /// The number of plans kept after running `query` with each of `values` as `@v`, checking
    /// each answer against the same query with the value written in.
    func plansKept(_ db: Database, _ query: String, _ values: [Value], compare: Bool = true) throws -> Int {
        var expected: [QueryResult] = []
        for v in values where compare {
            let literal = query.replacingOccurrences(of: "@v", with: JSONWriter.string(v))
            expected.append(try db.query(literal, options: QueryOptions(optimizerRules: ["-all"])))
        }
        let before = db.plans.withLock { $0.count }
        for (i, v) in values.enumerated() {
            let got = try db.query(query, bindVars: ["v": v])
            guard compare else { continue }
            #expect(got.rows == expected[i].rows, "\(query) with @v = \(JSONWriter.string(v))")
            #expect(got.warnings.map(\.code) == expected[i].warnings.map(\.code))
        }
        return db.plans.withLock { $0.count } - before
    }

    @Test func valueParametersShareAGenericPlanWhenItHasTheSameShape() throws {
        let db = try Database.inMemory()
        try db.createCollection("u")
        try db.query("FOR i IN 1..20 INSERT {_key: CONCAT('k', i), n: i, s: i % 3 == 0 ? null : i} INTO u")
        try db.createIndex(collection: "u", fields: ["n"])
        try db.createIndex(collection: "u", fields: ["s"], sparse: true)
        let keys: [Value] = ["k1", "k7", "nope", 3, .null, ["k2", "k3"]]
        #expect(try plansKept(db, "FOR d IN u FILTER d._key == @v RETURN d.n", keys) == 2)
        #expect(try plansKept(db, "FOR d IN u FILTER d._key IN @v RETURN d.n", [["k1", "k4"], [], "k1"]) == 2)
        #expect(try plansKept(db, "FOR d IN u FILTER d.n >= @v SORT d.n RETURN d.n", [18, 19.5, "a", .null]) == 2)
        #expect(try plansKept(db, "LET x = (FOR i IN [1, 2, 3] RETURN i * @v) RETURN [x, @v + 1]", [2, "x", 3]) == 2)
        #expect(
            try db.query("FOR d IN u FILTER d._key == @v RETURN d.n", bindVars: ["v": "k9"]).stats.scannedIndex == 1)
        // A query run once plans once.
        let before = db.plans.withLock { $0.count }
        #expect(try db.query("FOR d IN u FILTER d._key == @k RETURN d.n", bindVars: ["k": "k5"]).rows == [5])
        #expect(db.plans.withLock { $0.count } == before + 1)
        // A plan that depends on the value keeps one plan per value: a LIMIT, an attribute name,
        // a sparse index usable only for a value that is not null, a FILTER folded away.
        #expect(try plansKept(db, "FOR d IN u SORT d.n LIMIT @v RETURN d.n", [2, 3, 4]) == 3)
        #expect(
            try plansKept(db, "FOR d IN u FILTER d.@v == 3 RETURN d._key", ["n", "s", "_key"], compare: false) == 3)
        #expect(try plansKept(db, "FOR d IN u FILTER d.s == @v RETURN d._key", [4, 5, 7]) == 3)
        #expect(try plansKept(db, "FOR d IN u FILTER @v RETURN d._key", [false, 0, true]) == 3)
        // A `@@` parameter stays a name, so each collection has its plan.
        try db.createCollection("w")
        let perCollection = "FOR d IN @@c FILTER d._key == @k RETURN d"
        let start = db.plans.withLock { $0.count }
        for c in ["u", "w", "u", "w"] { try db.query(perCollection, bindVars: ["@c": .string(c), "k": "k1"]) }
        #expect(db.plans.withLock { $0.count } == start + 2)
        // A collection given under a value parameter's name is still a collection.
        #expect(try db.query("FOR d IN @@c FILTER d._key == 'k2' RETURN d.n", bindVars: ["c": "u"]).rows == [2])
    }

    /// The constant folder leaves an expression that would warn or fail for the run, so a
    /// plan for values and the generic plan evaluate it alike: values that warn, values that
    /// do not, in and out of loops, give the literal query's rows and warnings from one generic
    /// plan.
    @Test func valuesThatWarnAnswerAsTheLiteralQueryDoesFromTheGenericPlan() throws {
        let db = try Database.inMemory()
        try db.createCollection("u")
        try db.query("FOR i IN 1..3 INSERT {_key: CONCAT('k', i), n: i} INTO u")
        let queries = [
            "FOR i IN [1, 2, 3] RETURN i + 10 / @v",
            "FOR d IN u SORT d.n RETURN [d.n, d.n % (@v - 1)]",
            "FOR d IN u FILTER d._key == CONCAT('k', @v) RETURN d.n",
            "FOR d IN u FILTER d.n IN 1..@v SORT d.n RETURN d.n",
            "FOR d IN [] RETURN 1 / @v",
            "RETURN [REGEX_TEST('a', @v), DATE_YEAR(@v), 5 % @v]",
        ]
        let values: [Value] = [1, 2, 0, 0, 3, "(", "2024-02-30", .null]
        for q in queries {
            let literals = try values.map {
                try db.query(q.replacingOccurrences(of: "@v", with: JSONWriter.string($0)))
            }
            let before = db.plans.withLock { $0.count }
            for (v, literal) in zip(values, literals) {
                let bound = try db.query(q, bindVars: ["v": v])
                #expect(bound.rows == literal.rows, "\(q) with @v = \(v)")
                #expect(bound.warnings.map(\.code) == literal.warnings.map(\.code), "\(q) with @v = \(v)")
            }
            #expect(db.plans.withLock { $0.count } - before == 2, "\(q): the first values' plan, then the generic one")
        }
    }

    @Test func whetherATextWritesIsKeptByText() throws {
        let db = try Database.inMemory()
        for _ in 0..<2 {
            #expect(try db.writes(query: "FOR i IN 1..2 INSERT {i} INTO u") == true)
            #expect(try db.writes(query: "FOR d IN u RETURN d") == false)
            #expect(try db.writes(query: "FOR d IN u FILTER d.x UPDATE d WITH {y: 1} IN u") == true)
        }
        #expect(db.writingTexts.withLock { $0.count } == 3)
        // A text that does not parse throws its error each time and is not kept.
        for _ in 0..<2 {
            #expect(throws: LocusError.self) { try db.writes(query: "FOR d IN u RETURN") }
        }
        #expect(db.writingTexts.withLock { $0.count } == 3)
    }

    @Test func catalogChangesRetirePlans() throws {
        let db = try Database.inMemory()
        try db.createCollection("u")
        try db.query("FOR i IN 1..20 INSERT {n: i} INTO u")
        let q = "FOR x IN u FILTER x.n == 3 RETURN x.n"
        #expect(try db.query(q).stats.scannedIndex == 0)
        try db.createIndex(collection: "u", fields: ["n"])
        #expect(try db.query(q).stats.scannedIndex == 1, "the new index is used")
        try db.dropCollection("u")
        #expect(throws: LocusError.self) { try db.query(q) }
    }

    @Test func graphChangesRetirePlans() throws {
        let db = try Database.inMemory()
        try db.createGraph("g", edgeDefinitions: [["collection": "e1", "from": ["v"], "to": ["v"]]])
        try db.createCollection("e2", type: .edge)
        try db.query("FOR k IN ['a', 'b', 'c'] INSERT {_key: k} INTO v")
        try db.query("INSERT {_from: 'v/a', _to: 'v/b'} INTO e1")
        try db.query("INSERT {_from: 'v/a', _to: 'v/c'} INTO e2")
        let q = "FOR x IN 1..1 OUTBOUND 'v/a' GRAPH 'g' RETURN x._key"
        #expect(try db.query(q).rows == ["b"])
        try db.dropGraph("g")
        #expect(throws: LocusError.self) { try db.query(q) }
        try db.createGraph("g", edgeDefinitions: [["collection": "e2", "from": ["v"], "to": ["v"]]])
        #expect(try db.query(q).rows == ["c"])
    }

    @Test func changesByAnotherConnectionRetirePlans() throws {
        let path = ScratchDatabase.path("plans")
        defer { ScratchDatabase.remove(path) }
        let a = try Database(path: path)
        try a.createCollection("u")
        try a.query("FOR i IN 1..20 INSERT {n: i} INTO u")
        let q = "FOR x IN u FILTER x.n == 3 RETURN x.n"
        #expect(try a.query(q).stats.scannedIndex == 0)
        let b = try Database(path: path)
        try b.createIndex(collection: "u", fields: ["n"])
        #expect(try a.query(q).stats.scannedIndex == 1)
        try b.createGraph("g", edgeDefinitions: [["collection": "e", "from": ["u"], "to": ["u"]]])
        let traversal = "FOR x IN 1..1 OUTBOUND 'u/none' GRAPH 'g' RETURN x"
        #expect(try a.query(traversal).rows.isEmpty)
        try b.dropGraph("g")
        #expect(throws: LocusError.self) { try a.query(traversal) }
    }
}
