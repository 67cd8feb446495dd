// The index entries storage keeps for a document: array expansion, sparse and TTL skipping,
// unique constraints checked before anything is written, and a merge's entries unchecked.

import Testing
@testable import LocusStorage
import LocusErrors
import LocusValues

@Suite struct IndexMaintenanceTests {
    func object(_ json: String) throws -> Object {
        guard case .object(let o) = try JSONReader.parse(json) else { throw LocusError(.typeError) }
        return o
    }

    @Test func fieldPathsExpandArraysAndKeepDistinctValues() throws {
        let doc = Value.object(try object(#"{"a":{"b":1},"tags":[{"n":"x"},{"n":"y"},{"n":"x"}],"e":[]}"#))
        #expect(IndexMaintenance.fieldValues(doc, "a.b") == [.number(1)])
        #expect(IndexMaintenance.fieldValues(doc, "a.c") == [.null])
        #expect(Set(IndexMaintenance.fieldValues(doc, "tags[*].n")) == [.string("x"), .string("y")])
        #expect(IndexMaintenance.fieldValues(doc, "tags[*].n").count == 2)
        #expect(IndexMaintenance.fieldValues(doc, "e[*]").isEmpty)
    }

    @Test func entriesFollowTheIndexKind() throws {
        let s = try Storage(path: ":memory:")
        try s.createCollection("c", type: .document)
        let plain = try s.createIndex(collection: "c", type: .persistent, fields: ["a", "t[*]"])
        let sparse = try s.createIndex(collection: "c", type: .persistent, fields: ["b"], sparse: true)
        let ttl = try s.createIndex(collection: "c", type: .ttl, fields: ["at"], expireAfter: 60)
        let doc = try object(#"{"a":1,"t":["x","y"],"at":"soon"}"#)
        let entries = try s.indexes.entries("c", doc: doc, key: "k")
        // Two entries for the expanded array; none in the sparse index (b is missing) nor in
        // the TTL index (its value is not a number).
        #expect(entries.filter { $0.index.id == plain.id }.count == 2)
        #expect(!entries.contains { $0.index.id == sparse.id || $0.index.id == ttl.id })
        #expect(try s.indexes.entries("c", doc: doc, key: "k", only: sparse).isEmpty)
        #expect(try s.indexes.entries("c", doc: doc, key: "k", only: plain).count == 2)
    }

    @Test func uniqueConstraintsAreCheckedUnlessMerging() throws {
        let s = try Storage(path: ":memory:")
        let c = try s.createCollection("c", type: .document)
        _ = try s.createIndex(collection: "c", type: .persistent, fields: ["email"], unique: true, name: "by_email")
        try s.insert(c, try object(#"{"_key":"one","email":"a@x"}"#))
        let twin = try object(#"{"email":"a@x"}"#)
        // The document itself may keep its own value.
        #expect(try s.indexes.entries("c", doc: twin, key: "one").count == 1)
        let error = #expect(throws: LocusError.self) { try s.indexes.entries("c", doc: twin, key: "two") }
        #expect(error?.code == .uniqueConstraintViolated)
        let wording = "in index by_email of type persistent over 'email'; conflicting key: one"
        #expect(error?.message.contains(wording) == true)
        #expect(try s.indexes.entries("c", doc: twin, key: "two", checkingUnique: false).count == 1)
        // A failed insert leaves no row and no entry behind.
        #expect(throws: LocusError.self) { try s.insert(c, try object(#"{"_key":"two","email":"a@x"}"#)) }
        #expect(try s.get(c, key: "two") == nil)
        #expect(try s.count(c) == 1)
    }
}
