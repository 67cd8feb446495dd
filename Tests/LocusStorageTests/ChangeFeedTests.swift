// The change feed a PoP serves: a record's marker carries its document without the attributes
// that have clocks of their own (an UPDATE stamps only what it changed), each of which travels
// as an attribute change with its value, so a receiver never takes such a value under the
// marker's older stamp.

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
}
