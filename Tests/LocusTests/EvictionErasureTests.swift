// Eviction erases in place: with old copies of records left in the unallocated space of a
// PoP's pages (as SQLite leaves them when it rebuilds a page), the PoPs that evict a tenth of
// 3,000 records hold no byte of any evicted record, and every record they keep reads back whole.

import Foundation
import Locus
@testable import LocusStorage
import LocusTestSupport
import LocusValues
import Testing

@Suite struct EvictionErasureTests {
    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    @Test func evictedRecordsLeaveNoBytesAmongThousandsKept() throws {
        var f = try Fleet(in: scratch)
        var g = SeededGenerator(seed: 11)
        let keys = (0..<3_000).map { i in "u\(g.below(1 << 40))x\(i)" }
        let docs: [Value] = keys.map { key in
            .object([
                "_key": .string(key), "residency": .string("EU"),
                "note": .string("ERASE-CANARY-\(key)-" + String(repeating: "n", count: g.below(300))),
            ])
        }
        try f["fra"].query("FOR d IN @docs INSERT d INTO users", bindVars: ["docs": .array(docs)])
        try f.syncAll()
        // The old bytes a rebalance can leave behind: each record about to move, planted in
        // the unallocated space of one of par's pages.
        let moved = Array(keys.shuffled(using: &g).prefix(300))
        f.pops["par"] = nil
        let planted = try StrayBytes.plant(moved.map { Array("ERASE-CANARY-\($0)-".utf8) }, in: f.path("par"))
        #expect(planted > 50)
        f.pops["par"] = try Database(path: f.path("par"))
        // The erasure waits for no lock; it leaves the connection's own wait as it found it.
        f["par"].setLockTimeout(seconds: 2)
        // Narrowed to Germany by updates at fra: par and ams evict them when they next sync.
        try f["fra"].query(
            "FOR k IN @keys UPDATE k WITH {residency: 'DE'} IN users",
            bindVars: ["keys": .array(moved.map { .string($0) })])
        try f.syncAll()
        for key in moved {
            #expect(try f.popsContaining("ERASE-CANARY-\(key)-") == ["fra"])
        }
        #expect(try f["par"].withStorage { $0.sql.busyTimeout } == 2_000)
        let movedSet = Set(moved)
        let keptNotes = Dictionary(
            uniqueKeysWithValues: docs.compactMap { d -> (String, Value)? in
                guard case .string(let key) = d[attribute: "_key"], !movedSet.contains(key) else { return nil }
                return (key, d[attribute: "note"])
            })
        for pop in ["par", "ams"] {
            let rows = try f[pop].query("FOR u IN users RETURN [u._key, u.note]").rows
            var held: [String: Value] = [:]
            for row in rows {
                guard case .array(let pair) = row, case .string(let key) = pair[0] else { continue }
                held[key] = pair[1]
            }
            #expect(held == keptNotes)
        }
    }
}
