// Files whose index keys are in an older encoding: a writer rebuilds them in the current one
// when it opens the file; a reader, which cannot, refuses the file, and so does every
// connection for a newer encoding than it knows.

import Foundation
import LocusErrors
import Testing
@testable import LocusStorage
import LocusTestSupport
import LocusValues

@Suite struct IndexKeyMigrationTests {
    /// The format-0 encoding of a one-string key: ASCII-lowercased bytes, then a case mark per byte.
    func formatZeroKey(_ s: String) -> [UInt8] {
        var out: [UInt8] = [0x05]
        for b in s.utf8 { out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
        out += [0x00, 0x01]
        for b in s.utf8 { out.append(b >= 0x41 && b <= 0x5A ? 0x02 : 0x01) }
        out.append(0x00)
        return out
    }

    func keys(_ s: Storage, _ ix: IndexInfo) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        try s.indexEntries(ix, range: IndexRange(lower: nil, upper: nil)) { k, _ in
            out.append(Array(k))
            return true
        }
        return out
    }

    @Test func aWriterRebuildsOldIndexKeys() throws {
        let path = ScratchDatabase.path("migrate")
        defer { ScratchDatabase.remove(path) }
        let names = ["b", "A", "a", "_x", "é", "B"]
        do {
            let s = try Storage(path: path)
            let c = try s.createCollection("people", type: .document)
            let ix = try s.createIndex(collection: "people", type: .persistent, fields: ["name"])
            for (i, n) in names.enumerated() { try s.insert(c, ["_key": .string("k\(i)"), "name": .string(n)]) }
            // Make the file as an older Locus left it.
            try s.sql.execute("DELETE FROM \(ix.table)")
            for (i, n) in names.enumerated() {
                let st = try s.sql.prepare("INSERT INTO \(ix.table)(k, key) VALUES (?, ?)")
                st.bind(1, bytes: formatZeroKey(n))
                st.bind(2, "k\(i)")
                try st.run()
            }
            try s.sql.execute("PRAGMA user_version = 0")
        }
        // A reader cannot rebuild, so it refuses.
        #expect {
            _ = try Storage(path: path, reader: true)
        } throws: { ($0 as? LocusError)?.code == .corruptedDatafile }

        let s = try Storage(path: path)
        #expect(try s.indexKeyFormat() == IndexKey.formatVersion)
        let ix = try #require(s.catalog.indexes(of: "people").first)
        let expected = names.map { IndexKey.encode([.string($0)]) }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(try keys(s, ix) == expected)
        // Index order is the collation's order now.
        var inOrder: [String] = []
        try s.indexEntries(ix, range: IndexRange(lower: nil, upper: nil)) { k, _ in
            if case .string(let n)? = IndexKey.decode(k)?.first { inOrder.append(n) }
            return true
        }
        #expect(inOrder == names.sorted { Value.compareStrings($0, $1) < 0 })
        #expect(inOrder == ["_x", "A", "a", "B", "b", "é"])
        // And a reader opens the migrated file.
        _ = try Storage(path: path, reader: true)
    }

    @Test func newerEncodingsAreRefused() throws {
        let path = ScratchDatabase.path("migrate")
        defer { ScratchDatabase.remove(path) }
        do {
            let s = try Storage(path: path)
            try s.sql.execute("PRAGMA user_version = \(IndexKey.formatVersion + 1)")
        }
        #expect {
            _ = try Storage(path: path)
        } throws: { ($0 as? LocusError)?.code == .corruptedDatafile }
    }

    @Test func newFilesStartInTheCurrentEncoding() throws {
        let s = try Storage(path: ":memory:")
        #expect(try s.indexKeyFormat() == IndexKey.formatVersion)
    }
}
