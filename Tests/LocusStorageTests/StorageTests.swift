// Storage: documents, edges and key-value entries; keys and revisions; indexes kept in step
// with writes; unique constraints; TTL expiry; rollback leaving nothing behind; and the
// index-key encoding ordering values exactly as AQL does.

import CSQLite
import Foundation
import Testing
import LocusErrors
@testable import LocusStorage
@testable import LocusValues

@Suite struct StorageTests {
    func obj(_ v: Value) -> Object { v.objectValue! }

    func docs(_ s: Storage, _ c: CollectionInfo) throws -> [Value] {
        var out: [Value] = []
        try s.scan(c) {
            out.append(try JSONReader.parse($0)); return true
        }
        return out
    }

    @Test func insertGetReplaceRemove() throws {
        let s = try Storage(path: ":memory:")
        let c = try s.createCollection("users", type: .document)
        let stored = try s.insert(c, obj(["_key": "a", "name": "Ada"]))
        #expect(stored.keys == ["_key", "_id", "_rev", "name"])
        #expect(stored["_id"] == "users/a")
        let generated = try s.insert(c, obj(["name": "Bob"]))
        #expect(generated["_key"]?.stringValue.map(DocumentKey.isValid) == true)
        let (old, new) = try s.replace(c, key: "a", with: obj(["name": "Ada L."]))
        #expect(old["name"] == "Ada" && new["name"] == "Ada L.")
        #expect(old["_rev"] != new["_rev"])
        _ = try s.remove(c, key: "a")
        #expect(try s.get(c, key: "a") == nil)
        #expect(try s.count(c) == 1)
    }

    @Test func rejectsBadKeysDuplicatesAndEdges() throws {
        let s = try Storage(path: ":memory:")
        let c = try s.createCollection("c", type: .document)
        let e = try s.createCollection("e", type: .edge)
        try s.insert(c, obj(["_key": "k"]))
        #expect { try s.insert(c, obj(["_key": "k"])) } throws: {
            ($0 as? LocusError)?.code == .uniqueConstraintViolated
        }
        #expect { try s.insert(c, obj(["_key": "a b"])) } throws: { ($0 as? LocusError)?.code == .documentKeyBad }
        #expect { try s.insert(e, obj(["_from": "c/k"])) } throws: {
            ($0 as? LocusError)?.code == .invalidEdgeAttribute
        }
        let edge = try s.insert(e, obj(["_from": "c/k", "_to": "c/z"]))
        var found = 0
        try s.edges(e, vertex: "c/k", outbound: true) { _ in
            found += 1; return true
        }
        #expect(found == 1 && edge["_to"] == "c/z")
        #expect(throws: LocusError.self) { try s.createCollection("c", type: .document) }
        #expect(throws: LocusError.self) { try s.createCollection("1bad", type: .document) }
    }

    /// ArangoDB's index DDL: an identical definition returns the index that is there; other
    /// types or options on the same fields make a new index, under a name of its own.
    /// SQLite's conditions arrive as ArangoDB's error numbers with messages that say what to do,
    /// not as internal errors (4).
    @Test func sqliteConditionsHaveTheirOwnErrorNumbers() throws {
        let path = NSTemporaryDirectory() + "locus-notadb-\(UUID().uuidString).txt"
        try Data(String(repeating: "not a database at all ", count: 40).utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Storage(path: path)
            Issue.record("opened a text file as a database")
        } catch let e as LocusError {
            #expect(e.code.number == 1100)
            #expect(e.message.contains("is not a Locus database"))
        }
        let table: [(Int32, Int)] = [
            (SQLITE_BUSY, 18), (SQLITE_LOCKED, 18), (SQLITE_CONSTRAINT, 1210), (SQLITE_NOTADB, 1100),
            (SQLITE_CORRUPT, 1100), (SQLITE_FULL, 1104), (SQLITE_READONLY, 1004), (SQLITE_IOERR, 2),
            (SQLITE_IOERR | (3 << 8), 2), (SQLITE_CANTOPEN, 2), (SQLITE_NOMEM, 3), (SQLITE_TOOBIG, 32),
            (SQLITE_ERROR, 4),
        ]
        for (rc, number) in table {
            #expect(SQLiteErrors.error(rc, message: "m").code.number == number, "SQLite code \(rc)")
        }
    }

    @Test func indexDefinitionsDedupeAndGeneratedNamesNeverCollide() throws {
        let s = try Storage(path: ":memory:")
        _ = try s.createCollection("c", type: .document)
        let a = try s.createIndex(collection: "c", type: .persistent, fields: ["t"])
        let again = try s.createIndex(collection: "c", type: .persistent, fields: ["t"])
        #expect(again.name == a.name)
        let unique = try s.createIndex(collection: "c", type: .persistent, fields: ["t"], unique: true)
        let sparse = try s.createIndex(collection: "c", type: .persistent, fields: ["t"], sparse: true)
        let fulltext = try s.createIndex(collection: "c", type: .fulltext, fields: ["t"])
        let ttl = try s.createIndex(collection: "c", type: .ttl, fields: ["t"], expireAfter: 60)
        let names = [a, unique, sparse, fulltext, ttl].map(\.name)
        #expect(Set(names).count == 5, "names: \(names)")
        #expect(try s.indexes("c").filter { $0.type != .primary }.count == 5)
        // A name given explicitly that is taken is still an error.
        #expect(throws: LocusError.self) { try s.createIndex(collection: "c", type: .geo, fields: ["g"], name: a.name) }
    }

    @Test func indexesFollowWritesAndEnforceUniqueness() throws {
        let s = try Storage(path: ":memory:")
        let c = try s.createCollection("p", type: .document)
        try s.insert(c, obj(["_key": "1", "age": 30, "email": "a"]))
        let ix = try s.createIndex(collection: "p", type: .persistent, fields: ["age"])
        let uniq = try s.createIndex(collection: "p", type: .persistent, fields: ["email"], unique: true)
        try s.insert(c, obj(["_key": "2", "age": 40, "email": "b"]))
        #expect { try s.insert(c, obj(["_key": "3", "email": "a"])) } throws: {
            ($0 as? LocusError)?.code == .uniqueConstraintViolated
        }
        try s.replace(c, key: "1", with: obj(["age": 50, "email": "a"]))
        var keys: [String] = []
        try s.indexKeys(ix, range: IndexRange(lower: IndexKey.encode([45]), upper: nil)) {
            keys.append($0); return true
        }
        #expect(keys == ["1"])
        _ = uniq
    }

    @Test func rollbackLeavesNothingBehind() throws {
        let s = try Storage(path: ":memory:")
        let c = try s.createCollection("c", type: .document)
        #expect(throws: LocusError.self) {
            try s.transaction(write: true) {
                try s.insert(c, obj(["_key": "x"]))
                try s.insert(c, obj(["_key": "x"]))
            }
        }
        #expect(try s.count(c) == 0)
    }

    @Test func expiredKeyValueEntriesAreInvisibleAndPurged() throws {
        let s = try Storage(path: ":memory:")
        let kv = try s.createCollection("kv", type: .kv)
        try s.insert(kv, obj(["_key": "old", "value": 1, "expireAt": 1000]))
        try s.insert(kv, obj(["_key": "new", "value": 2, "expireAt": .number(s.now() + 3600)]))
        try s.insert(kv, obj(["_key": "forever", "value": 3]))
        #expect(try s.get(kv, key: "old") == nil)
        #expect(try s.count(kv) == 2)
        try s.purgeExpired()
        var raw = 0
        let st = try s.sql.prepare("SELECT count(*) FROM \(kv.table)")
        if try st.step() { raw = st.int(0) }
        #expect(raw == 2)
    }

    @Test func ttlIndexExpiresDocuments() throws {
        let s = try Storage(path: ":memory:")
        let c = try s.createCollection("sessions", type: .document)
        try s.createIndex(collection: "sessions", type: .ttl, fields: ["createdAt"], expireAfter: 60)
        try s.insert(c, obj(["_key": "stale", "createdAt": .number(s.now() - 120)]))
        try s.insert(c, obj(["_key": "fresh", "createdAt": .number(s.now())]))
        try s.purgeExpired()
        #expect(try s.get(c, key: "stale") == nil)
        #expect(try s.get(c, key: "fresh") != nil)
    }

    @Test func indexKeyOrderMatchesValueOrder() {
        let samples: [Value] = [
            nil, false, true, -1e300, -2.5, -0.0, 0, 1, 2.5, 1e300, "", "a", "A", "a\u{0}", "ab", "aB", "Ab", "b", "B",
            "_", "é",
            [], [1], [1, 2], [2], ["a"],
        ]
        for a in samples {
            for b in samples {
                let ka = IndexKey.encode([a]), kb = IndexKey.encode([b])
                let byKey = ka == kb ? 0 : (ka.lexicographicallyPrecedes(kb) ? -1 : 1)
                #expect(byKey == a.compare(b).signum(), "\(a) vs \(b)")
            }
        }
    }
}

@Suite struct KeyValueTests {
    @Test func anExpiredEntryGivesWayToANewOne() throws {
        let s = try Storage(path: ":memory:")
        let kv = try s.createCollection("kv", type: .kv)
        try s.insert(kv, (["_key": "k", "value": 1, "expireAt": 1000] as Value).objectValue!)
        let fresh = try s.insert(kv, (["_key": "k", "value": 2] as Value).objectValue!)
        #expect(fresh["value"] == 2)
        #expect(try s.get(kv, key: "k")?[attribute: "value"] == 2)
        #expect(throws: LocusError.self) { try s.insert(kv, (["_key": "k", "value": 3] as Value).objectValue!) }
    }
}
