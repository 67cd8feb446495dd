// Query workers through the embedding API: checked when saved, run with defaults and
// overrides, listed, dropped, and replicated to every PoP of a fabric as catalog entries
// (save, update and drop), with concurrent saves converging on one definition.

import Locus
import Testing

@Suite struct QueryWorkerTests {
    func database() throws -> Database {
        let db = try Database.inMemory()
        try db.createCollection("users")
        try db.query("FOR i IN 1..10 INSERT {_key: TO_STRING(i), age: i * 10} INTO users")
        return db
    }

    @Test func savedWorkersRunWithDefaultsAndOverrides() throws {
        let db = try database()
        try db.saveQueryWorker(
            QueryWorker(
                name: "olderThan", query: "FOR u IN users FILTER u.age > @min SORT u.age RETURN u.age",
                parameters: ["min": 80]))
        #expect(try db.runQueryWorker("olderThan").rows == [90, 100])
        #expect(try db.runQueryWorker("olderThan", bindVars: ["min": 95]).rows == [100])
        #expect(try db.queryWorkers().map(\.name) == ["olderThan"])
        #expect(try db.queryWorker("olderThan")?.parameters == ["min": 80])
        try db.saveQueryWorker(
            QueryWorker(name: "olderThan", query: "RETURN @min", parameters: ["min": 1]), replacing: true)
        #expect(try db.runQueryWorker("olderThan").rows == [1])
        try db.dropQueryWorker("olderThan")
        #expect(try db.queryWorkers().isEmpty)
    }

    @Test func badWorkersAreRefusedWhenSaved() throws {
        let db = try database()
        func code(_ body: () throws -> Void) -> Int? {
            do { try body(); return nil } catch let e as LocusError { return e.code.number } catch { return -1 }
        }
        // A syntax error, with its position.
        do {
            try db.saveQueryWorker(QueryWorker(name: "broken", query: "FOR u IN users\nRETURN"))
            Issue.record("saved a broken query")
        } catch let e as LocusError {
            #expect(e.code.number == 1501)
            #expect(e.position?.line == 2)
        }
        #expect(
            code { try db.saveQueryWorker(QueryWorker(name: "extra", query: "RETURN @a", parameters: ["b": 1])) }
                == 1552)
        #expect(code { try db.saveQueryWorker(QueryWorker(name: "9lives", query: "RETURN 1")) } == 1208)
        #expect(code { try db.saveQueryWorker(QueryWorker(name: "a b", query: "RETURN 1")) } == 1208)
        try db.saveQueryWorker(QueryWorker(name: "once", query: "RETURN 1"))
        #expect(code { try db.saveQueryWorker(QueryWorker(name: "once", query: "RETURN 2")) } == 1207)
        #expect(code { try db.saveQueryWorker(QueryWorker(name: "never", query: "RETURN 2"), replacing: true) } == 404)
        #expect(code { try db.dropQueryWorker("never") } == 404)
        #expect(code { _ = try db.runQueryWorker("never") } == 404)
        // An empty default must be supplied by the caller.
        try db.saveQueryWorker(QueryWorker(name: "needs", query: "RETURN @x", parameters: ["x": ""]))
        #expect(code { _ = try db.runQueryWorker("needs") } == 1551)
        #expect(try db.runQueryWorker("needs", bindVars: ["x": 7]).rows == [7])
        #expect(try db.queryWorkers().map(\.name) == ["needs", "once"])
    }

    @Test func workersReplicateToEveryPoP() throws {
        let fabric = try TestFabrics.named("pair")
        let a = try Database.inMemory(), b = try Database.inMemory()
        // A worker saved before replication was enabled travels too.
        try a.saveQueryWorker(QueryWorker(name: "early", query: "RETURN 0"))
        try a.enableReplication(pop: "fra", fabric: fabric)
        try b.enableReplication(pop: "iad", fabric: fabric)
        try a.saveQueryWorker(QueryWorker(name: "count", query: "RETURN @n", parameters: ["n": 1]))
        try b.pull(a)
        #expect(try b.queryWorkers().map(\.name) == ["count", "early"])
        #expect(try b.runQueryWorker("count").rows == [1])
        // An update at one PoP and a drop at the other: the later stamp wins everywhere.
        try b.saveQueryWorker(QueryWorker(name: "count", query: "RETURN @n", parameters: ["n": 2]), replacing: true)
        try a.pull(b)
        #expect(try a.runQueryWorker("count").rows == [2])
        try a.dropQueryWorker("early")
        try b.pull(a)
        #expect(try b.queryWorker("early") == nil)
        // Concurrent saves of one name converge on a single definition.
        try a.saveQueryWorker(QueryWorker(name: "race", query: "RETURN 'a'"))
        try b.saveQueryWorker(QueryWorker(name: "race", query: "RETURN 'b'"))
        try a.pull(b)
        try b.pull(a)
        #expect(try a.queryWorker("race") == b.queryWorker("race"))
        #expect(try a.queryWorkers() == b.queryWorkers())
    }
}
