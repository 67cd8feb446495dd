// The hot row statements: each compiles against the tables it is for, the connection hands
// back the one it cached for a table (and a fresh one while that is still stepping), and a
// key-value entry's liveness is a parameter of the statement, not part of its text.

import Testing
@testable import LocusStorage
import LocusValues

@Suite struct TableStatementTests {
    @Test func everyStatementCompilesForItsTables() throws {
        let s = try Storage(path: ":memory:")
        let tables: [CollectionType: CollectionInfo] = [
            .document: try s.createCollection("d", type: .document),
            .edge: try s.createCollection("e", type: .edge),
            .kv: try s.createCollection("k", type: .kv),
        ]
        let index = try s.createIndex(collection: "d", type: .persistent, fields: ["a"])
        let forDocuments: [TableStatement] = [.lookup, .exists, .insertDocument, .updateDocument, .delete]
        let forEntries: [TableStatement] = [.lookupLive, .existsLive, .insertEntry, .updateEntry, .delete]
        let forEdges: [TableStatement] = [.lookup, .exists, .insertEdge, .updateEdge, .delete]
        let forIndexes: [TableStatement] = [.addEntry, .removeEntry, .conflictingEntry]
        for (type, statements) in [(CollectionType.document, forDocuments), (.kv, forEntries), (.edge, forEdges)] {
            let c = tables[type]!
            for statement in statements { _ = try s.sql.prepare(statement, id: c.id, table: c.table) }
        }
        for statement in forIndexes { _ = try s.sql.prepare(statement, id: index.id, table: index.table) }
        #expect(Set(forDocuments + forEntries + forEdges + forIndexes).count == TableStatement.allCases.count)
    }

    @Test func aCachedStatementIsReusedUnlessStillStepping() throws {
        let s = try Storage(path: ":memory:")
        let c = try s.createCollection("d", type: .document)
        try s.insert(c, ["_key": .string("a")])
        try s.insert(c, ["_key": .string("b")])
        let first = try s.sql.prepare(.lookup, id: c.id, table: c.table)
        #expect(try s.sql.prepare(.lookup, id: c.id, table: c.table) === first)
        first.bind(1, "a")
        #expect(try first.step())
        let nested = try s.sql.prepare(.lookup, id: c.id, table: c.table)
        #expect(nested !== first)
        first.reset()
        // Another table's statement of the same kind is its own.
        let other = try s.createCollection("o", type: .document)
        #expect(try s.sql.prepare(.lookup, id: other.id, table: other.table) !== first)
    }

    @Test func expiredEntriesAreAbsentWhateverTheTime() throws {
        let s = try Storage(path: ":memory:")
        let k = try s.createCollection("k", type: .kv)
        let clock = StepClock(1_000)
        s.wallClock = clock
        try s.insert(k, ["_key": .string("x"), "value": .int(1), "expireAt": .int(1_500)])
        #expect(try s.exists(k, key: "x"))
        clock.advance(by: 1_000)
        #expect(try !s.exists(k, key: "x"))
        #expect(try s.get(k, key: "x") == nil)
    }
}
