// Traversals served from the edge cache give what a traversal reading SQLite would: after
// writes through the same handle, through another handle on the file (another connection, as
// another process would be), by a query that traverses and writes, and after a failed write.

import Foundation
import Testing
@testable import Locus
import LocusValues

@Suite struct TraversalCacheTests {
    let neighbours = "FOR v IN 1..1 OUTBOUND 'v/a' e RETURN v._key"
    let twoHops = "FOR v IN 1..2 OUTBOUND 'v/a' e OPTIONS {order: 'bfs', uniqueVertices: 'global'} RETURN v._key"

    func seed(_ db: Database) throws {
        try db.createCollection("v")
        try db.createCollection("e", type: .edge)
        try db.query("FOR k IN ['a', 'b', 'c', 'd'] INSERT {_key: k} INTO v")
        try db.query("INSERT {_from: 'v/a', _to: 'v/b'} INTO e")
        try db.query("INSERT {_from: 'v/b', _to: 'v/c'} INTO e")
    }

    @Test func otherConnectionsWritesAreSeen() throws {
        let path = NSTemporaryDirectory() + "locus-travcache-\(UUID().uuidString).db"
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let reading = try Database(path: path)
        try seed(reading)
        let writing = try Database(path: path)
        for _ in 0..<2 { #expect(try reading.query(twoHops).rows == ["b", "c"]) }
        try writing.query("INSERT {_from: 'v/a', _to: 'v/d'} INTO e")
        #expect(try reading.query(neighbours).rows == ["b", "d"])
        #expect(try reading.query(twoHops).rows == ["b", "d", "c"])
        try writing.query("REMOVE 'b' IN v")
        // A dangling edge gives null, with ArangoDB's warning.
        let r = try reading.query(neighbours)
        #expect(r.rows == [.null, "d"])
        #expect(r.warnings.map(\.code) == [1202])
        try writing.query("FOR x IN e REMOVE x IN e")
        #expect(try reading.query(neighbours).rows == [])
    }

    @Test func vertexDocumentsFollowUpdates() throws {
        let path = NSTemporaryDirectory() + "locus-travcache-\(UUID().uuidString).db"
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let reading = try Database(path: path)
        try seed(reading)
        let writing = try Database(path: path)
        let q = "FOR v, e, p IN 1..2 OUTBOUND 'v/a' e RETURN [v.n, p.vertices[0].n, e.w]"
        for _ in 0..<2 { #expect(try reading.query(q).rows == [[.null, .null, .null], [.null, .null, .null]]) }
        try writing.query("UPDATE 'c' WITH {n: 3} IN v")
        try writing.query("UPDATE 'a' WITH {n: 1} IN v")
        try writing.query("FOR x IN e UPDATE x WITH {w: 9} IN e")
        #expect(try reading.query(q).rows == [[.null, 1, 9], [3, 1, 9]])
        #expect(try reading.query("RETURN DOCUMENT('v/c').n").rows == [3])
        try writing.query("UPDATE 'c' WITH {n: 4} IN v")
        #expect(try reading.query("RETURN DOCUMENT('v/c').n").rows == [4])
    }

    @Test func writesThroughTheSameHandleAreSeen() throws {
        let db = try Database.inMemory()
        try seed(db)
        for _ in 0..<2 { #expect(try db.query(neighbours).rows == ["b"]) }
        try db.query("INSERT {_from: 'v/a', _to: 'v/c'} INTO e")
        #expect(try db.query(neighbours).rows == ["b", "c"])
        // A failed write leaves the cached answer right.
        #expect(throws: LocusError.self) {
            try db.query("INSERT {_from: 'v/a', _to: 'v/d'} INTO e INSERT {_key: 'a'} INTO v")
        }
        #expect(try db.query(neighbours).rows == ["b", "c"])
    }
}
