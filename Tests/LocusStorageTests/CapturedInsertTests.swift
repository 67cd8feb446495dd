// A PoP's bulk insert queues each document's clock and change-stream entry with its row: what
// it records must be exactly what inserting the documents one by one records (feed order,
// causal lengths, stream entries), a failing batch must leave none of it, and a batch that
// passes a pruning step must prune the stream.

import Testing
import LocusErrors
@testable import LocusStorage
@testable import LocusValues

@Suite struct CapturedInsertTests {
    /// A PoP's storage with the collection `t`, where the key `back` lived and was removed:
    /// feed and stream positions 1 and 2.
    func pop(retention: Int = ChangeStream.defaultRetention) throws -> (Storage, CollectionInfo) {
        let s = try Storage(path: ":memory:")
        try s.enableReplica(pop: "fra", epoch: "e1")
        s.streamRetention = retention
        let c = try s.createCollection("t", type: .document)
        let afterCreating = try s.streamPosition()
        try s.transaction(write: true) { _ = try s.insert(c, ["_key": "back", "n": 0]) }
        try s.transaction(write: true) { _ = try s.remove(c, key: "back") }
        #expect(try s.streamPosition() == afterCreating + 2)
        return (s, c)
    }

    /// More documents than one batch holds, the last a key that lived before.
    let documents: [Object] =
        (1...150).map { ["_key": .string("k\($0)"), "n": .number(Double($0))] } + [["_key": "back", "n": -1]]

    struct Recorded: Equatable {
        var feed: [String]
        var stream: [String]
    }

    func record(batched: Bool) throws -> Recorded {
        let (s, c) = try pop()
        let before = try s.changes(after: 0, limit: 10_000).upTo
        let streamBefore = try s.streamPosition()
        try s.transaction(write: true) {
            for d in documents { _ = try s.insert(c, d, returning: false, batched: batched) }
        }
        let page = try s.changes(after: before, limit: 10_000)
        let entries = try s.streamEntries(collection: "t", after: streamBefore, limit: 10_000)
        // Positions are relative, and `_rev` is a clock reading: everything else must agree. (A
        // page leads with the catalog entries of the collections it names.)
        return Recorded(
            feed: page.changes.filter { $0.collection == "t" }.map {
                "\($0.sequence - before) \($0.key) cl \($0.causalLength) \($0.stamp.site)"
            },
            stream: entries.map {
                var doc = $0.document?.objectValue ?? [:]
                doc["_rev"] = nil
                return "\($0.position - streamBefore) \($0.key) \($0.operation) \(Value.object(doc))"
            })
    }

    @Test func aBatchRecordsWhatOneByOneInsertsRecord() throws {
        let batched = try record(batched: true)
        #expect(batched == (try record(batched: false)))
        #expect(batched.feed.count == documents.count && batched.stream.count == documents.count)
        #expect(batched.feed.first == "1 k1 cl 1 fra")
        // The key that lived and was removed starts its second life.
        #expect(batched.feed.last == "151 back cl 3 fra")
        #expect(batched.stream.last?.hasPrefix("151 back insert") == true)
    }

    /// A feed page of a PoP that holds `documents` and one nested document.
    func senderPage() throws -> ChangeFeedPage {
        let sender = try Storage(path: ":memory:")
        try sender.enableReplica(pop: "fra", epoch: "e1")
        let c = try sender.createCollection("t", type: .document)
        try sender.transaction(write: true) {
            for d in documents { _ = try sender.insert(c, d, returning: false, batched: true) }
            _ = try sender.insert(c, ["_key": "nested", "o": ["p": [1, "x"]], "s": "a\"b"])
        }
        return try sender.changes(after: 0, limit: 10_000)
    }

    /// What a receiver records of `page`'s records, all new to it: queued (a collection
    /// without indexes) or written one by one (an index on the collection takes the general
    /// path). Each line is a document, a clock or a change-stream entry.
    func received(_ page: ChangeFeedPage, indexed: Bool) throws -> [String] {
        let receiver = try Storage(path: ":memory:")
        try receiver.enableReplica(pop: "iad", epoch: "e2")
        // The collection arrives first; the records then go in pages, as sync sends them.
        try receiver.apply(page.changes.filter { $0.collection == Change.catalog }, from: "fra")
        if indexed { _ = try receiver.createIndex(collection: "t", type: .persistent, fields: ["n"]) }
        let records = page.changes.filter { $0.collection == "t" }
        for start in stride(from: 0, to: records.count, by: 100) {
            // Relayed: the origin a stream entry names is the PoP that wrote it, not the peer.
            try receiver.apply(Array(records[start..<min(start + 100, records.count)]), from: "relay")
        }
        let t = try receiver.requireCollection("t")
        let rows = try records.map { "row " + JSONWriter.string(try receiver.get(t, key: $0.key) ?? .null) }
        let feed = try receiver.changes(after: 0, limit: 10_000).changes.filter { $0.collection == "t" }
        let stream = try receiver.streamEntries(collection: "t", after: 0, limit: 10_000)
        return rows + feed.map { "clock \($0.key) \($0.causalLength) \($0.stamp.hlc) \($0.stamp.site) \($0.body)" }
            + stream.map {
                "stream \($0.key) \($0.operation) \($0.origin ?? "-") \($0.document.map { JSONWriter.string($0) } ?? "-")"
            }
    }

    @Test func aMergeQueuesNewRecordsAsTheGeneralPathWritesThem() throws {
        let page = try senderPage()
        let queued = try received(page, indexed: false)
        let general = try received(page, indexed: true)
        #expect(queued.count == general.count)
        let differing = zip(queued, general).filter { $0 != $1 }
        #expect(differing.isEmpty, "first difference: \(differing.first.map { "\($0) against \($1)" } ?? "")")
        let records = documents.count + 1
        #expect(queued.filter { $0.hasPrefix("row {") }.count == records)
        #expect(queued.filter { $0.hasPrefix("clock ") }.count == records)
        #expect(queued.filter { $0.hasPrefix("stream ") && $0.contains(" insert fra {") }.count == records)
    }

    @Test func aBatchThatFailsLeavesNoClockAndNoStreamEntry() throws {
        let (s, c) = try pop()
        let feed = try s.changes(after: 0, limit: 10_000).upTo
        let stream = try s.streamPosition()
        let e = #expect(throws: LocusError.self) {
            try s.transaction(write: true) {
                for i in 1...100 { _ = try s.insert(c, ["_key": .string("k\(i)")], returning: false, batched: true) }
                _ = try s.insert(c, ["_key": "k70"], returning: false, batched: true)
            }
        }
        #expect(e?.code == .uniqueConstraintViolated)
        #expect(try s.changes(after: feed, limit: 10).changes.allSatisfy { $0.collection == Change.catalog })
        #expect(try s.streamPosition() == stream)
        #expect(try s.count(c) == 0)
    }

    @Test func aBatchPassingAPruningStepPrunesTheStream() throws {
        let (s, c) = try pop(retention: 16)
        try s.transaction(write: true) {
            for i in 1...100 { _ = try s.insert(c, ["_key": .string("k\(i)")], returning: false, batched: true) }
        }
        let newest = try s.streamPosition()
        #expect(throws: LocusError.self) { _ = try s.streamEntries(collection: "t", after: 0, limit: 1000) }
        let kept = try s.streamEntries(collection: "t", after: newest - 16, limit: 1000)
        #expect(kept.map(\.key) == (85...100).map { "k\($0)" })
    }
}
