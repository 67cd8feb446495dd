// Replication through the embedding API: C8QL writes at two PoPs (UPDATE and UPSERT stamp
// only what they change, REPLACE the whole document), merged by pulling in process.

import Locus
import Testing

@Suite struct DatabaseReplicationTests {
    func pair() throws -> (Database, Database) {
        let fabric = try TestFabrics.named("pair")
        let a = try Database.inMemory(), b = try Database.inMemory()
        try a.enableReplication(pop: "fra", fabric: fabric)
        try b.enableReplication(pop: "iad", fabric: fabric)
        try a.createCollection("users")
        try b.pull(a)
        return (a, b)
    }

    @Test func queriesAtTwoPoPsMergeAttributeByAttribute() throws {
        let (a, b) = try pair()
        #expect(a.replica?.pop == "fra")
        try a.query(#"INSERT {_key: "ada", name: "Ada", langs: 1} INTO users"#)
        try b.pull(a)
        try a.query(#"UPDATE "ada" WITH {born: 1815} IN users"#)
        try b.query(#"UPSERT {_key: "ada"} INSERT {_key: "ada"} UPDATE {langs: 2} IN users"#)
        try b.pull(a)
        try a.pull(b)
        let q = "FOR u IN users RETURN KEEP(u, 'name', 'born', 'langs', '_rev')"
        let ra = try a.query(q).rows, rb = try b.query(q).rows
        #expect(ra == rb)
        #expect(ra.first?[attribute: "born"] == 1815)
        #expect(ra.first?[attribute: "langs"] == 2)
        // A generated key carries the PoP's name.
        let key = try a.query("INSERT {} INTO users RETURN NEW._key").rows.first?.stringValue ?? ""
        #expect(key.hasSuffix("-fra"))
        // A failing query leaves no change behind to replicate.
        #expect(throws: LocusError.self) { try a.query(#"FOR i IN 1..2 INSERT {_key: "dup"} INTO users"#) }
        try b.pull(a)
        #expect(try b.query(#"RETURN DOCUMENT("users/dup")"#).rows == [.null])
    }
}

extension Database {
    func pull(_ peer: Database) throws {
        try replicator().pull(from: InProcessTransport(peer: peer.replicator()))
    }
}
