// The plan cache: a repeated query reuses its plan, but never across a catalog change made by
// any connection (collections, indexes, graphs), and never for other bind values.

import Foundation
import Testing
@testable import Locus
import LocusValues

@Suite struct PlanCacheTests {
    func tempPath() -> String { NSTemporaryDirectory() + "locus-plans-\(UUID().uuidString).db" }

    @Test func repeatedQueriesReuseTheirPlan() throws {
        let db = try Database.inMemory()
        try db.createCollection("u")
        try db.query("FOR i IN 1..5 INSERT {_key: CONCAT('k', i), n: i} INTO u")
        let before = db.plans.withLock { $0.count }
        for _ in 0..<3 {
            #expect(try db.query("FOR x IN u FILTER x.n > @m RETURN x.n", bindVars: ["m": 3]).rows.count == 2)
        }
        #expect(db.plans.withLock { $0.count } == before + 1)
        // Other bind values are another plan, and give their own answer.
        #expect(try db.query("FOR x IN u FILTER x.n > @m RETURN x.n", bindVars: ["m": 1]).rows.count == 4)
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
        // Queries with huge bind values are not kept.
        let count = db.plans.withLock { $0.count }
        try db.query("RETURN LENGTH(@big)", bindVars: ["big": .string(String(repeating: "x", count: 70_000))])
        #expect(db.plans.withLock { $0.count } == count)
        // A bind error is not cached: supplying the value later works.
        #expect(throws: LocusError.self) { try db.query("RETURN @missing") }
        #expect(try db.query("RETURN @missing", bindVars: ["missing": 7]).rows == [7])
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
        let path = tempPath()
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
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
