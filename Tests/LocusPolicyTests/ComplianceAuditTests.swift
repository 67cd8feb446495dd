// The compliance audit over PoP storages, without the facade: a record held where the newest
// policy forbids it is a violation, a record absent where it should live is missing, and an
// edge is judged by the placements of its endpoints however the records are listed.

import Foundation
import Testing
import LocusPolicy
import LocusStorage
import LocusTestSupport
import LocusValues

@Suite struct ComplianceAuditTests {
    static let policy = """
        {"version": 1, "default": "everywhere", "collections": {
          "users": {"placement": ["everywhere"], "rules": [{"when": "doc.residency == 'EU'", "allow": ["jurisdiction:eu"]}]}}}
        """

    /// An in-memory PoP of the trio fabric that compiles policies.
    func pop(_ name: String) throws -> Storage {
        let s = try Storage(path: ":memory:")
        try s.enableReplica(pop: name, epoch: "epoch-\(name)")
        try s.setFabricDescription(PlacementPolicyTests.fabric.json)
        try s.usePolicyCompiler(PlacementPolicy.compiler)
        return s
    }

    @Test func violationsMissingRecordsAndEdgesByTheirEndpoints() throws {
        let fra = try pop("fra")
        let iad = try pop("iad")
        // Written at iad before any policy: the EU record and an edge to it have no business
        // there once the policy arrives, and the audit judges by the newest policy any PoP has.
        for s in [fra, iad] {
            _ = try s.createCollection("knows", type: .edge)
            _ = try s.createCollection("users", type: .document)
        }
        let users = try iad.requireCollection("users")
        _ = try iad.insert(users, ["_key": "eu", "residency": "EU"])
        _ = try iad.insert(users, ["_key": "us", "residency": "US"])
        _ = try iad.insert(try iad.requireCollection("knows"), ["_from": "users/us", "_to": "users/eu", "_key": "k"])
        try fra.setPlacementPolicy(Self.policy)
        _ = try fra.insert(try fra.requireCollection("users"), ["_key": "open", "residency": "US"])

        let report = try ComplianceAudit.run([fra, iad], pops: ["fra", "iad"], policy: fra.placementGate)
        #expect(report.policyVersion == 1 && report.pops == ["fra", "iad"])
        #expect(!report.isClean)
        let rows = report.findings.filter { $0.location == .row }.map { "\($0.pop) \($0.collection)/\($0.key)" }
        #expect(rows == ["iad knows/k", "iad users/eu"])
        #expect(report.findings.first { $0.key == "k" }?.allowed == .only(["fra"]))
        let missing = report.missing.map { "\($0.pop) \($0.collection)/\($0.key)" }
        #expect(missing == ["fra knows/k", "fra users/eu", "fra users/us", "iad users/open"])
        #expect(
            try ComplianceAudit.missing([fra, iad], pops: ["fra", "iad"], policy: #require(fra.placementGate))
                == report.missing)
    }

    @Test func withoutAPolicyNothingIsJudged() throws {
        let report = try ComplianceAudit.run([try pop("fra")], pops: ["fra"], policy: nil)
        #expect(report.isClean && report.records == 0 && report.policyVersion == nil)
    }

    @Test func verticesAreOrderedBeforeEdges() {
        let items: [(String, CollectionType)] = [("e1", .edge), ("v1", .document), ("e2", .edge), ("k1", .kv)]
        #expect(PlacementOrder.verticesFirst(items, type: \.1).map(\.0) == ["v1", "k1", "e1", "e2"])
    }
}
