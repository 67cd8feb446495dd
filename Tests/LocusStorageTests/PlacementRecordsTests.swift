// The placements a PoP keeps: a record's digest is keyed by the fabric's salt and reveals
// neither collection nor key, placements are found by key and by digest and forgotten with
// the record, and an edge waiting on an endpoint is handed back once.

import Testing
@testable import LocusStorage

@Suite struct PlacementRecordsTests {
    @Test func digestsAreKeyedAndOpaque() {
        let salt: [UInt8] = Array(repeating: 7, count: 16)
        let d = PlacementRecords.digest(collection: "users", key: "ana", salt: salt)
        #expect(d.count == 32 && d.allSatisfy(\.isHexDigit))
        #expect(d == PlacementRecords.digest(collection: "users", key: "ana", salt: salt))
        #expect(d != PlacementRecords.digest(collection: "users", key: "ana", salt: Array(repeating: 8, count: 16)))
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        #expect(
            PlacementRecords.digest(collection: "ab", key: "c", salt: salt)
                != PlacementRecords.digest(collection: "a", key: "bc", salt: salt))
        #expect(!d.contains("ana") && !d.contains("users"))
    }

    @Test func theKeptKeyedStateGivesTheSameDigests() throws {
        let records = PlacementRecords(sql: try SQLiteConnection(path: ":memory:"))
        let salts: [[UInt8]] = [Array(repeating: 1, count: 16), Array(repeating: 2, count: 16), []]
        for salt in salts + salts.reversed() {
            for (collection, key) in [("users", "ana"), ("users", "ana"), ("users", "bo"), ("edges", "ana")] {
                #expect(
                    records.digest(collection: collection, key: key, salt: salt)
                        == PlacementRecords.digest(collection: collection, key: key, salt: salt))
            }
        }
    }

    @Test func placementsAreKeptFoundAndForgotten() throws {
        let sql = try SQLiteConnection(path: ":memory:")
        try sql.execute(PlacementRecords.schema)
        let records = PlacementRecords(sql: sql)
        try records.set(coll: 1, key: "a", pin: .only(["eu-1", "eu-2"]), digest: "d-a")
        try records.set(coll: 1, key: "b", pin: .everywhere, digest: "d-b")
        try records.set(coll: 2, key: "a", pin: .only(["us-1"]), digest: "d-2a")
        #expect(try records.placement(coll: 1, key: "a")?.pin == .only(["eu-1", "eu-2"]))
        #expect(try records.placement(coll: 1, key: "a")?.digest == "d-a")
        #expect(try records.key(coll: 1, digest: "d-b") == "b")
        #expect(try records.key(coll: 1, digest: "d-2a") == nil)
        #expect(try records.placements(coll: 1).map(\.key).sorted() == ["a", "b"])

        try records.redigest(coll: 1) { "new-\($0)" }
        #expect(try records.key(coll: 1, digest: "new-a") == "a")
        #expect(try records.placement(coll: 2, key: "a")?.digest == "d-2a")

        try records.forget(coll: 1, key: "a")
        #expect(try records.placement(coll: 1, key: "a") == nil)
        try records.forget(coll: 1)
        #expect(try records.placements(coll: 1).isEmpty)
        #expect(try records.placement(coll: 2, key: "a") != nil)
    }

    @Test func edgesWaitingOnAnEndpointAreHandedBackOnce() throws {
        let sql = try SQLiteConnection(path: ":memory:")
        try sql.execute(PlacementRecords.schema)
        let records = PlacementRecords(sql: sql)
        try records.wait(edge: 3, key: "e1", on: "users/ana")
        try records.wait(edge: 3, key: "e1", on: "users/ana")
        try records.wait(edge: 3, key: "e2", on: "users/ana")
        try records.wait(edge: 3, key: "e3", on: "users/bo")
        #expect(try records.awaitedEndpoints().sorted() == ["users/ana", "users/bo"])
        let edges = try records.takeEdges(waitingOn: "users/ana")
        #expect(edges.map(\.key).sorted() == ["e1", "e2"] && edges.allSatisfy { $0.coll == 3 })
        #expect(try records.takeEdges(waitingOn: "users/ana").isEmpty)
        // A forgotten edge waits no more.
        try records.forget(coll: 3, key: "e3")
        #expect(try records.awaitedEndpoints().isEmpty)
    }
}
