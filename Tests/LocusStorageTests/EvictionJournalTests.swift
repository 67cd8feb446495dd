// The eviction journal's emptiness, which a write at a PoP asks before it looks a record up by
// digest: kept for the length of a transaction, where only this connection can journal, and
// asked again in the next, where another connection may have.

import Testing
@testable import LocusStorage
import LocusTestSupport

@Suite struct EvictionJournalTests {
    @Test func emptinessIsKeptOnlyWithinATransaction() throws {
        let path = ScratchDatabase.path("journal")
        defer { ScratchDatabase.remove(path) }
        let here = try Storage(path: path)
        try here.enableReplica(pop: "fra", epoch: "e1")
        let other = try Storage(path: path)

        try here.begin(write: true)
        #expect(try here.evictions.mayHoldEntries(inTransaction: true) == false)
        try here.evictions.record(digest: "d1", coll: 1, cl: 2, newest: 7, at: 0)
        #expect(try here.evictions.mayHoldEntries(inTransaction: true))
        here.rollback()

        try here.begin(write: false)
        #expect(try here.evictions.mayHoldEntries(inTransaction: true) == false)
        try here.commit()
        // Another connection journals between this one's transactions.
        try other.begin(write: true)
        try other.evictions.record(digest: "d2", coll: 1, cl: 2, newest: 7, at: 0)
        try other.commit()
        try here.begin(write: false)
        #expect(try here.evictions.mayHoldEntries(inTransaction: true))
        #expect(try here.evictions.entry(digest: "d2")?.cl == 2)
        try here.commit()
    }
}
