// The placements a PoP holds (`locus_placement`): for each record, the PoPs it may be stored at
// and the opaque digest that names it outside them; and the edges admitted on a sender's word
// about an endpoint this PoP does not hold (`locus_endpoint_wait`), re-judged when news of that
// endpoint arrives. Judging records is the placement gate's job; this type only keeps rows.

import LocusValues

final class PlacementRecords {
    private let sql: SQLiteConnection
    /// HMAC keyed with the current salt, set up once: keying costs more than hashing a name.
    private var keyed: (salt: [UInt8], hmac: KeyedSHA256)?
    /// The last name digested: a write asks for its record's digest more than once.
    private var last: (collection: String, key: String, salt: [UInt8], digest: String)?

    init(sql: SQLiteConnection) { self.sql = sql }

    static let schema = """
        CREATE TABLE IF NOT EXISTS locus_placement(
            coll INTEGER NOT NULL, key TEXT NOT NULL, pin TEXT NOT NULL, digest TEXT NOT NULL,
            PRIMARY KEY(coll, key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS locus_placement_digest ON locus_placement(digest);
        CREATE TABLE IF NOT EXISTS locus_endpoint_wait(
            endpoint TEXT NOT NULL, coll INTEGER NOT NULL, key TEXT NOT NULL,
            PRIMARY KEY(endpoint, coll, key)) WITHOUT ROWID;
        """

    /// The opaque name of a record outside its allowed PoPs: a keyed hash (HMAC-SHA256 with
    /// the fabric's policy salt) of its collection and key, 128 bits in hex.
    static func digest(collection: String, key: String, salt: [UInt8]) -> String {
        digest(KeyedSHA256(key: salt), collection: collection, key: key)
    }

    /// The digest of a record's name with an HMAC already keyed: the collection's name, a zero
    /// byte, the key.
    private static func digest(_ keyed: KeyedSHA256, collection: String, key: String) -> String {
        var collection = collection
        var key = key
        return collection.withUTF8 { c in
            key.withUTF8 { k in
                withUnsafeBytes(of: UInt8(0)) { zero in
                    keyed.authenticate(UnsafeRawBufferPointer(c), zero, UnsafeRawBufferPointer(k)) {
                        JSONWriter.hexString(UnsafeRawBufferPointer(rebasing: $0.prefix(16)))
                    }
                }
            }
        }
    }

    /// `PlacementRecords.digest(collection:key:salt:)`, with the keyed state and the last
    /// answer kept.
    func digest(collection: String, key: String, salt: [UInt8]) -> String {
        if let last, last.key == key, last.collection == collection, last.salt == salt { return last.digest }
        let hmac: KeyedSHA256
        if let keyed, keyed.salt == salt {
            hmac = keyed.hmac
        } else {
            hmac = KeyedSHA256(key: salt)
            keyed = (salt, hmac)
        }
        let digest = PlacementRecords.digest(hmac, collection: collection, key: key)
        last = (collection, key, salt, digest)
        return digest
    }

    // MARK: - Placements

    /// The placement held for a record, with its digest.
    func placement(coll: Int, key: String) throws -> (pin: SiteSet, digest: String)? {
        let s = try sql.prepare("SELECT pin, digest FROM locus_placement WHERE coll = ? AND key = ?")
        defer { s.reset() }
        s.bind(1, coll)
        s.bind(2, key)
        guard try s.step() else { return nil }
        return (try SiteSet(encoded: s.text(0)!), s.text(1)!)
    }

    /// Every placement held in a collection, by key (unreadable ones as nil).
    func placements(coll: Int) throws -> [(key: String, pin: SiteSet?)] {
        let s = try sql.prepare("SELECT key, pin FROM locus_placement WHERE coll = ?")
        defer { s.reset() }
        s.bind(1, coll)
        var out: [(String, SiteSet?)] = []
        while try s.step() { out.append((s.text(0)!, try? SiteSet(encoded: s.text(1)!))) }
        return out
    }

    /// The key of the record a digest names in a collection, when this PoP holds its placement.
    func key(coll: Int, digest: String) throws -> String? {
        let s = try sql.prepare("SELECT key FROM locus_placement WHERE coll = ? AND digest = ?")
        defer { s.reset() }
        s.bind(1, coll)
        s.bind(2, digest)
        return try s.step() ? s.text(0) : nil
    }

    /// Stores a record's placement.
    func set(coll: Int, key: String, pin: SiteSet, digest: String) throws {
        let s = try sql.prepare("INSERT OR REPLACE INTO locus_placement(coll, key, pin, digest) VALUES (?, ?, ?, ?)")
        s.bind(1, coll)
        s.bind(2, key)
        s.bind(3, pin.encoded)
        s.bind(4, digest)
        try s.run()
    }

    /// Stores the first placements of records new here, `(coll, key, encoded pin, digest)`,
    /// with one statement (at most `MultiRowInsert.maximumRows` of them).
    func setNew(_ records: [(coll: Int, key: String, pin: String, digest: String)]) throws {
        guard !records.isEmpty else { return }
        let s = try sql.prepare(.placements, rows: records.count)
        var i: Int32 = 1
        for r in records {
            s.bind(i, r.coll)
            sql.batchTexts.add(i + 1, r.key)
            sql.batchTexts.add(i + 2, r.pin)
            sql.batchTexts.add(i + 3, r.digest)
            i += 4
        }
        try sql.batchTexts.run(s)
    }

    /// Renames every record of a collection by `digest` (after the policy salt changed).
    func redigest(coll: Int, _ digest: (String) -> String) throws {
        var keys: [String] = []
        let s = try sql.prepare("SELECT key FROM locus_placement WHERE coll = ?")
        s.bind(1, coll)
        while try s.step() { keys.append(s.text(0)!) }
        s.reset()
        for k in keys {
            let u = try sql.prepare("UPDATE locus_placement SET digest = ? WHERE coll = ? AND key = ?")
            u.bind(1, digest(k))
            u.bind(2, coll)
            u.bind(3, k)
            try u.run()
        }
    }

    /// Forgets a record: its placement and, for an edge, what it waited on.
    func forget(coll: Int, key: String) throws {
        for table in ["locus_placement", "locus_endpoint_wait"] {
            let s = try sql.prepare("DELETE FROM \(table) WHERE coll = ? AND key = ?")
            s.bind(1, coll)
            s.bind(2, key)
            try s.run()
        }
    }

    /// Forgets every record of a dropped collection.
    func forget(coll: Int) throws {
        for table in ["locus_placement", "locus_endpoint_wait"] {
            let s = try sql.prepare("DELETE FROM \(table) WHERE coll = ?")
            s.bind(1, coll)
            try s.run()
        }
    }

    // MARK: - Edges waiting on an endpoint

    /// Remembers that an edge was admitted on its sender's word about `endpoint`.
    func wait(edge coll: Int, key: String, on endpoint: String) throws {
        let w = try sql.prepare("INSERT OR IGNORE INTO locus_endpoint_wait(endpoint, coll, key) VALUES (?, ?, ?)")
        w.bind(1, endpoint)
        w.bind(2, coll)
        w.bind(3, key)
        try w.run()
    }

    /// The endpoints some edge waits on.
    func awaitedEndpoints() throws -> [String] {
        let s = try sql.prepare("SELECT DISTINCT endpoint FROM locus_endpoint_wait")
        defer { s.reset() }
        var endpoints: [String] = []
        while try s.step() { endpoints.append(s.text(0)!) }
        return endpoints
    }

    /// The edges waiting on `endpoint`, which no longer wait.
    func takeEdges(waitingOn endpoint: String) throws -> [(coll: Int, key: String)] {
        let q = try sql.prepare("SELECT coll, key FROM locus_endpoint_wait WHERE endpoint = ?")
        q.bind(1, endpoint)
        var edges: [(Int, String)] = []
        while try q.step() { edges.append((q.int(0), q.text(1)!)) }
        q.reset()
        let d = try sql.prepare("DELETE FROM locus_endpoint_wait WHERE endpoint = ?")
        d.bind(1, endpoint)
        try d.run()
        return edges
    }
}
