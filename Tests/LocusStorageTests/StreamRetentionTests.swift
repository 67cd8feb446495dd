// The change stream keeps its newest entries: a position older than the pruned part is
// refused with a message that says where to resume, and positions inside it still read.

import Foundation
import Testing
import LocusErrors
@testable import LocusStorage
@testable import LocusValues

@Suite struct StreamRetentionTests {
    @Test func positionsOlderThanTheStreamHoldsAreRefused() throws {
        let s = try Storage(path: ":memory:")
        try s.enableReplica(pop: "fra", epoch: "e1")
        s.streamRetention = 16
        let c = try s.createCollection("t", type: .document)
        for i in 1...40 { _ = try s.transaction(write: true) { try s.insert(c, ["_key": .string("k\(i)")]) } }
        #expect(try s.streamPosition() == 40)
        // Pruned in steps of two: 40 - 16 = 24 are gone.
        do {
            _ = try s.streamEntries(collection: "t", after: 0, limit: 100)
            Issue.record("an old position was accepted")
        } catch let e as LocusError {
            #expect(e.code.number == 10)
            #expect(e.message.contains("older than the oldest change") && e.message.contains("follow from 40"))
        }
        let kept = try s.streamEntries(collection: "t", after: 24, limit: 100)
        #expect(kept.map(\.key) == (25...40).map { "k\($0)" })
        #expect(kept.allSatisfy { $0.operation == .insert })
    }
}
