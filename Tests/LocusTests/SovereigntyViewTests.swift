// The sovereignty scenario of search views, on the five-PoP fleet of SovereigntyTests: a view
// replicates to every PoP, and each PoP indexes only what it may hold, so a pinned record's
// tokens are searchable only inside its placement; when the record moves, the PoPs it leaves
// evict its view entries with it and a byte scan of their files finds no token of it.

import Foundation
import Locus
import LocusStorage
import Testing
import LocusTestSupport

@Suite struct SovereigntyViewTests {
    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    @Test func viewEntriesStayInsideThePlacementAndLeaveWithTheRecord() throws {
        let f = try Fleet(in: scratch)
        try f["fra"].createView(
            SearchViewDefinition(json: [
                "name": "notes", "links": ["users": ["fields": ["note": ["analyzers": ["identity", "text_en"]]]]],
            ]))
        let word = "zq" + String(UInt64.random(in: 1...UInt64.max), radix: 36) + "x"
        try f["fra"].query(
            "INSERT {_key: 'vx', residency: 'EU', note: CONCAT('secret ', @w)} INTO users",
            bindVars: ["w": .string(word)])
        try f.syncAll()
        let search = #"FOR d IN notes SEARCH ANALYZER(d.note == @w, "text_en") RETURN d._key"#
        func found(_ pop: String) throws -> Int { try f[pop].query(search, bindVars: ["w": .string(word)]).rows.count }
        #expect(try ["fra", "par", "ams"].map(found) == [1, 1, 1])
        #expect(try ["iad", "bom"].map(found) == [0, 0])
        #expect(try f.popsContaining(word).sorted() == ["ams", "fra", "par"])
        // Germany only: the other EU PoPs evict the record, its view entries with it.
        try f["fra"].query("UPDATE 'vx' WITH {residency: 'DE'} IN users")
        try f.syncAll()
        #expect(try ["fra", "par", "ams", "iad", "bom"].map(found) == [1, 0, 0, 0, 0])
        #expect(try f.popsContaining(word) == ["fra"])
        #expect(try Compliance.check(paths: f.names.map(f.path)).findings.isEmpty)
    }

    /// A view entry planted at a PoP outside the record's placement is a finding of the audit.
    @Test func theAuditFindsAViewEntryOutsideThePlacement() throws {
        let f = try Fleet(in: scratch)
        try f["fra"].createView(
            SearchViewDefinition(json: ["name": "notes", "links": ["users": ["includeAllFields": true]]]))
        try f["fra"].query("INSERT {_key: 'eu9', residency: 'EU', note: 'planted'} INTO users")
        try f.syncAll()
        let coll = try f["iad"].withStorage { $0.collection("users")!.id }
        let table = "locus_view_" + "notes".utf8.map { String($0, radix: 16) }.joined()
        let iad = try SQLiteConnection(path: f.path("iad"))
        try iad.execute("INSERT INTO \(table)(k, coll, key) VALUES (x'54', \(coll), 'eu9')")
        let findings = try Compliance.check(paths: f.names.map(f.path)).findings
        #expect(findings.map { "\($0.pop) \($0.key) \($0.location.rawValue)" } == ["iad eu9 index-entry"])
    }
}
