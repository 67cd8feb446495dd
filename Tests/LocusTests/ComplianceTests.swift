// `Compliance.check` against seeded ground truth: every kind of violation planted in a
// disallowed PoP's file (a copied row, a leftover tombstone, a change-log entry, an index
// entry, a placement entry, a stale page in the WAL) is reported with its PoP and location,
// and a clean fabric reports nothing.

import Foundation
import Locus
import LocusStorage
import LocusValues
import Testing
import LocusTestSupport

@Suite struct ComplianceTests {
    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    @Test func cleanFabricHasNoFindings() throws {
        let f = try Fleet(in: scratch)
        try f["fra"].query(
            "FOR i IN 1..30 INSERT {_key: CONCAT('eu', i), residency: 'EU', bio: CONCAT('a long biography text ', i)} INTO users"
        )
        try f["bom"].query(
            "FOR i IN 1..30 INSERT {_key: CONCAT('in', i), residency: 'IN', bio: CONCAT('a long biography text ', i)} INTO users"
        )
        try f["iad"].query(
            "FOR i IN 1..30 INSERT {_key: CONCAT('p', i), name: CONCAT('a shared place name ', i)} INTO places")
        try f.syncAll()
        try f["fra"].query("FOR i IN 1..10 UPDATE CONCAT('eu', i) WITH {residency: 'DE'} IN users")
        try f["par"].query("FOR i IN 11..15 REMOVE CONCAT('eu', i) IN users")
        try f.syncAll()
        let report = try Compliance.check(paths: f.names.map(f.path))
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.pending.isEmpty)
        #expect(report.records > 100)
    }

    @Test func everySeededViolationIsFound() throws {
        let f = try Fleet(in: scratch)
        try f["fra"].createIndex(collection: "users", fields: ["bio"])
        try f["fra"].query(
            "FOR i IN 1..6 INSERT {_key: CONCAT('eu', i), residency: 'EU', bio: CONCAT('seeded biography number ', i)} INTO users"
        )
        try f.syncAll()
        let (users, index) = try f["iad"].withStorage { s -> (String, String) in
            let c = s.collection("users")!
            return ("c\(c.id)", "i\(try s.indexes(c.name).first { $0.name != "primary" }!.id)")
        }
        let coll = try f["iad"].withStorage { $0.collection("users")!.id }
        let doc = try f["fra"].query("RETURN UNSET(DOCUMENT('users/eu1'), '_rev')").rows.first!
        // Keep a connection open on bom, so that its WAL survives the seeding connection.
        let holder = try SQLiteConnection(path: f.path("bom"))
        _ = holder
        do {
            let iad = try SQLiteConnection(path: f.path("iad"))
            try iad.execute("INSERT INTO \(users)(key, doc) VALUES ('eu1', '\(JSONWriter.string(doc))')")
            try iad.execute("INSERT INTO \(index)(k, key) VALUES (x'01', 'eu4')")
            try iad.execute(
                "INSERT INTO locus_placement(coll, key, pin, digest) VALUES (\(coll), 'eu6', 'fra,par,ams', 'x')")
            let bom = try SQLiteConnection(path: f.path("bom"))
            try bom.execute(
                "INSERT INTO locus_clock(coll, key, attr, cl, hlc, site, seq) VALUES (\(coll), 'eu2', '', 2, 1, 1, 999999)"
            )
            try bom.execute(
                "INSERT INTO locus_clock(coll, key, attr, cl, hlc, site, seq) VALUES (\(coll), 'eu3', '', 1, 1, 1, 999998)"
            )
            try bom.execute("PRAGMA secure_delete=OFF")
            let d = try f["fra"].query("RETURN DOCUMENT('users/eu5')").rows.first!
            try bom.execute("INSERT INTO \(users)(key, doc) VALUES ('eu5', '\(JSONWriter.string(d))')")
            try bom.execute("DELETE FROM \(users) WHERE key = 'eu5'")
        }
        let report = try Compliance.check(paths: f.names.map(f.path))
        // Where the copied row's bytes sit (database file or WAL) depends on checkpoints.
        let found = Set(
            report.findings.map { "\($0.pop) \($0.key) \($0.location == .databaseFile ? "wal" : $0.location.rawValue)" }
        )
        let expected: Set<String> = [
            "iad eu1 row", "iad eu1 wal", "iad eu4 index-entry", "iad eu6 placement",
            "bom eu2 tombstone", "bom eu3 change-log", "bom eu5 wal",
        ]
        #expect(found == expected, "\(found.symmetricDifference(expected))")
        #expect(report.findings.allSatisfy { $0.allowed == .only(["fra", "par", "ams"]) })
    }
}
