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
        let forDocuments: [TableStatement] = [
            .lookup, .exists, .scan, .count, .insertDocument, .updateDocument, .delete,
        ]
        let forEntries: [TableStatement] = [
            .lookupLive, .existsLive, .scanLive, .countLive, .insertEntry, .updateEntry, .delete,
        ]
        let forEdges: [TableStatement] = [.lookup, .exists, .scan, .count, .insertEdge, .updateEdge, .delete]
        let forIndexes: [TableStatement] = [.addEntry, .removeEntry, .conflictingEntry]
        for (type, statements) in [(CollectionType.document, forDocuments), (.kv, forEntries), (.edge, forEdges)] {
            let c = tables[type]!
            for statement in statements { _ = try s.sql.prepare(statement, id: c.id, table: c.table) }
        }
        for statement in forIndexes { _ = try s.sql.prepare(statement, id: index.id, table: index.table) }
        #expect(Set(forDocuments + forEntries + forEdges + forIndexes).count == TableStatement.allCases.count)
    }

    @Test func everyIndexRangeReadCompilesAndReadsItsRange() throws {
        let s = try Storage(path: ":memory:")
        let k = try s.createCollection("k", type: .kv)
        for i in 1...5 { try s.insert(k, ["_key": .string("e\(i)"), "value": .int(i)]) }
        let index = try s.createIndex(collection: "k", type: .persistent, fields: ["value"])
        let lower = IndexKey.encode([.int(2)]), upper = IndexKey.encode([.int(4)])
        var numbers = Set<Int>()
        for documents in [false, true] {
            for hasLower in [false, true] {
                for hasUpper in [false, true] {
                    for descending in [false, true] {
                        let statement = IndexRangeStatement(
                            documents: documents, lower: hasLower, upper: hasUpper, descending: descending,
                            live: documents)
                        numbers.insert(statement.number)
                        let range = IndexRange(lower: hasLower ? lower : nil, upper: hasUpper ? upper : nil)
                        var read: [String] = []
                        if documents {
                            try s.indexDocuments(index, of: k, range: range, descending: descending) {
                                read.append(try JSONReader.parseStored($0)[attribute: "_key"].stringValue ?? "")
                                return true
                            }
                        } else {
                            try s.indexEntries(index, range: range, descending: descending) { _, key in
                                read.append(key)
                                return true
                            }
                        }
                        var expected = (1...5).filter { (!hasLower || $0 >= 2) && (!hasUpper || $0 < 4) }.map {
                            "e\($0)"
                        }
                        if descending { expected.reverse() }
                        #expect(read == expected, "\(statement)")
                    }
                }
            }
        }
        #expect(numbers.count == 16 && numbers.allSatisfy { $0 < IndexRangeStatement.count })
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
