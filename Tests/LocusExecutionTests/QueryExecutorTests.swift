// The executor on its own, over an in-memory Storage and plans from the planner: reads and
// writes with their statistics, DATE_NOW() from the storage's clock, TTL expiry before a
// writing query, and a failing modification that leaves no trace.

import Testing
import LocusErrors
import LocusExecution
import LocusPlanner
import LocusStorage
import LocusSyntax
import LocusValues

@Suite struct QueryExecutorTests {
    final class Clock: WallClock, @unchecked Sendable {
        var seconds: Double
        init(_ seconds: Double) { self.seconds = seconds }
        func now() -> Double { seconds }
    }

    struct Engine {
        let storage: Storage
        init() throws { storage = try Storage(path: ":memory:") }

        /// Plans and runs `text` in one transaction, as the facade does.
        func run(_ text: String, bind: [String: Value] = [:]) throws -> (
            rows: [Value], stats: ExecutionStats, warnings: [(code: Int, message: String)]
        ) {
            let query = try Parser.parse(text)
            return try storage.transaction(write: query.containsWrites) {
                let plan = try QueryPlanner.plan(
                    query, catalog: StorageCatalog(storage: storage), bindVars: bind, options: .init())
                let executor = QueryExecutor(storage: storage, plan: plan, options: ExecutionOptions())
                let rows = try executor.run()
                return (rows, executor.stats, executor.warnings)
            }
        }
    }

    @Test func readsAndWritesWithStatistics() throws {
        let e = try Engine()
        _ = try e.storage.createCollection("users", type: .document)
        let inserted = try e.run("FOR i IN 1..5 INSERT {_key: TO_STRING(i), n: i} INTO users")
        #expect(inserted.stats.writesExecuted == 5)
        let read = try e.run("FOR u IN users FILTER u.n >= @lo SORT u.n DESC RETURN u.n", bind: ["lo": .int(3)])
        #expect(read.rows == [.int(5), .int(4), .int(3)])
        #expect(read.stats.scannedFull == 5)
        let byKey = try e.run("RETURN DOCUMENT('users/2').n")
        #expect(byKey.rows == [.int(2)])
    }

    @Test func dateNowReadsTheStoragesClock() throws {
        let e = try Engine()
        e.storage.wallClock = Clock(1_234_567.891)
        #expect(try e.run("RETURN DATE_NOW()").rows == [.int(1_234_567_891)])
    }

    @Test func aWritingQueryRemovesExpiredEntriesFirst() throws {
        let e = try Engine()
        let clock = Clock(1_000)
        e.storage.wallClock = clock
        _ = try e.storage.createCollection("cache", type: .kv)
        _ = try e.run("INSERT {_key: 'a', value: 1, expireAt: 1010} INTO cache")
        _ = try e.run("INSERT {_key: 'b', value: 2, expireAt: 5000} INTO cache")
        clock.seconds = 2_000
        // The same key again: the expired entry is gone before the insert checks uniqueness.
        let again = try e.run("INSERT {_key: 'a', value: 3} INTO cache")
        #expect(again.stats.writesExecuted == 1)
        #expect(
            try e.run("FOR c IN cache SORT c._key RETURN [c._key, c.value]").rows
                == [.array([.string("a"), .int(3)]), .array([.string("b"), .int(2)])])
    }

    @Test func aFailingModificationLeavesNoTrace() throws {
        let e = try Engine()
        _ = try e.storage.createCollection("users", type: .document)
        _ = try e.run("INSERT {_key: 'taken'} INTO users")
        do {
            _ = try e.run("FOR k IN ['new1', 'new2', 'taken'] INSERT {_key: k} INTO users")
            Issue.record("a duplicate key was accepted")
        } catch let error as LocusError {
            #expect(error.code.number == 1210)
        }
        #expect(try e.run("FOR u IN users RETURN u._key").rows == [.string("taken")])
    }
}
