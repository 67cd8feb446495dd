// The sovereignty scenarios of the reference (§3 of sovereignty-replication.md) that apply
// on one machine, one named test each, on real PoP files synced in process: a pinned record
// is never stored at, replicated to, or returned from a PoP outside its placement, and a
// byte scan of every disallowed PoP's database and WAL finds no trace of it.

import Foundation
import Locus
import LocusReplication
import LocusStorage
import LocusTestSupport
import LocusValues
import Testing

/// Five PoPs: three in the EU, one in the US, one in India.
struct Fleet {
    static let policy = """
        {"version": 1, "default": "everywhere", "collections": {
          "users": {"placement": "everywhere", "rules": [
            {"when": "doc.residency == 'EU'", "allow": ["jurisdiction:eu"]},
            {"when": "doc.residency == 'DE'", "allow": ["country:DE"]},
            {"when": "doc.residency == 'IN'", "allow": ["country:IN"]}]},
          "sessions": {"placement": ["jurisdiction:eu"]}}}
        """

    let dir: URL
    var pops: [String: Database] = [:]
    let names = ["fra", "par", "ams", "iad", "bom"]

    /// The PoPs' files go in a directory of `scratch`, which the test's suite keeps (and removes)
    /// for as long as the test runs, so no PoP loses its files while a test still reads it.
    init(policy: String? = Fleet.policy, fabric: Fabric? = nil, in scratch: ScratchDirectories) throws {
        let fabric = try fabric ?? TestFabrics.named("five")
        dir = URL(fileURLWithPath: scratch.make("sov"))
        for n in names {
            let db = try Database(path: path(n))
            try db.enableReplication(pop: n, fabric: fabric)
            pops[n] = db
        }
        try self["fra"].createCollection("users")
        try self["fra"].createCollection("places")
        try self["fra"].createCollection("visits", type: .edge)
        try self["fra"].createCollection("sessions", type: .kv)
        if let policy { try self["fra"].setPlacementPolicy(policy) }
        try syncAll()
    }

    func path(_ pop: String) -> String { dir.appendingPathComponent("\(pop).db").path }

    subscript(_ pop: String) -> Database { pops[pop]! }

    /// Every PoP pulls from every other, `rounds` times.
    func syncAll(rounds: Int = 2) throws {
        for _ in 0..<rounds {
            for a in names { for b in names where a != b { try self[a].pull(self[b]) } }
        }
    }

    /// The PoPs whose database or WAL file contains `needle`.
    func popsContaining(_ needle: String) throws -> [String] {
        let bytes = Data(needle.utf8)
        return try names.filter { n in
            for suffix in ["", "-wal"] {
                let p = path(n) + suffix
                guard FileManager.default.fileExists(atPath: p) else { continue }
                if try Data(contentsOf: URL(fileURLWithPath: p)).range(of: bytes) != nil { return true }
            }
            return false
        }
    }

    func count(_ pop: String, _ query: String) throws -> Int {
        try self[pop].query(query).rows.count
    }
}

@Suite struct SovereigntyTests {
    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    static func canary() -> String { "CANARY-\(UUID().uuidString)" }

    @Test func scenario01_pinnedWriteAtDisallowedPoPFails() throws {
        let f = try Fleet(in: scratch)
        let canary = SovereigntyTests.canary()
        let e = #expect(throws: LocusError.self) {
            try f["iad"].query(
                "INSERT {_key: 'u1', residency: 'EU', note: @c} INTO users", bindVars: ["c": .string(canary)])
        }
        #expect(e?.code == .placementDenied)
        #expect(e?.message.contains("ams, fra, par") == true)
        #expect(e?.message.contains(canary) == false)
        // UPDATE into a pinned placement fails too, and leaves the record as it was.
        try f["iad"].query("INSERT {_key: 'u2', residency: 'US'} INTO users")
        #expect(throws: LocusError.self) {
            try f["iad"].query(
                "UPDATE 'u2' WITH {residency: 'EU', note: @c} IN users", bindVars: ["c": .string(canary)])
        }
        #expect(throws: LocusError.self) {
            try f["iad"].query("UPSERT {_key: 'u3'} INSERT {_key: 'u3', residency: 'IN'} UPDATE {} IN users")
        }
        #expect(try f["iad"].query("FOR u IN users RETURN u.residency").rows == ["US"])
        // A key-value put into an EU-only collection at a US PoP fails.
        #expect(throws: LocusError.self) {
            try f["iad"].query("INSERT {_key: 's1', value: @c} INTO sessions", bindVars: ["c": .string(canary)])
        }
        try f.syncAll()
        #expect(try f.popsContaining(canary).isEmpty)
    }

    @Test func scenario02_policiesFailClosed() throws {
        let f = try Fleet(policy: nil, in: scratch)
        let db = f["fra"]
        let bad: [(String, String)] = [
            (#"{"version": 1}"#, "'default' is required"),
            (#"{"version": 1, "default": []}"#, "non-empty array"),
            (#"{"version": 1, "default": ["jurisdiction:mars"]}"#, "matches no PoP"),
            (#"{"version": 1, "default": ["planet:earth"]}"#, "unknown selector kind"),
            (#"{"version": 0, "default": "everywhere"}"#, "positive integer"),
            (#"{"version": 1, "default": "everywhere", "extra": 1}"#, "unknown attribute"),
            (#"{"version": 1, "default": "everywhere", "collections": {"u": {"rules": []}}}"#, "placement is required"),
            (
                #"{"version": 1, "default": "everywhere", "collections": {"u": {"placement": "everywhere", "rules": [{"when": "RAND() > 0.5", "allow": ["fra"]}]}}}"#,
                "must be pure"
            ),
            (
                #"{"version": 1, "default": "everywhere", "collections": {"u": {"placement": "everywhere", "rules": [{"when": "doc.a ==", "allow": ["fra"]}]}}}"#,
                "when"
            ),
            (
                #"{"version": 1, "default": "everywhere", "collections": {"u": {"placement": "everywhere", "rules": [{"when": "LENGTH(FOR x IN users RETURN x) > 0", "allow": ["fra"]}]}}}"#,
                "when"
            ),
            (
                #"{"version": 1, "default": "everywhere", "collections": {"u": {"placement": "everywhere", "rules": [{"when": "LENGTH((FOR x IN users RETURN x)) > 0", "allow": ["fra"]}]}}}"#,
                "must be pure"
            ),
            (
                #"{"version": 1, "default": "everywhere", "collections": {"u": {"placement": "everywhere", "rules": [{"when": "LENGTH((FOR x IN [1] RETURN x)) > 0", "allow": ["fra"]}]}}}"#,
                "must be pure"
            ),
            ("{not json", "not valid JSON"),
        ]
        for (text, why) in bad {
            let e = #expect(throws: LocusError.self) { try db.setPlacementPolicy(text) }
            #expect(e?.code == .policyInvalid, "\(text)")
            #expect(e?.message.contains(why) == true, "\(text): \(e?.message ?? "")")
            #expect(
                e?.message.contains(" at 1:") != true || e?.message.contains("at position") != true,
                "position twice: \(e?.message ?? "")")
        }
        #expect(try db.placementPolicy() == nil)
        try db.setPlacementPolicy(Fleet.policy)
        // Versions only grow.
        let e = #expect(throws: LocusError.self) { try db.setPlacementPolicy(Fleet.policy) }
        #expect(e?.code == .policyVersionConflict)
        // A record no rule matches gets its collection's placement.
        try db.query("INSERT {_key: 'x', residency: 'XX'} INTO users")
        #expect(try db.explainPlacement(collection: "users", key: "x").allowed == .everywhere)
        let why = try db.explainPlacement(collection: "users", key: "x", document: nil)
        #expect(why.reason.contains("collection placement"))
    }

    @Test func scenario03_rePinEvictsWhereNoLongerAllowed() throws {
        let f = try Fleet(in: scratch)
        let canary = SovereigntyTests.canary()
        try f["fra"].query(
            "INSERT {_key: 'ada', residency: 'EU', note: @c} INTO users", bindVars: ["c": .string(canary)])
        try f.syncAll()
        #expect(try f.popsContaining(canary).sorted() == ["ams", "fra", "par"])
        #expect(try f.count("iad", "FOR u IN users RETURN u") == 0)
        // Narrowed to Germany by an update at fra: par and ams evict it when they next sync.
        try f["fra"].query("UPDATE 'ada' WITH {residency: 'DE'} IN users")
        try f.syncAll()
        #expect(try f.popsContaining(canary) == ["fra"])
        #expect(try f.count("par", "FOR u IN users RETURN u") == 0)
        #expect(try f.count("fra", "FOR u IN users RETURN u") == 1)
        // Widened again: the whole record moves back in, through sync.
        try f["fra"].query("UPDATE 'ada' WITH {residency: 'EU'} IN users")
        try f.syncAll()
        #expect(try f["ams"].query("FOR u IN users RETURN u.note").rows == [.string(canary)])
        #expect(try f.popsContaining(canary).sorted() == ["ams", "fra", "par"])
    }

    @Test func scenario04_policyNarrowingEvictsAndWideningMovesIn() throws {
        let f = try Fleet(in: scratch)
        let canary = SovereigntyTests.canary()
        try f["iad"].query(
            "FOR i IN 1..20 INSERT {_key: CONCAT('p', i), name: CONCAT(@c, '-', i)} INTO places",
            bindVars: ["c": .string(canary)])
        try f.syncAll()
        #expect(try f.popsContaining(canary).count == 5)
        let narrowed = Fleet.policy.replacingOccurrences(of: #""version": 1"#, with: #""version": 2"#)
            .replacingOccurrences(
                of: #""sessions""#, with: #""places": {"placement": ["jurisdiction:eu"]}, "sessions""#)
        try f["fra"].setPlacementPolicy(narrowed)
        try f.syncAll()
        #expect(try f.popsContaining(canary).sorted() == ["ams", "fra", "par"])
        #expect(try f.count("iad", "FOR p IN places RETURN p") == 0)
        #expect(try f["iad"].placementPolicy()?.version == 2)
        // Writes of the narrowed collection now fail at iad.
        #expect(throws: LocusError.self) { try f["iad"].query("INSERT {} INTO places") }
        let widened = Fleet.policy.replacingOccurrences(of: #""version": 1"#, with: #""version": 3"#)
        try f["par"].setPlacementPolicy(widened)
        try f.syncAll(rounds: 3)
        #expect(try f.count("iad", "FOR p IN places RETURN p") == 20)
        #expect(try f.count("bom", "FOR p IN places RETURN p") == 20)
    }

    /// A record pinned away from a PoP reaches it only as a moved notice; when a new policy
    /// widens its placement to that PoP, the PoP receives it whole (it was refused as if a
    /// lagging peer were bringing back a stale copy).
    @Test func scenario04_wideningAfterAMovedNoticeBringsTheRecord() throws {
        let f = try Fleet(in: scratch)
        let canary = SovereigntyTests.canary()
        try f["fra"].query(
            "INSERT {_key: 'kai', residency: 'DE', note: @c} INTO users", bindVars: ["c": .string(canary)])
        try f.syncAll()
        #expect(try f.popsContaining(canary) == ["fra"])
        let widened = Fleet.policy.replacingOccurrences(of: #""version": 1"#, with: #""version": 2"#)
            .replacingOccurrences(of: #""allow": ["country:DE"]"#, with: #""allow": ["country:DE", "country:US"]"#)
        try f["fra"].setPlacementPolicy(widened)
        // Until iad has it, the audit reports it missing there: lag, not a violation.
        let before = try Compliance.check(paths: f.names.map(f.path))
        #expect(before.isClean)
        #expect(before.missing.map { "\($0.pop) \($0.collection)/\($0.key)" } == ["iad users/kai"])
        try f.syncAll(rounds: 3)
        #expect(try Compliance.check(paths: f.names.map(f.path)).missing.isEmpty)
        #expect(try f["iad"].query("FOR u IN users RETURN u.note").rows == [.string(canary)])
        #expect(try f.popsContaining(canary).sorted() == ["fra", "iad"])
        // A lagging copy older than the move still stays out: an update at fra moves the record
        // to the EU; iad evicts it, and a replay of the state iad held does not bring it back.
        try f["fra"].query("UPDATE 'kai' WITH {residency: 'EU'} IN users")
        try f.syncAll(rounds: 3)
        #expect(try f.count("iad", "FOR u IN users RETURN u") == 0)
        #expect(try f.popsContaining(canary).sorted() == ["ams", "fra", "par"])
    }

    /// Concurrent re-pins: fra moves a record to the EU and adds `xe` while bom moves it to India
    /// and adds `xb`. The later placing write (bom's) decides where the merged record lives,
    /// whichever PoP syncs first. bom's own write is never evicted by a notice about an older
    /// state; fra's `xe` cannot follow the record to India without leaving the EU, so it is
    /// dropped, and fra's audit log says so.
    @Test func scenario18_concurrentRePinsPlaceByMergedContentAndReportDrops() throws {
        for bomFirst in [false, true] {
            let f = try Fleet(in: scratch)
            try f["fra"].query("INSERT {_key: 'rex', n: 1} INTO users")
            try f.syncAll()
            try f["fra"].query("UPDATE 'rex' WITH {residency: 'EU', xe: 1} IN users")
            // bom's write must carry the later stamp: in one process both clocks may read the
            // same millisecond, and then the tie-break, not the test, decides.
            usleep(5_000)
            try f["bom"].query("UPDATE 'rex' WITH {residency: 'IN', xb: 1} IN users")
            if bomFirst { try f["bom"].pull(f["fra"]) } else { try f["fra"].pull(f["bom"]) }
            try f.syncAll(rounds: 3)
            let rows = try f["bom"].query(
                "FOR u IN users FILTER u._key == 'rex' RETURN KEEP(u, 'n', 'residency', 'xb')"
            ).rows
            #expect(rows == [["n": 1, "residency": "IN", "xb": 1]], "bom first: \(bomFirst)")
            for n in ["fra", "par", "ams", "iad"] {
                #expect(try f.count(n, "FOR u IN users FILTER u._key == 'rex' RETURN u") == 0)
            }
            let drops = try f["fra"].auditLog().filter { $0.event == "drop" }
            #expect(drops.count == 1 && drops[0].detail?.contains("xe") == true, "bom first: \(bomFirst): \(drops)")
            #expect(try Compliance.check(paths: f.names.map(f.path)).isClean)
        }
    }

    @Test func scenario05_tombstonesAndChangeLogStayInside() throws {
        let f = try Fleet(in: scratch)
        try f["fra"].query("INSERT {_key: 'tomb-canary-key', residency: 'EU'} INTO users")
        try f.syncAll()
        try f["par"].query("REMOVE 'tomb-canary-key' IN users")
        try f.syncAll()
        // The key never reached a PoP outside the EU: not as a row, not as a tombstone, not in a log.
        #expect(try f.popsContaining("tomb-canary-key").sorted() == ["ams", "fra", "par"])
        for pop in ["iad", "bom"] {
            #expect(try f[pop].auditLog().allSatisfy { ($0.detail ?? "").contains("tomb") == false })
        }
    }

    @Test func scenario08_bulkInsertsArePlacedAsSingleOnesAre() throws {
        let f = try Fleet(in: scratch)
        // A key that lived and was removed comes back in the middle of a bulk insert.
        try f["fra"].query("INSERT {_key: 'eu-back', residency: 'EU'} INTO users")
        try f["fra"].query("REMOVE 'eu-back' IN users")
        // More records than one batch of queued rows holds, alternating placements.
        try f["fra"].query(
            """
            FOR i IN 1..150
              LET eu = i % 2 == 0
              INSERT {_key: i == 75 ? 'eu-back' : CONCAT(eu ? 'eu-bulk-' : 'us-bulk-', i),
                      residency: eu || i == 75 ? 'EU' : 'US'} INTO users
            """)
        // The same records one at a time (a query that handles errors per record).
        try f["fra"].query(
            "FOR i IN 151..160 INSERT {_key: CONCAT('eu-one-', i), residency: 'EU'} INTO users OPTIONS {ignoreErrors: true}"
        )
        try f.syncAll()
        #expect(try f.count("par", "FOR u IN users RETURN u") == 160)
        #expect(try f.count("iad", "FOR u IN users FILTER u.residency == 'EU' RETURN u") == 0)
        #expect(try f.count("iad", "FOR u IN users RETURN u") == 74)
        for key in ["eu-bulk-64", "eu-bulk-66", "eu-back", "eu-one-155"] {
            #expect(try f.popsContaining("\"users/\(key)\"").sorted() == ["ams", "fra", "par"])
        }
        #expect(try f.popsContaining("\"users/us-bulk-65\"").count == 5)
    }

    @Test func scenario08_queriesAtDisallowedPoPsSeeNothing() throws {
        let f = try Fleet(in: scratch)
        try f["bom"].query("FOR i IN 1..10 INSERT {_key: CONCAT('in', i), residency: 'IN'} INTO users")
        try f["fra"].query("FOR i IN 1..10 INSERT {_key: CONCAT('eu', i), residency: 'EU'} INTO users")
        try f["iad"].query("FOR i IN 1..10 INSERT {_key: CONCAT('us', i), residency: 'US'} INTO users")
        try f.syncAll()
        #expect(try f.count("iad", "FOR u IN users RETURN u") == 10)
        #expect(try f.count("bom", "FOR u IN users RETURN u") == 20)
        #expect(try f.count("par", "FOR u IN users RETURN u") == 20)
        #expect(try f["iad"].query("RETURN LENGTH(users)").rows == [10])
        #expect(try f["iad"].query("RETURN DOCUMENT('users/eu1')").rows == [.null])
        // EXPLAIN shows the placement decision.
        let plan = try f["iad"].explain("FOR u IN users RETURN u").text
        #expect(plan.contains("Placement at PoP iad"))
        #expect(plan.contains("rule 1 when doc.residency == 'EU'"))
        let json = try f["iad"].explain("FOR u IN users RETURN u").json
        #expect(json[attribute: "placement"].arrayValue?.first?.stringValue?.hasPrefix("Placement at PoP iad") == true)
        #expect(try Database.inMemory().explain("RETURN 1").json[attribute: "placement"].isNull)
    }

    @Test func scenario10_edgesLiveWhereBothEndpointsMay() throws {
        let f = try Fleet(in: scratch)
        try f["fra"].query("INSERT {_key: 'eve', residency: 'EU'} INTO users")
        try f["fra"].query("INSERT {_key: 'louvre'} INTO places")
        try f["fra"].query("INSERT {_key: 'edge-canary', _from: 'users/eve', _to: 'places/louvre'} INTO visits")
        try f.syncAll()
        #expect(try f.popsContaining("edge-canary").sorted() == ["ams", "fra", "par"])
        #expect(try f.count("iad", "FOR v IN visits RETURN v") == 0)
        #expect(try f.count("iad", "FOR p IN places RETURN p") == 1)
        // At a PoP that does not hold the pinned endpoint, the edge's placement is unknown: refused.
        let e = #expect(throws: LocusError.self) {
            try f["iad"].query("INSERT {_from: 'users/eve', _to: 'places/louvre'} INTO visits")
        }
        #expect(e?.code == .placementDenied)
        // Re-pinning the vertex to Germany takes its edges with it.
        try f["fra"].query("UPDATE 'eve' WITH {residency: 'DE'} IN users")
        try f.syncAll()
        #expect(try f.popsContaining("edge-canary") == ["fra"])
    }

    @Test func scenario11_importIsAdmittedRecordByRecord() throws {
        let f = try Fleet(in: scratch)
        let lines = [
            #"{"_key": "a", "residency": "US"}"#, #"{"_key": "b", "residency": "EU", "note": "import-canary"}"#,
        ]
        #expect(throws: LocusError.self) {
            _ = try f["iad"].importDocuments(into: "users") { imp in
                for (i, l) in lines.enumerated() { try imp.add(line: i + 1, json: l) }
            }
        }
        #expect(try f.count("iad", "FOR u IN users RETURN u") == 0)
        let summary = try f["iad"].importDocuments(into: "users", onError: .skip) { imp in
            for (i, l) in lines.enumerated() { try imp.add(line: i + 1, json: l) }
        }
        #expect(summary.created == 1)
        #expect(summary.skipped.map(\.line) == [2])
        #expect(summary.skipped.first?.error.contains("7801") == true)
        #expect(try f.popsContaining("import-canary").isEmpty)
    }

    @Test func scenario12_evictionInterruptedResumesAtOpen() throws {
        var f = try Fleet(in: scratch)
        let canary = SovereigntyTests.canary()
        try f["fra"].query("INSERT {_key: 'k', note: @c} INTO places", bindVars: ["c": .string(canary)])
        try f.syncAll()
        // A reader holding a snapshot keeps the truncating checkpoint from completing: the
        // eviction is journaled and logically done, but physically pending.
        let reader = try Database(path: f.path("iad"))
        try reader.withStorage { s in
            try s.begin(write: false)
            _ = try s.collections.first.map { try s.count($0) }
        }
        let narrowed = Fleet.policy.replacingOccurrences(of: #""version": 1"#, with: #""version": 2"#)
            .replacingOccurrences(
                of: #""sessions""#, with: #""places": {"placement": ["jurisdiction:eu"]}, "sessions""#)
        try f["fra"].setPlacementPolicy(narrowed)
        try f["bom"].pull(f["fra"])
        try f["iad"].pull(f["fra"])
        #expect(try f.count("iad", "FOR p IN places RETURN p") == 0)
        let pending = try f["iad"].withStorage { try $0.pendingEvictions() }
        #expect(pending.count == 1)
        try reader.withStorage { $0.rollback() }
        // "Crash": drop the PoP's connection and open the file again, which completes it.
        f.pops["iad"] = nil
        let reopened = try Database(path: f.path("iad"))
        f.pops["iad"] = reopened
        #expect(try reopened.withStorage { try $0.pendingEvictions() }.isEmpty)
        #expect(try f.popsContaining(canary).sorted() == ["ams", "fra", "par"])
    }

    @Test func scenario13_syncDoesNotResurrectEvicted() throws {
        let f = try Fleet(in: scratch)
        let canary = SovereigntyTests.canary()
        try f["fra"].query(
            "INSERT {_key: 'zed', residency: 'EU', note: @c} INTO users", bindVars: ["c": .string(canary)])
        try f.syncAll()
        try f["fra"].query("UPDATE 'zed' WITH {residency: 'DE'} IN users")
        // par learns of the move from fra, then pulls the old version from ams, which has not.
        try f["par"].pull(f["fra"])
        #expect(try f.count("par", "FOR u IN users RETURN u") == 0)
        try f["par"].pull(f["ams"])
        #expect(try f.count("par", "FOR u IN users RETURN u") == 0)
        try f.syncAll()
        #expect(try f.popsContaining(canary) == ["fra"])
    }

    @Test func scenario13_noticeOfANewerLifeRaisesTheEvictionJournal() throws {
        // iad evicted an earlier life of the record; the record came back unpinned, then moved
        // away again. A late page with the unpinned life must not bring it back to iad.
        let f = try Fleet(in: scratch)
        try f["fra"].query("INSERT {_key: 'kay', residency: 'DE'} INTO users")
        try f["iad"].pull(f["fra"])
        let canary = SovereigntyTests.canary()
        try f["fra"].query("REMOVE 'kay' IN users")
        try f["fra"].query(
            "INSERT {_key: 'kay', residency: 'none', note: @c} INTO users", bindVars: ["c": .string(canary)])
        try f["par"].pull(f["fra"])
        let late = try f["par"].replicator().serve(
            try f["iad"].replicator().request(to: try f["par"].replicator().identity()))
        try f["fra"].query("UPDATE 'kay' WITH {residency: 'DE'} IN users")
        try f["iad"].pull(f["fra"])
        try f["iad"].replicator().receive(late)
        #expect(try f.count("iad", "FOR u IN users FILTER u._key == 'kay' RETURN u") == 0)
        #expect(!(try f.popsContaining(canary).contains("iad")))
    }

    @Test func scenario10_edgeArrivingAfterItsEndpointMovedAwayIsRefused() throws {
        // par sends a page with a user and an edge to it; before it arrives, ams learns from fra
        // that the user moved away. The edge, judged by par as allowed at ams, is refused too.
        let f = try Fleet(in: scratch)
        try f["fra"].query("INSERT {_key: 'kw', residency: 'EU'} INTO users")
        try f["par"].pull(f["fra"])
        let canary = SovereigntyTests.canary()
        try f["par"].query(
            "INSERT {_key: 'vw', _from: 'users/kw', _to: 'places/louvre', note: @c} INTO visits",
            bindVars: ["c": .string(canary)])
        let late = try f["par"].replicator().serve(
            try f["ams"].replicator().request(to: try f["par"].replicator().identity()))
        try f["fra"].query("UPDATE 'kw' WITH {residency: 'DE'} IN users")
        try f["ams"].pull(f["fra"])
        try f["ams"].replicator().receive(late)
        #expect(try f.count("ams", "FOR v IN visits RETURN v") == 0)
        #expect(!(try f.popsContaining(canary).contains("ams")))
    }

    @Test func scenario06_fulltextEntriesLeaveWithTheRecord() throws {
        let f = try Fleet(in: scratch)
        try f["fra"].createIndex(collection: "users", fields: ["note"], type: .fulltext)
        let word = "zq" + String(UInt64.random(in: 1...UInt64.max), radix: 36)
        try f["fra"].query(
            "INSERT {_key: 'fx', residency: 'EU', note: CONCAT('secret ', @w)} INTO users",
            bindVars: ["w": .string(word)])
        try f.syncAll()
        #expect(
            try f["ams"].query("RETURN LENGTH(FULLTEXT(users, 'note', @w))", bindVars: ["w": .string(word)]).rows == [1]
        )
        try f["fra"].query("UPDATE 'fx' WITH {residency: 'DE'} IN users")
        try f.syncAll()
        #expect(
            try f["ams"].query("RETURN LENGTH(FULLTEXT(users, 'note', @w))", bindVars: ["w": .string(word)]).rows == [0]
        )
        #expect(try f.popsContaining(word) == ["fra"])
    }

    @Test func scenario14_receiverRefusesWhatTheSenderShouldNotHaveSent() throws {
        let f = try Fleet(in: scratch)
        let iad = f["iad"].replicator()
        func page(_ placement: SiteSet?) throws -> PullResponse {
            let change = Change(
                collection: "users", key: "mallory", causalLength: 1,
                stamp: ChangeStamp(hlc: 1 << 40, site: "fra"),
                body: .marker(base: ["residency": "EU", "note": "refused-canary"]), sequence: 1, placement: placement)
            return PullResponse(
                fabric: "five", pop: "fra", epoch: "forged", after: 0, upTo: 1, more: false, changes: [change])
        }
        for p in [SiteSet.everywhere, .only(["fra"]), nil] { try iad.receive(try page(p)) }
        #expect(try f.count("iad", "FOR u IN users RETURN u") == 0)
        #expect(try f.popsContaining("refused-canary").isEmpty)
        #expect(try f["iad"].auditLog().contains { $0.event == "receive" && ($0.detail ?? "").contains("refused") })
    }

    @Test func scenario09_exportsArePerPoPAndHoldOnlyWhatThePoPMayHold() throws {
        let f = try Fleet(in: scratch)
        try f["fra"].query("INSERT {_key: 'ex1', residency: 'EU'} INTO users")
        try f["iad"].query("INSERT {_key: 'ex2', residency: 'US'} INTO users")
        try f.syncAll()
        func exported(_ pop: String) throws -> [String] {
            var keys: [String] = []
            try f[pop].exportDocuments("users") { line in
                if case .string(let k)? = (try? JSONReader.parse(line))?.objectValue?["_key"] { keys.append(k) }
            }
            return keys.sorted()
        }
        #expect(try exported("fra") == ["ex1", "ex2"])
        #expect(try exported("iad") == ["ex2"])
        #expect(try exported("bom") == ["ex2"])
    }

    @Test func scenario15_clockSkewNeverChangesPlacement() throws {
        // A peer whose clock runs years ahead wins merges by its stamps, but where a record may
        // live is still decided by its content alone.
        let f = try Fleet(in: scratch)
        try f["fra"].query("INSERT {_key: 'sk', residency: 'US', note: 'before'} INTO users")
        try f.syncAll()
        let future = ChangeStamp(hlc: UInt64(1) << 62, site: "fra")
        let change = Change(
            collection: "users", key: "sk", causalLength: 1, stamp: future,
            body: .attribute(name: "residency", value: "EU"), sequence: 1, placement: .only(["ams", "fra", "par"]))
        let page = PullResponse(
            fabric: "five", pop: "fra", epoch: "skewed", after: 0, upTo: 1, more: false, changes: [change])
        try f["par"].replicator().receive(page)
        try f["iad"].replicator().receive(page)
        #expect(try f["par"].query("FOR u IN users FILTER u._key == 'sk' RETURN u.residency").rows == ["EU"])
        // iad refuses the change; the stale copy it holds leaves when the move reaches it.
        try f["iad"].pull(f["par"])
        #expect(try f.count("iad", "FOR u IN users FILTER u._key == 'sk' RETURN u") == 0)
        #expect(
            try f["iad"].explainPlacement(collection: "users", key: "sk", document: ["residency": "US"]).allowed
                == .everywhere)
    }

    @Test func scenario16_anUnattestedPoPReceivesNoPinnedData() throws {
        // The fabric authority attested every PoP but par, whose signature is missing: par
        // still receives unpinned data, but no placement includes it.
        var fabric = try Attestation.attest(
            TestFabrics.named("five"), privateKey: Attestation.newAuthority().privateKey)
        fabric.pops[1].attestation = nil
        let f = try Fleet(fabric: fabric, in: scratch)
        let canary = SovereigntyTests.canary()
        try f["fra"].query(
            "INSERT {_key: 'at1', residency: 'EU', note: @c} INTO users", bindVars: ["c": .string(canary)])
        try f["fra"].query("INSERT {_key: 'at2', residency: 'US'} INTO users")
        #expect(throws: LocusError.self) { try f["par"].query("INSERT {_key: 'at3', residency: 'EU'} INTO users") }
        try f.syncAll()
        #expect(try f["par"].query("FOR u IN users SORT u._key RETURN u._key").rows == ["at2"])
        #expect(try f.popsContaining(canary).sorted() == ["ams", "fra"])
        #expect(try f["fra"].explainPlacement(collection: "users", key: "at1").allowed == .only(["ams", "fra"]))
        #expect(try Compliance.check(paths: f.names.map(f.path)).findings.isEmpty)
    }

    @Test func scenario17_uniqueChecksNeverConsultOtherPoPs() throws {
        // A unique index is checked against what the writing PoP holds, and a merge of
        // concurrent writes keeps both: a PoP outside a record's placement cannot learn that
        // a pinned value exists by trying to write it.
        let f = try Fleet(in: scratch)
        try f["fra"].createIndex(collection: "users", fields: ["email"], unique: true)
        try f.syncAll()
        try f["fra"].query("INSERT {_key: 'eu1', residency: 'EU', email: 'ada@example.org'} INTO users")
        try f.syncAll()
        try f["iad"].query("INSERT {_key: 'us1', residency: 'US', email: 'ada@example.org'} INTO users")
        #expect(throws: LocusError.self) {
            try f["par"].query("INSERT {_key: 'eu2', residency: 'EU', email: 'ada@example.org'} INTO users")
        }
        try f.syncAll()
        #expect(try f["iad"].query("FOR u IN users FILTER u.email == 'ada@example.org' RETURN u._key").rows == ["us1"])
        #expect(
            try f["fra"].query("FOR u IN users FILTER u.email == 'ada@example.org' SORT u._key RETURN u._key").rows == [
                "eu1", "us1",
            ])
    }

    @Test func scenario20_indexCreationRacingANarrowingLeavesNoEntriesBehind() throws {
        // fra creates an index while iad narrows where places may live; whichever order the
        // two changes reach each PoP in, iad ends with neither rows nor index entries of places.
        let f = try Fleet(in: scratch)
        let canary = SovereigntyTests.canary()
        try f["fra"].query(
            "FOR i IN 1..20 INSERT {_key: CONCAT('q', i), name: CONCAT(@c, '-', i)} INTO places",
            bindVars: ["c": .string(canary)])
        try f.syncAll()
        try f["fra"].createIndex(collection: "places", fields: ["name"])
        try f["par"].createIndex(collection: "places", fields: ["name"], type: .fulltext)
        let narrowed = Fleet.policy.replacingOccurrences(of: #""version": 1"#, with: #""version": 2"#)
            .replacingOccurrences(
                of: #""sessions""#, with: #""places": {"placement": ["jurisdiction:eu"]}, "sessions""#)
        try f["iad"].setPlacementPolicy(narrowed)
        try f["bom"].pull(f["fra"])
        try f["iad"].pull(f["par"])
        try f.syncAll(rounds: 3)
        #expect(try f.count("iad", "FOR p IN places RETURN p") == 0)
        #expect(
            try f["iad"].query("RETURN LENGTH(FULLTEXT(places, 'name', @w))", bindVars: ["w": .string("canary")]).rows
                == [0])
        #expect(try f.popsContaining(canary).sorted() == ["ams", "fra", "par"])
        #expect(try Compliance.check(paths: f.names.map(f.path)).findings.isEmpty)
    }

    @Test func scenario19_auditLogRecordsTransfersWithoutValues() throws {
        let f = try Fleet(in: scratch)
        try f["fra"].query("INSERT {_key: 'audit-canary-key', residency: 'EU', note: 'audit-canary-value'} INTO users")
        try f.syncAll()
        try f["fra"].query("UPDATE 'audit-canary-key' WITH {residency: 'DE'} IN users")
        try f.syncAll()
        let fra = try f["fra"].auditLog()
        #expect(fra.contains { $0.event == "send" && $0.peer == "iad" && ($0.detail ?? "").contains("withheld") })
        #expect(try f["par"].auditLog().contains { $0.event == "evict" && $0.collection == "users" })
        for n in f.names {
            for entry in try f[n].auditLog() {
                #expect(!"\(entry)".contains("audit-canary"))
            }
        }
    }
}
