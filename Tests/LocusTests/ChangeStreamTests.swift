// Change streams through the embedding API: a PoP's collection changes in commit order with
// their operations and documents, resumption from a position, live following woken by
// commits, merged changes with their origin, and sovereignty (a record pinned away never
// appears; an eviction appears as a removal by digest, and the record's earlier entries,
// key and content, are gone from the PoP's file).

import Foundation
import Locus
import Testing
import LocusTestSupport

@Suite struct ChangeStreamTests {
    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    func pop(_ name: String = "fra") throws -> Database {
        let db = try Database.inMemory()
        try db.enableReplication(pop: name, fabric: TestFabrics.named("five"))
        try db.createCollection("orders")
        return db
    }

    @Test func changesComeInCommitOrderWithTheirOperations() throws {
        let db = try pop()
        try db.query("INSERT {_key: 'a', n: 1} INTO orders")
        try db.query("UPDATE 'a' WITH {m: 2} IN orders")
        try db.query("REPLACE 'a' WITH {n: 3} IN orders")
        try db.query("REMOVE 'a' IN orders")
        // A failing query leaves nothing in the stream.
        #expect(throws: LocusError.self) { try db.query("FOR i IN 1..2 INSERT {_key: 'dup'} INTO orders") }
        let all = try db.changes(in: "orders", since: 0)
        #expect(all.map(\.operation) == [.insert, .update, .replace, .remove])
        #expect(all.map(\.key) == ["a", "a", "a", "a"])
        #expect(all[1].document?[attribute: "m"] == 2 && all[1].document?[attribute: "n"] == 1)
        #expect(all[2].document?[attribute: "m"] == .null && all[2].document?[attribute: "n"] == 3)
        #expect(all[3].document == nil)
        #expect(all.map(\.position) == all.map(\.position).sorted() && Set(all.map(\.position)).count == 4)
        // Resumption: everything after a position, and nothing from other collections.
        try db.createCollection("other")
        try db.query("INSERT {} INTO other")
        #expect(try db.changes(in: "orders", since: all[1].position).map(\.operation) == [.replace, .remove])
        #expect(try db.changes(in: "orders", since: all[3].position).isEmpty)
        #expect(try db.streamPosition() > all[3].position)
        #expect(all[0].json[attribute: "document"][attribute: "_key"] == "a")
    }

    @Test func onlyPoPsKeepStreams() throws {
        let db = try Database.inMemory()
        try db.createCollection("orders")
        #expect(throws: LocusError.self) { _ = try db.changes(in: "orders", since: 0) }
        let popDB = try pop()
        let e = #expect(throws: LocusError.self) { _ = try popDB.changes(in: "nothing", since: 0) }
        #expect(e?.code.number == 1203)
    }

    @Test func aFollowerIsWokenByCommits() async throws {
        let db = try pop()
        try db.query("INSERT {_key: 'before'} INTO orders")
        let follower = Task {
            var seen: [String] = []
            for try await change in db.changes(in: "orders") {
                seen.append("\(change.operation.rawValue) \(change.key)")
                if seen.count == 3 { break }
            }
            return seen
        }
        // The follower starts from now: 'before' is not part of what it sees.
        try await Task.sleep(for: .milliseconds(50))
        try db.query("INSERT {_key: 'x'} INTO orders")
        try db.query("UPDATE 'x' WITH {v: 1} IN orders")
        try db.query("REMOVE 'x' IN orders")
        let seen = try await follower.value
        #expect(seen == ["insert x", "update x", "remove x"])
        // From an explicit position, the past is replayed first.
        var replay: [String] = []
        for try await change in db.changes(in: "orders", since: 0) {
            replay.append(change.key)
            if replay.count == 4 { break }
        }
        #expect(replay == ["before", "x", "x", "x"])
    }

    @Test func aCancelledFollowerEnds() async throws {
        let db = try pop()
        let follower = Task {
            var n = 0
            for try await _ in db.changes(in: "orders") { n += 1 }
            return n
        }
        try await Task.sleep(for: .milliseconds(50))
        follower.cancel()
        #expect(try await follower.value == 0)
    }

    @Test func mergedChangesNameTheirOrigin() throws {
        let a = try pop("fra"), b = try Database.inMemory()
        try b.enableReplication(pop: "iad", fabric: TestFabrics.named("five"))
        try a.query("INSERT {_key: 'k', v: 1} INTO orders")
        try b.pull(a)
        try a.query("UPDATE 'k' WITH {v: 2} IN orders")
        try b.pull(a)
        try a.query("REMOVE 'k' IN orders")
        try b.pull(a)
        let merged = try b.changes(in: "orders", since: 0)
        #expect(merged.map(\.operation) == [.insert, .update, .remove])
        #expect(merged.allSatisfy { $0.origin == "fra" })
        #expect(merged[1].document?[attribute: "v"] == 2)
        #expect(try a.changes(in: "orders", since: 0).allSatisfy { $0.origin == nil })
    }

    @Test func pinnedRecordsNeverAppearAndEvictionsLeaveOnlyADigest() throws {
        let f = try Fleet(in: scratch)
        let canary = SovereigntyTests.canary()
        try f["fra"].query(
            "INSERT {_key: 'de1', residency: 'DE', note: @c} INTO users", bindVars: ["c": .string(canary)])
        try f["fra"].query("INSERT {_key: 'eu1', residency: 'EU', note: 'eu'} INTO users")
        try f["fra"].query("INSERT {_key: 'any', note: 'anywhere'} INTO users")
        try f.syncAll()
        // iad never held de1 or eu1: its stream has only what it may hold.
        #expect(try f["iad"].changes(in: "users", since: 0).map(\.key) == ["any"])
        #expect(try f["par"].changes(in: "users", since: 0).map(\.key).sorted() == ["any", "eu1"])
        // Re-pinned to Germany, eu1 is evicted at par and ams: a removal by digest remains.
        let secret = SovereigntyTests.canary()
        try f["fra"].query("UPDATE 'eu1' WITH {residency: 'DE', note: @c} IN users", bindVars: ["c": .string(secret)])
        try f.syncAll()
        let atParis = try f["par"].changes(in: "users", since: 0)
        #expect(!atParis.contains { $0.key == "eu1" })
        let moved = atParis.filter { $0.operation == .evict }
        #expect(moved.count == 1 && moved[0].document == nil)
        #expect(moved[0].json[attribute: "operation"] == "remove" && moved[0].json[attribute: "movedAway"] == true)
        #expect(moved[0].json[attribute: "key"] == .null)
        #expect(try f.popsContaining(canary) == ["fra"])
        #expect(try f.popsContaining(secret) == ["fra"])
    }
}
