// The change feed a PoP serves: a record's marker carries its document without the attributes
// that have clocks of their own (an UPDATE stamps only what it changed), each of which travels
// as an attribute change with its value, so a receiver never takes such a value under the
// marker's older stamp; and a page of large documents ends at its byte budget, with the rest
// on the pages after it.

import Testing
@testable import LocusStorage
@testable import LocusValues

@Suite struct ChangeFeedTests {
    @Test func aMarkersBaseLeavesOutAttributesWithClocksOfTheirOwn() throws {
        let s = try Storage(path: ":memory:")
        try s.enableReplica(pop: "fra", epoch: "e1")
        let c = try s.createCollection("t", type: .document)
        try s.transaction(write: true) {
            _ = try s.insert(c, ["_key": "updated", "a": 1, "b": 1])
            _ = try s.insert(c, ["_key": "untouched", "a": 1, "b": 1])
        }
        try s.transaction(write: true) {
            _ = try s.replace(c, key: "updated", with: ["a": 2, "b": 1], partial: true)
        }
        let changes = try s.changes(after: 0, limit: 100).changes.filter { $0.collection == "t" }
        var bases: [String: Object] = [:]
        var attributes: [String: [String: Value?]] = [:]
        for change in changes {
            switch change.body {
            case .marker(let base): bases[change.key] = base
            case .attribute(let name, let value): attributes[change.key, default: [:]][name] = value
            case .moved: Issue.record("a moved notice without a policy")
            }
        }
        #expect(bases["untouched"] == ["a": 1, "b": 1])
        #expect(bases["updated"] == ["b": 1])
        #expect(attributes["updated"] == ["a": .some(2)])
        #expect(attributes["untouched"] == nil)
    }

    @Test func aPageOfLargeDocumentsEndsAtItsByteBudget() throws {
        let s = try Storage(path: ":memory:")
        try s.enableReplica(pop: "fra", epoch: "e1")
        let c = try s.createCollection("t", type: .document)
        let filler = String(repeating: "x", count: 1000)
        try s.transaction(write: true) {
            for i in 1...30 { _ = try s.insert(c, ["_key": .string("d\(i)"), "filler": .string(filler)]) }
            // One record with two clocks: a page never splits them.
            _ = try s.insert(c, ["_key": "two", "a": 1, "b": 1])
        }
        try s.transaction(write: true) { _ = try s.replace(c, key: "two", with: ["a": 2, "b": 1], partial: true) }
        var after = 0
        var pages = 0
        var seen: [String] = []
        while true {
            let page = try s.changes(after: after, limit: 1000, byteBudget: 5_000)
            let records = page.changes.filter { $0.collection == "t" }
            pages += 1
            // Five documents of about a kilobyte pass the budget; nothing is cut inside a record.
            #expect(records.count <= 6 || !page.more)
            #expect(records.map(\.sequence) == records.map(\.sequence).sorted())
            #expect(records.allSatisfy { $0.sequence > after && $0.sequence <= page.upTo })
            seen += records.map { "\($0.key) \($0.body)" }
            if !page.more { break }
            #expect(page.upTo > after)
            after = page.upTo
        }
        #expect(pages >= 6)
        #expect(Set(seen.map { $0.split(separator: " ")[0] }) == Set((1...30).map { "d\($0)" } + ["two"]))
        #expect(seen.count == Set(seen).count)
        // Without a budget to speak of, one page holds everything.
        #expect(try s.changes(after: 0, limit: 1000).more == false)
    }
}
