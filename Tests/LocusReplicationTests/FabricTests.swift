// Fabric descriptions: the shipped default fabric, and validation that names what is wrong.

import Foundation
import LocusErrors
import LocusPolicy
import LocusReplication
import Testing
import LocusTestSupport

@Suite struct FabricTests {
    static func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: Repository.path("Fixtures/fabrics/\(name)"), encoding: .utf8)
    }

    @Test func theDefaultFabricCoversEveryContinent() throws {
        let f = try Fabric(json: try FabricTests.fixture("default.json"))
        #expect(f.pops.count >= 170)
        let prefixes = Set(f.pops.map { String($0.region.prefix(while: { $0 != "-" })) })
        #expect(prefixes.isSuperset(of: ["eu", "us", "ca", "la", "af", "me", "ap"]))
        #expect(Set(f.pops.map(\.country)).count >= 100)
        #expect(f.pop("fra")?.jurisdictions.contains("eu") == true)
        #expect(f.pop("iad")?.jurisdictions.contains("eu") == false)
        // The description round-trips through its JSON form.
        #expect(try Fabric(json: f.json) == f)
    }

    @Test func attestedPoPsAloneMatchSelectorsUnderAnAuthority() throws {
        let plain = try Fabric(
            json: """
                {"name": "duo", "pops": [
                  {"name": "fra", "city": "Frankfurt", "country": "DE", "region": "eu-central", "jurisdictions": ["eu"], "latitude": 50, "longitude": 8},
                  {"name": "par", "city": "Paris", "country": "FR", "region": "eu-west", "jurisdictions": ["eu"], "latitude": 48, "longitude": 2}]}
                """)
        #expect(try plain.pops(matching: "jurisdiction:eu") == ["fra", "par"])
        let key = Attestation.newAuthority()
        var attested = try Attestation.attest(plain, privateKey: key.privateKey)
        #expect(attested.authority == key.publicKey && attested.unattested.isEmpty)
        // The attestation survives the description's round trip.
        attested = try Fabric(json: attested.json)
        #expect(try attested.pops(matching: "jurisdiction:eu") == ["fra", "par"])
        // A PoP that claims another jurisdiction, or carries no signature, matches nothing.
        var lying = attested
        lying.pops[1].jurisdictions = ["eu", "us"]
        #expect(try lying.pops(matching: "jurisdiction:eu") == ["fra"] && lying.unattested == ["par"])
        var unsigned = attested
        unsigned.pops[0].attestation = nil
        #expect(try unsigned.pops(matching: "fra").isEmpty && unsigned.unattested == ["fra"])
        // Another authority's signatures do not verify.
        var foreign = attested
        foreign.authority = Attestation.newAuthority().publicKey
        #expect(foreign.unattested == ["fra", "par"])
        #expect(throws: LocusError.self) { try Attestation.attest(plain, privateKey: "not-a-key") }
        #expect(throws: LocusError.self) {
            try Fabric(
                json:
                    #"{"name": "x", "authority": "abc", "pops": [{"name": "a", "city": "c", "country": "DE", "region": "r", "latitude": 0, "longitude": 0}]}"#
            )
        }
    }

    @Test func invalidDescriptionsAreRefusedWithTheirReason() throws {
        let pop =
            #"{"name": "fra", "city": "Frankfurt", "country": "DE", "region": "eu-central", "latitude": 50, "longitude": 8}"#
        let cases: [(String, String)] = [
            ("not json", "not valid JSON"),
            ("[]", "must be a JSON object"),
            (#"{"name": "x"}"#, "'pops' must be an array"),
            (#"{"name": "x", "pops": []}"#, "lists no PoPs"),
            (#"{"name": "x", "pops": [\#(pop), \#(pop)]}"#, "listed twice"),
            (#"{"name": "x", "pops": [\#(pop.replacingOccurrences(of: "\"DE\"", with: "\"Germany\""))]}"#, "ISO 3166"),
            (#"{"name": "x", "pops": [\#(pop.replacingOccurrences(of: "50", with: "95"))]}"#, "latitude"),
            (
                #"{"name": "x", "pops": [\#(pop.replacingOccurrences(of: "\"fra\"", with: "\"fr a\""))]}"#,
                "pops[0].name"
            ),
            (
                #"{"name": "x", "pops": [\#(pop.replacingOccurrences(of: "\"latitude\": 50", with: "\"latitude\": \"50\""))]}"#,
                "pops[0].latitude must be a number"
            ),
        ]
        for (text, reason) in cases {
            #expect {
                try Fabric(json: text)
            } throws: { e in
                guard let e = e as? LocusError else { return false }
                return e.code == .badParameter && e.message.contains(reason)
            }
        }
    }
}
