// The adversarial property of sovereignty: after random operations across five PoPs
// (writes with canaries, re-pins, removals, edges to pinned vertices, imports, policy
// narrowing and widening, pages delivered twice and out of order, and crashes in the middle
// of an eviction), a byte scan of every PoP's database and WAL finds no canary of a record
// at a PoP outside its placement (canaries are search view entries too), queries there
// return none of its rows, and the compliance audit is clean. 3 seeds of 400 operations by
// default; LOCUS_SLOW_TESTS=1 runs 10,000 operations; LOCUS_SEED=n replays one seed.

import Foundation
import Locus
import LocusReplication
import LocusStorage
import LocusTestSupport
import Testing

@Suite struct SovereigntyPropertyTests {
    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    static var seeds: [UInt64] {
        if let s = ProcessInfo.processInfo.environment["LOCUS_SEED"], let n = UInt64(s) { return [n] }
        return [1, 2, 3]
    }

    static var operations: Int { ProcessInfo.processInfo.environment["LOCUS_SLOW_TESTS"] != nil ? 10_000 : 400 }

    @Test(arguments: SovereigntyPropertyTests.seeds)
    func noCanaryOutsideItsPlacement(seed: UInt64) throws {
        var f = try Fleet(in: scratch)
        // Every canary is also a view entry (the identity analyzer keeps it whole), so the byte
        // scans below cover the view's table too.
        try f["fra"].createView(
            SearchViewDefinition(json: [
                "name": "canaries",
                "links": [
                    "users": ["fields": ["note": ["analyzers": ["identity", "text_en"]]]],
                    "places": ["fields": ["name": [:]]],
                ],
            ]))
        try f.syncAll()
        var g = SeededGenerator(seed: seed)
        let residencies = ["EU", "DE", "IN", "US", "none"]
        var canaries: [String: String] = [:]  // canary -> "collection/key"
        var denied: [String] = []
        var held: [(PullResponse, String)] = []  // pages kept back for late, duplicate delivery
        var policyVersion = 1
        var places = 0
        for step in 0..<SovereigntyPropertyTests.operations {
            let pop = g.pick(f.names)
            let db = f[pop]
            let key = "k\(g.below(60))"
            let canary = "CANARY-\(seed)-\(step)-X"
            do {
                switch g.below(100) {
                case 0..<30:
                    let r = g.pick(residencies)
                    try db.query(
                        "INSERT {_key: @k, residency: @r, note: @c} INTO users OPTIONS {overwriteMode: 'replace'}",
                        bindVars: ["k": .string(key), "r": .string(r), "c": .string(canary)])
                    canaries[canary] = "users/\(key)"
                case 30..<45:
                    try db.query(
                        "UPDATE @k WITH {residency: @r} IN users OPTIONS {ignoreErrors: true}",
                        bindVars: ["k": .string(key), "r": .string(g.pick(residencies))])
                case 45..<52:
                    try db.query("REMOVE @k IN users OPTIONS {ignoreErrors: true}", bindVars: ["k": .string(key)])
                case 52..<60:
                    places += 1
                    try db.query(
                        "INSERT {_key: @k, name: @c} INTO places",
                        bindVars: ["k": .string("p\(step)"), "c": .string(canary)])
                    canaries[canary] = "places/p\(step)"
                case 60..<68:
                    try db.query(
                        "INSERT {_key: @e, _from: CONCAT('users/', @k), _to: 'places/louvre', note: @c} INTO visits",
                        bindVars: ["e": .string("e\(step)"), "k": .string(key), "c": .string(canary)])
                    canaries[canary] = "visits/e\(step)"
                case 68..<72:
                    _ = try db.importDocuments(into: "users", onError: .skip) { imp in
                        try imp.add(
                            line: 1,
                            json:
                                #"{"_key": "imp\#(step)", "residency": "\#(g.pick(residencies))", "note": "\#(canary)"}"#
                        )
                    }
                    canaries[canary] = "users/imp\(step)"
                case 72..<74:
                    // Narrow or widen where places may live.
                    policyVersion += 1
                    let narrow = g.below(2) == 0
                    let text = Fleet.policy.replacingOccurrences(
                        of: #""version": 1"#, with: #""version": \#(policyVersion)"#
                    )
                    .replacingOccurrences(
                        of: #""sessions""#,
                        with: narrow ? #""places": {"placement": ["jurisdiction:eu"]}, "sessions""# : #""sessions""#)
                    try db.setPlacementPolicy(text)
                case 74..<78:
                    // A crash in the middle of an eviction: a reader blocks the physical part,
                    // then the PoP's connection goes away and the file is opened again.
                    let reader = try Database(path: f.path(pop))
                    try reader.withStorage { s in
                        try s.begin(write: false); _ = try s.collections.first.map { try s.count($0) }
                    }
                    try db.pull(f[g.pick(f.names.filter { $0 != pop })])
                    try reader.withStorage { $0.rollback() }
                    f.pops[pop] = nil
                    f.pops[pop] = try Database(path: f.path(pop))
                case 78..<86:
                    // A page served now, delivered twice, and again later out of order.
                    let peer = g.pick(f.names.filter { $0 != pop })
                    let me = db.replicator(pageLimit: 1 + g.below(20))
                    let response = try f[peer].replicator().serve(
                        try me.request(to: try f[peer].replicator().identity()))
                    try me.receive(response)
                    try me.receive(response)
                    held.append((response, pop))
                default:
                    if !held.isEmpty, g.below(2) == 0 {
                        let (response, to) = held.remove(at: g.below(held.count))
                        try f[to].replicator().receive(response)
                    } else {
                        try db.pull(f[g.pick(f.names.filter { $0 != pop })])
                    }
                }
            } catch let e as LocusError where e.code == .placementDenied || e.code == .uniqueConstraintViolated {
                if e.code == .placementDenied { denied.append(canary) }
            }
        }
        for (response, to) in held { try f[to].replicator().receive(response) }
        try f.syncAll(rounds: 3)

        // Where each live record may be, judged from its content where it lives.
        var allowed: [String: SiteSet] = [:]
        for n in f.names {
            for c in ["users", "places", "visits"] {
                for row in try f[n].query("FOR d IN @@c RETURN d._id", bindVars: ["@c": .string(c)]).rows {
                    guard case .string(let id) = row else { continue }
                    let slash = id.firstIndex(of: "/")!
                    let e = try f[n].explainPlacement(
                        collection: String(id[..<slash]), key: String(id[id.index(after: slash)...]))
                    allowed[id] = (allowed[id] ?? e.allowed).intersection(e.allowed)
                    #expect(e.allowed.contains(n), "seed \(seed): \(id) is returned at \(n), outside \(e.allowed)")
                }
            }
        }
        for (canary, id) in canaries {
            guard let a = allowed[id] else { continue }
            let outside = try f.popsContaining(canary).filter { !a.contains($0) }
            #expect(outside.isEmpty, "seed \(seed): canary of \(id) found at \(outside), outside \(a)")
        }
        for canary in denied where canaries[canary] == nil {
            #expect(try f.popsContaining(canary).isEmpty, "seed \(seed): a refused write left \(canary) behind")
        }
        let report = try Compliance.check(paths: f.names.map(f.path))
        #expect(report.findings.isEmpty, "seed \(seed): \(report.findings.prefix(5))")
        #expect(places > 0 && canaries.count > 10)
    }
}
