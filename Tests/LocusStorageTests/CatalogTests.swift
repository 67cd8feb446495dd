// The catalog storage composes: DDL undone by a rollback or a failed statement is forgotten,
// DDL by another connection is seen at its next transaction, and the catalog version moves
// with every definition.

import Foundation
import Testing
@testable import LocusStorage
import LocusTestSupport
import LocusValues

@Suite struct CatalogTests {
    @Test func undoneDefinitionsAreForgotten() throws {
        let s = try Storage(path: ":memory:")
        try s.begin(write: true)
        try s.createCollection("gone", type: .document)
        try s.createIndex(collection: "gone", type: .persistent, fields: ["a"])
        #expect(s.collection("gone") != nil && s.catalog.indexes(of: "gone").count == 1)
        s.rollback()
        #expect(s.collection("gone") == nil && s.catalog.indexes(of: "gone").isEmpty)

        try s.createCollection("kept", type: .edge)
        try s.begin(write: true)
        try s.beginStatement()
        try s.createIndex(collection: "kept", type: .persistent, fields: ["w"], name: "by_w")
        s.rollbackStatement()
        #expect(try s.indexes("kept").map(\.name) == ["primary", "edge"])
        try s.commit()
        #expect(s.collections.map(\.name) == ["kept"] && s.collection("kept")?.type == .edge)
    }

    @Test func anotherConnectionsDefinitionsAreSeenAtTheNextTransaction() throws {
        let path = ScratchDatabase.path("catalog")
        defer { ScratchDatabase.remove(path) }
        let writer = try Storage(path: path)
        let reader = try Storage(path: path, reader: true)
        try reader.begin(write: false)
        let before = reader.catalogVersion
        try reader.commit()
        try writer.createCollection("later", type: .kv)
        try writer.createIndex(collection: "later", type: .persistent, fields: ["x"])
        #expect(reader.collection("later") == nil)
        try reader.begin(write: false)
        #expect(reader.catalogVersion > before)
        #expect(reader.collection("later")?.type == .kv && reader.catalog.indexes(of: "later").count == 1)
        try reader.commit()
        try writer.dropCollection("later")
        try reader.begin(write: false)
        #expect(reader.collection("later") == nil && reader.catalog.indexes(of: "later").isEmpty)
        try reader.commit()
    }

    @Test func revisionTicksOnlyGrow() {
        var clock = RevisionClock()
        var last: UInt64 = 0
        // The wall clock may stand still or step back; ticks never do.
        for now in [100.0, 100.0, 99.0, 50.0, 101.5, 101.5] {
            let t = clock.next(now: now, hybrid: false)
            #expect(t > last)
            last = t
        }
        var hybrid = RevisionClock()
        let first = hybrid.next(now: 100, hybrid: true)
        hybrid.observe(first + 1_000_000)
        #expect(hybrid.next(now: 100, hybrid: true) > first + 1_000_000)
        #expect(hybrid.last > first)
    }
}
