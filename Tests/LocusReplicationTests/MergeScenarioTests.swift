// The merge semantics, one scenario at a time: what each PoP sees after concurrent
// inserts, updates, replaces and removes, key-value expiry, catalog changes, and pulls that
// are repeated, paged, or from a PoP that was recreated.

import LocusErrors
import LocusPolicy
import LocusReplication
import LocusStorage
import LocusValues
import Testing

@Suite struct MergeScenarioTests {
    func pair() throws -> (TestPoP, TestPoP) {
        let f = try smallFabric(["a", "b", "c"])
        let a = try TestPoP(name: "a", fabric: f)
        let b = try TestPoP(name: "b", fabric: f)
        try a.with { _ = try $0.createCollection("docs", type: .document) }
        try b.pull(a)
        return (a, b)
    }

    func insert(_ p: TestPoP, _ key: String, _ doc: Value) throws {
        try p.with { s in
            guard case .object(var o) = doc else { return }
            o["_key"] = .string(key)
            try s.transaction(write: true) { _ = try s.insert(try s.coll("docs"), o) }
        }
    }

    func both(_ a: TestPoP, _ b: TestPoP) throws {
        try b.pull(a)
        try a.pull(b)
    }

    @Test func insertReplicatesWithTheSameRevision() throws {
        let (a, b) = try pair()
        try insert(a, "k", ["x": 1, "y": "two"])
        let stats = try b.pull(a)
        #expect(stats.applied == 1)
        let da = try a.query("docs", "k"), db = try b.query("docs", "k")
        #expect(da == db)
        #expect(da?[attribute: "_rev"] == db?[attribute: "_rev"])
        #expect(db?[attribute: "y"] == "two")
        // A second pull finds nothing new.
        #expect(try b.pull(a).applied == 0)
    }

    @Test func concurrentUpdatesOfDifferentAttributesBothSurvive() throws {
        let (a, b) = try pair()
        try insert(a, "k", ["x": 1, "y": 1])
        try b.pull(a)
        try a.with { try $0.update("docs", "k", ["x": 2]) }
        b.clock.advance(5)
        try b.with { try $0.update("docs", "k", ["y": 3]) }
        try both(a, b)
        for p in [a, b] {
            #expect(try p.query("docs", "k")?[attribute: "x"] == 2)
            #expect(try p.query("docs", "k")?[attribute: "y"] == 3)
        }
        #expect(try a.query("docs", "k") == b.query("docs", "k"))
    }

    @Test func concurrentUpdatesOfOneAttributeLastWriterWinsThenPoPName() throws {
        let (a, b) = try pair()
        try insert(a, "k", ["x": 0])
        try b.pull(a)
        b.clock.advance(10)
        try b.with { try $0.update("docs", "k", ["x": "b, later"]) }
        try a.with { try $0.update("docs", "k", ["x": "a, earlier"]) }
        try both(a, b)
        #expect(try a.query("docs", "k")?[attribute: "x"] == "b, later")
        #expect(try b.query("docs", "k")?[attribute: "x"] == "b, later")

        // Same physical time on both: the HLCs tie only if the counters do; the PoP name
        // then decides, deterministically.
        let (c, d) = try pair()
        try insert(c, "k", ["x": 0])
        try d.pull(c)
        c.clock.set(1_800_000_000)
        d.clock.set(1_800_000_000)
        try c.with { try $0.update("docs", "k", ["x": "from a"]) }
        try d.with { try $0.update("docs", "k", ["x": "from b"]) }
        try both(c, d)
        #expect(try c.query("docs", "k")?[attribute: "x"] == "from b")
        #expect(try d.query("docs", "k")?[attribute: "x"] == "from b")
    }

    @Test func removeBeatsAConcurrentUpdateAndReinsertWorks() throws {
        let (a, b) = try pair()
        try insert(a, "k", ["x": 1])
        try b.pull(a)
        try a.with { s in try s.transaction(write: true) { _ = try s.remove(try s.coll("docs"), key: "k") } }
        b.clock.advance(60)  // a later wall clock does not let a stale update resurrect
        try b.with { try $0.update("docs", "k", ["x": 2]) }
        try both(a, b)
        #expect(try a.query("docs", "k") == nil)
        #expect(try b.query("docs", "k") == nil)

        try insert(b, "k", ["fresh": true])
        try both(a, b)
        #expect(try a.query("docs", "k")?[attribute: "fresh"] == true)
        #expect(try a.query("docs", "k")?[attribute: "x"] == .null)
        #expect(try a.query("docs", "k") == b.query("docs", "k"))
    }

    @Test func replaceVersusConcurrentUpdate() throws {
        let (a, b) = try pair()
        try insert(a, "k", ["x": 1, "y": 1, "z": 1])
        try b.pull(a)
        try a.with { s in
            try s.transaction(write: true) { _ = try s.replace(try s.coll("docs"), key: "k", with: ["x": 10]) }
        }
        b.clock.advance(5)
        try b.with { try $0.update("docs", "k", ["y": 20]) }
        try both(a, b)
        // The replace removed y and z; the later update of y survives it, z stays removed.
        for p in [a, b] {
            let d = try p.query("docs", "k")
            #expect(d?[attribute: "x"] == 10)
            #expect(d?[attribute: "y"] == 20)
            #expect(d?[attribute: "z"] == .null)
        }
        #expect(try a.query("docs", "k") == b.query("docs", "k"))
    }

    @Test func concurrentInsertsOfOneKeyTheLaterWinsWhole() throws {
        let (a, b) = try pair()
        try insert(a, "k", ["from": "a", "onlyA": true])
        b.clock.advance(1)
        try insert(b, "k", ["from": "b"])
        try both(a, b)
        for p in [a, b] {
            let d = try p.query("docs", "k")
            #expect(d?[attribute: "from"] == "b")
            #expect(d?[attribute: "onlyA"] == .null)
        }
    }

    @Test func keyValueEntriesExpireTheSameWayEverywhere() throws {
        let (a, b) = try pair()
        try a.with { _ = try $0.createCollection("sessions", type: .kv) }
        let now = a.clock.now()
        try a.with { s in
            try s.transaction(write: true) {
                _ = try s.insert(try s.coll("sessions"), ["_key": "s1", "value": "v", "expireAt": .number(now + 100)])
                _ = try s.insert(try s.coll("sessions"), ["_key": "s2", "value": "w"])
            }
        }
        try b.pull(a)
        #expect(try b.query("sessions", "s1")?[attribute: "value"] == "v")
        // Past the deadline a purges locally; b still holds the expired row; both read it as gone.
        a.clock.advance(200)
        b.clock.advance(200)
        try a.with { try $0.purgeExpired() }
        #expect(try a.query("sessions", "s1") == nil)
        #expect(try b.query("sessions", "s1") == nil)
        // A new put with a later deadline at b reaches a.
        try b.with { s in
            try s.transaction(write: true) {
                _ = try s.insert(
                    try s.coll("sessions"), ["_key": "s1", "value": "again", "expireAt": .number(now + 1000)])
            }
        }
        try both(a, b)
        #expect(try a.query("sessions", "s1")?[attribute: "value"] == "again")
        #expect(try a.states(at: now + 300) == b.states(at: now + 300))
    }

    @Test func collectionsAndIndexesReplicate() throws {
        let (a, b) = try pair()
        try a.with { s in
            _ = try s.createCollection("people", type: .document)
            _ = try s.createCollection("knows", type: .edge)
            try s.createIndex(collection: "people", type: .persistent, fields: ["age"])
            try s.transaction(write: true) {
                _ = try s.insert(try s.coll("people"), ["_key": "ada", "age": 36])
                _ = try s.insert(try s.coll("knows"), ["_from": "people/ada", "_to": "people/bob"])
            }
        }
        try b.pull(a)
        try b.with { s in
            #expect(s.collection("knows")?.type == .edge)
            let fields = try s.indexes("people").map(\.fields)
            #expect(fields.contains(["age"]))
            var out: [String] = []
            try s.edges(try s.coll("knows"), vertex: "people/ada", outbound: true) { doc in
                out.append(try JSONReader.parse(doc)[attribute: "_to"].stringValue ?? "")
                return true
            }
            #expect(out == ["people/bob"])
            let ix = s.index("people", named: try s.indexes("people").last!.name)!
            var keys: [String] = []
            try s.indexKeys(ix, range: IndexRange(lower: nil, upper: nil)) {
                keys.append($0); return true
            }
            #expect(keys == ["ada"])
        }
        try a.with { s in try s.dropIndex(collection: "people", name: try s.indexes("people").last!.name) }
        try a.with { try $0.dropCollection("knows") }
        try b.pull(a)
        let count = try b.with { s in try s.indexes("people").count }
        #expect(try b.with { $0.collection("knows") } == nil)
        #expect(count == 1)
    }

    @Test func pagedPullsResumeAndRepeatedPagesAreHarmless() throws {
        let f = try smallFabric(["a", "b"])
        let a = try TestPoP(name: "a", fabric: f)
        let b = try TestPoP(name: "b", fabric: f, pageLimit: 7)
        try a.with { s in
            _ = try s.createCollection("docs", type: .document)
            try s.transaction(write: true) {
                for i in 0..<50 {
                    _ = try s.insert(try s.coll("docs"), ["_key": .string("k\(i)"), "i": .number(Double(i))])
                }
            }
        }
        let peer = try a.replicator.identity()
        let first = try a.replicator.serve(try b.replicator.request(to: peer))
        #expect(first.upTo == 7 && first.more)
        try b.replicator.receive(first)
        try b.replicator.receive(first)  // duplicated
        let second = try a.replicator.serve(try b.replicator.request(to: peer))
        #expect(second.after == first.upTo)
        // Delivered out of order after the second: merged, watermark not moved backwards.
        try b.replicator.receive(second)
        try b.replicator.receive(first)
        let stats = try b.pull(a)
        #expect(stats.pages >= 6)
        #expect(try b.content(at: 0)["docs"]?.count == 50)
        #expect(try b.content(at: 0) == a.content(at: 0))
    }

    @Test func aPageEndsOnlyBetweenRecords() throws {
        let f = try smallFabric(["a"])
        let a = try TestPoP(name: "a", fabric: f)
        try a.with { _ = try $0.createCollection("docs", type: .document) }
        for i in 0..<5 { try insert(a, "k\(i)", .object([:])) }
        // Each update writes three attribute clocks, one after another in the feed.
        for i in 0..<5 { try a.with { try $0.update("docs", "k\(i)", ["x": .int(1), "y": .int(2), "z": .int(3)]) } }
        let start = try a.with { s in try s.changes(after: 0, limit: 1_000).changes.filter { $0.collection == "docs" } }
        #expect(start.count == 20)
        let after = start[4].sequence  // the last insert's marker
        // A limit of four ends inside k1's clocks: the page takes k1's last two as well.
        let page = try a.with { try $0.changes(after: after, limit: 4) }
        let docs = page.changes.filter { $0.collection == "docs" }
        #expect(docs.map(\.key) == ["k0", "k0", "k0", "k1", "k1", "k1"])
        #expect(page.more && page.upTo == docs.last!.sequence)
        let next = try a.with { try $0.changes(after: page.upTo, limit: 4) }
        #expect(next.changes.filter { $0.collection == "docs" }.map(\.key) == ["k2", "k2", "k2", "k3", "k3", "k3"])
        let last = try a.with { try $0.changes(after: next.upTo, limit: 4) }
        #expect(last.changes.filter { $0.collection == "docs" }.map(\.key) == ["k4", "k4", "k4"])
        #expect(!last.more)
    }

    @Test func aRecreatedPoPIsPulledFromTheStart() throws {
        let f = try smallFabric(["a", "b"])
        let a = try TestPoP(name: "a", fabric: f)
        let b = try TestPoP(name: "b", fabric: f)
        try a.with { _ = try $0.createCollection("docs", type: .document) }
        try insert(a, "one", ["n": 1])
        try b.pull(a)
        // b is wiped and recreated under a new epoch; a's watermark for b's old copy is void.
        let b2 = try TestPoP(name: "b", fabric: f)
        try b2.with { s in
            _ = try s.createCollection("docs", type: .document)
            try s.transaction(write: true) { _ = try s.insert(try s.coll("docs"), ["_key": "two", "n": 2]) }
        }
        try a.pull(b2)
        try b2.pull(a)
        #expect(try a.content(at: 0) == b2.content(at: 0))
        #expect(try a.query("docs", "two")?[attribute: "n"] == 2)
    }

    @Test func strangersLoopsAndMalformedMessagesAreRefused() throws {
        let (a, b) = try pair()
        let other = try TestPoP(name: "x", fabric: try smallFabric(["x", "a"]).renamed("other"))
        #expect(throws: LocusError.self) { try other.pull(a) }
        var req = try b.replicator.request(to: try a.replicator.identity())
        req.pop = "a"
        #expect { try a.replicator.serve(req) } throws: { ($0 as? LocusError)?.code == .replicationLoop }
        req.pop = "mallory"
        #expect { try a.replicator.serve(req) } throws: { ($0 as? LocusError)?.code == .replicationInvalidResponse }
        for bad in [
            "", "[]", "{\"fabric\":1}",
            #"{"fabric":"test","pop":"a","epoch":"e","after":0,"upTo":1,"more":false,"changes":[["docs"]]}"#,
            #"{"fabric":"test","pop":"a","epoch":"e","after":0,"upTo":1,"more":false,"changes":[["docs","k",1,"x","a",1,"m"]]}"#,
            #"{"fabric":"test","pop":"a","epoch":"e","after":0,"upTo":1,"more":false,"changes":[["docs","k",0,"1","a",1,"m"]]}"#,
        ] {
            #expect { try PullResponse(json: bad) } throws: { ($0 as? LocusError)?.code == .replicationInvalidResponse }
        }
        // A well-formed page for a collection nobody created is refused, not half-applied.
        let page = PullResponse(
            fabric: "test", pop: "a", epoch: "e", after: 0, upTo: 2, more: false,
            changes: [
                Change(
                    collection: "docs", key: "ok", causalLength: 1, stamp: ChangeStamp(hlc: 1 << 40, site: "a"),
                    body: .marker(base: ["v": 1])),
                Change(
                    collection: "ghost", key: "k", causalLength: 1, stamp: ChangeStamp(hlc: 1 << 40, site: "a"),
                    body: .marker(base: [:])),
            ])
        #expect { try b.replicator.receive(page) } throws: { ($0 as? LocusError)?.code == .replicationInvalidResponse }
        #expect(try b.query("docs", "ok") == nil)
    }
}

extension Fabric {
    func renamed(_ name: String) throws -> Fabric { try Fabric(name: name, pops: pops) }
}
