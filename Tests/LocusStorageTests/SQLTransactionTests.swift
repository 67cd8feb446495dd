// The connection's transaction: a statement's savepoint undoes its rows and its bytes alone, a
// reader's snapshot keeps what it saw while a writer commits, and a reader cannot write.

import Testing
@testable import LocusStorage
import LocusTestSupport
import LocusErrors
import LocusValues

@Suite struct SQLTransactionTests {
    @Test func anUndoneStatementTakesItsRowsAndBytesWithIt() throws {
        let s = try Storage(path: ":memory:")
        let c = try s.createCollection("c", type: .document)
        s.transactionSizeLimit = 10_000
        try s.begin(write: true)
        #expect(s.inTransaction)
        try s.insert(c, ["_key": .string("kept")])
        let before = s.transaction.size.written
        try s.beginStatement()
        try s.insert(c, ["_key": .string("undone"), "pad": .string(String(repeating: "x", count: 500))])
        #expect(s.transaction.size.written > before + 500)
        s.rollbackStatement()
        #expect(s.transaction.size.written == before)
        #expect(s.inTransaction)
        try s.commit()
        #expect(!s.inTransaction)
        #expect(try s.get(c, key: "kept") != nil && s.get(c, key: "undone") == nil)
    }

    @Test func aReadersSnapshotHoldsWhileAWriterCommits() throws {
        let path = ScratchDatabase.path("tx")
        defer { ScratchDatabase.remove(path) }
        let writer = try Storage(path: path)
        let c = try writer.createCollection("c", type: .document)
        try writer.transaction(write: true) { _ = try writer.insert(c, ["_key": .string("a")]) }
        let reader = try Storage(path: path, reader: true)
        #expect(throws: LocusError.self) { try reader.begin(write: true) }
        #expect(!reader.inTransaction)
        try reader.begin(write: false)
        let seen = try reader.requireCollection("c")
        try writer.transaction(write: true) { _ = try writer.insert(c, ["_key": .string("b")]) }
        #expect(try reader.count(seen) == 1)
        try reader.commit()
        try reader.begin(write: false)
        #expect(try reader.count(seen) == 2)
        reader.rollback()
        #expect(!reader.inTransaction)
    }
}
