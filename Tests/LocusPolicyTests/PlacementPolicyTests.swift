// The placement policy on its own, without a database: how a policy text over a fabric places
// records (rules in order, the collection's placement, the default), that an edge lives only
// where both endpoints may, that a rule failing on a record places it nowhere, when a new
// policy places a collection alike, and that bad policies are refused with 7800-series errors.

import Foundation
import Testing
import LocusErrors
import LocusPolicy
import LocusStorage
import LocusTestSupport
import LocusValues

@Suite struct PlacementPolicyTests {
    static let fabric: Fabric = {
        let text = (try? String(contentsOfFile: Repository.path("Fixtures/fabrics/trio.json"), encoding: .utf8)) ?? ""
        return try! Fabric(json: text)
    }()

    static let text = """
        {"version": 3, "default": "everywhere", "collections": {
          "users": {"placement": ["country:US"], "rules": [
            {"when": "doc.residency == 'EU'", "allow": ["jurisdiction:eu"]},
            {"when": "doc.residency == 'IN'", "allow": ["country:IN"]},
            {"when": "doc.age > 'x' AND LENGTH(doc.tags) > 1", "allow": ["everywhere"]}]},
          "places": {"placement": ["jurisdiction:eu", "country:US"]}}}
        """

    func policy() throws -> PlacementPolicy { try PlacementPolicy(json: Self.text, fabric: Self.fabric) }

    func record(_ json: String) throws -> Object { try #require(JSONReader.parse(json).objectValue) }

    func noEndpoint(_ id: String) -> SiteSet? { nil }

    @Test func theFirstMatchingRuleDecides() throws {
        let p = try policy()
        #expect(p.version == 3)
        #expect(
            try p.placement(collection: "users", document: record(#"{"residency": "EU"}"#), endpoint: noEndpoint)
                == .only(["fra"]))
        #expect(
            try p.placement(collection: "users", document: record(#"{"residency": "IN"}"#), endpoint: noEndpoint)
                == .only(["bom"]))
        // No rule matches: the collection's own placement.
        #expect(
            try p.placement(collection: "users", document: record(#"{"residency": "BR"}"#), endpoint: noEndpoint)
                == .only(["iad"]))
        // A collection the policy does not name: the default.
        #expect(try p.placement(collection: "other", document: record("{}"), endpoint: noEndpoint) == .everywhere)
        let why = p.explain(collection: "users", document: try record(#"{"residency": "IN"}"#))
        #expect(why.rule == 2 && why.placement == .only(["bom"]))
    }

    /// The rules of a collection are judged with one evaluator and one set of registers: what
    /// one rule leaves in its registers (an inline filter's `CURRENT`, a `LET`-like temporary)
    /// must not reach the next.
    @Test func rulesJudgedTogetherDoNotSeeEachOthersRegisters() throws {
        let text = """
            {"version": 1, "default": "everywhere", "collections": {
              "users": {"placement": ["country:US"], "rules": [
                {"when": "LENGTH(doc.tags[* FILTER CURRENT == 'eu']) > 0", "allow": ["jurisdiction:eu"]},
                {"when": "LENGTH(doc.other[* FILTER CURRENT.x == 1]) > 0", "allow": ["country:IN"]},
                {"when": "FIRST(doc.tags[* RETURN CURRENT]) == 'us'", "allow": ["everywhere"]}]}}}
            """
        let p = try PlacementPolicy(json: text, fabric: Self.fabric)
        func place(_ json: String) throws -> SiteSet {
            try p.placement(collection: "users", document: record(json), endpoint: noEndpoint)
        }
        #expect(try place(#"{"tags": ["eu", "us"]}"#) == .only(["fra"]))
        #expect(try place(#"{"tags": ["us", "x"], "other": []}"#) == .everywhere)
        #expect(try place(#"{"tags": ["x"], "other": [{"x": 1}]}"#) == .only(["bom"]))
        #expect(try place(#"{"tags": ["x"], "other": [{"x": 2}]}"#) == .only(["iad"]))
        // Judged again and again, each record gets the same answer.
        for _ in 0..<3 {
            #expect(try place(#"{"tags": ["x"]}"#) == .only(["iad"]))
            #expect(try place(#"{"tags": ["eu"]}"#) == .only(["fra"]))
        }
    }

    @Test func anEdgeLivesOnlyWhereBothEndpointsMay() throws {
        let p = try policy()
        let endpoints: [String: SiteSet] = ["users/eu": .only(["fra"]), "users/us": .only(["iad"])]
        let edge = try record(#"{"_from": "users/eu", "_to": "places/x"}"#)
        // places/x is placed without content: eu and US, so the edge may live only at fra.
        #expect(try p.placement(collection: "e", document: edge, endpoint: { endpoints[$0] }) == .only(["fra"]))
        let across = try record(#"{"_from": "users/eu", "_to": "users/us"}"#)
        #expect(try p.placement(collection: "e", document: across, endpoint: { endpoints[$0] }) == .nowhere)
        // An endpoint placed by content that this PoP does not hold is unknown: nowhere.
        let unknown = try record(#"{"_from": "users/gone", "_to": "places/x"}"#)
        #expect(try p.placement(collection: "e", document: unknown, endpoint: noEndpoint) == .nowhere)
    }

    @Test func aRuleThatCannotBeJudgedPlacesTheRecordNowhere() throws {
        // The third rule compares fine but LENGTH of a number is a type error only at run time
        // for some records; a record on which a rule fails must not fall through to a wider rule.
        let p = try policy()
        let placement = try p.placement(
            collection: "users", document: record(#"{"residency": "BR", "age": "y", "tags": ["a", "b"]}"#),
            endpoint: noEndpoint)
        #expect(placement == .everywhere)
        #expect(p.widest(collection: "users") == .everywhere)
        #expect(p.widest(collection: "places") == .only(["fra", "iad"]))
    }

    @Test func aCollectionsBasisChangesExactlyWithWhatPlacesItsRecords() throws {
        let p = try policy()
        // A new version that only narrows places: users and unlisted collections keep their basis.
        let next = try PlacementPolicy(
            json: Self.text.replacingOccurrences(of: #""version": 3"#, with: #""version": 4"#)
                .replacingOccurrences(of: #"["jurisdiction:eu", "country:US"]"#, with: #"["jurisdiction:eu"]"#),
            fabric: Self.fabric)
        #expect(next.basis(collection: "users") == p.basis(collection: "users"))
        #expect(next.basis(collection: "other") == p.basis(collection: "other"))
        #expect(next.basis(collection: "places") != p.basis(collection: "places"))
        // A rule's condition, a rule's PoPs, and the default each count.
        for (from, to) in [
            ("doc.residency == 'IN'", "doc.residency == 'in'"),
            (#""allow": ["country:IN"]"#, #""allow": ["bom", "fra"]"#),
        ] {
            let changed = try PlacementPolicy(
                json: Self.text.replacingOccurrences(of: from, with: to), fabric: Self.fabric)
            #expect(changed.basis(collection: "users") != p.basis(collection: "users"))
        }
        let narrowDefault = try PlacementPolicy(
            json: Self.text.replacingOccurrences(of: #""default": "everywhere""#, with: #""default": ["fra"]"#),
            fabric: Self.fabric)
        #expect(narrowDefault.basis(collection: "other") != p.basis(collection: "other"))
        #expect(narrowDefault.basis(collection: "users") == p.basis(collection: "users"))
        // Selectors that resolve to the same PoPs are the same basis.
        let samePoPs = try PlacementPolicy(
            json: Self.text.replacingOccurrences(of: #""allow": ["country:IN"]"#, with: #""allow": ["bom"]"#),
            fabric: Self.fabric)
        #expect(samePoPs.basis(collection: "users") == p.basis(collection: "users"))
    }

    @Test(arguments: [
        (
            #"{"version": 1, "default": "everywhere", "collections": {"u": {"placement": ["country:FR"]}}}"#,
            "matches no PoP"
        ),
        (#"{"version": 1, "default": "everywhere", "collections": {"u": {"rules": []}}}"#, "placement is required"),
        (
            #"{"version": 1, "default": "everywhere", "collections": {"u": {"placement": "everywhere", "rules": [{"when": "RAND() > 0.5", "allow": ["fra"]}]}}}"#,
            "must be pure"
        ),
        (
            #"{"version": 1, "default": "everywhere", "collections": {"u": {"placement": "everywhere", "rules": [{"when": "doc.a ==", "allow": ["fra"]}]}}}"#,
            "when"
        ),
        ("[1, 2]", "object"),
    ])
    func badPoliciesAreRefused(_ text: String, _ fragment: String) {
        do {
            _ = try PlacementPolicy(json: text, fabric: Self.fabric)
            Issue.record("accepted: \(text)")
        } catch let e as LocusError {
            #expect(e.code.number >= 7800 && e.code.number < 7900, "\(e.code.number) \(e.message)")
            #expect(e.message.contains(fragment), "\(e.message)")
        } catch {
            Issue.record("not a LocusError: \(error)")
        }
    }
}
