// Transactions beyond one query: write sessions whose failing statements are undone alone,
// stream transactions (isolation, commit, abort, the lock timeout), streaming queries on one
// snapshot, document reads without a query, and the system table.

import Foundation
import Testing
@testable import Locus

@Suite final class TransactionTests {
    /// The directory of this test's database files, removed when the test ends.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("locus-tx-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: dir) }

    func fileDatabase() throws -> Database {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = try Database(path: dir.appendingPathComponent("t.db").path)
        try db.createCollection("c")
        return db
    }

    @Test func aFailingStatementIsUndoneAloneInASession() throws {
        let db = try fileDatabase()
        let outcomes: [Bool] = try db.withWriteTransaction { tx in
            [
                (try? tx.query("INSERT {_key: 'a'} INTO c")) != nil,
                // Writes two documents, then fails on the duplicate: neither of its writes stays.
                (try? tx.query("FOR k IN ['b', 'a'] INSERT {_key: k} INTO c")) != nil,
                (try? tx.query("INSERT {_key: 'd'} INTO c")) != nil,
            ]
        }
        #expect(outcomes == [true, false, true])
        #expect(try db.query("FOR d IN c SORT d._key RETURN d._key").rows == ["a", "d"])
        // A session that throws leaves nothing.
        #expect(throws: LocusError.self) {
            try db.withWriteTransaction { tx in
                try tx.query("INSERT {_key: 'e'} INTO c")
                try tx.query("RETURN FAIL('no')")
            }
        }
        #expect(try db.document(collection: "c", key: "e") == nil)
    }

    @Test func streamTransactionsAreIsolatedUntilCommit() throws {
        let db = try fileDatabase()
        let tx = try db.beginTransaction(write: true)
        try tx.query("INSERT {_key: 'x'} INTO c")
        #expect(try tx.query("RETURN LENGTH(c)").rows == [1])
        #expect(try db.document(collection: "c", key: "x") == nil)
        // Another writer waits for the lock and gives up with error 18.
        let other = Result { try db.beginTransaction(write: true, lockTimeout: 0.2) }
        #expect(throws: LocusError.self) { _ = try other.get() }
        if case .failure(let e as LocusError) = other { #expect(e.code == .lockTimeout) }
        // So does a writing query of the database's own connection, after its lock timeout.
        db.setLockTimeout(seconds: 0.2)
        let e = #expect(throws: LocusError.self) { try db.query("INSERT {_key: 'z'} INTO c") }
        #expect(e?.code.number == 18)
        try tx.commit()
        #expect(try db.document(collection: "c", key: "x")?[attribute: "_key"] == "x")
        #expect(!tx.isOpen)
        #expect(throws: LocusError.self) { try tx.query("RETURN 1") }

        let aborted = try db.beginTransaction(write: true)
        try aborted.query("INSERT {_key: 'y'} INTO c")
        aborted.abort()
        #expect(try db.document(collection: "c", key: "y") == nil)
        #expect(try db.collection("c").count == 1)
    }

    @Test func maxTransactionSizeBoundsWhatATransactionWrites() throws {
        let db = try fileDatabase()
        try db.createCollection("t")
        var options = QueryOptions()
        options.maxTransactionSize = 2_000
        // About 80 bytes a document: 100 of them pass the limit; nothing of the query is kept.
        let e = #expect(throws: LocusError.self) {
            try db.query("FOR i IN 1..100 INSERT {n: i} INTO t", options: options)
        }
        #expect(e?.code.number == 32 && e?.message.contains("2000 bytes") == true)
        #expect(try db.query("RETURN LENGTH(t)").rows == [0])
        #expect(try db.query("FOR i IN 1..10 INSERT {n: i} INTO t", options: options).stats.writesExecuted == 10)
        // A stream transaction counts across its statements; a statement past the limit is undone
        // alone and the transaction goes on.
        let tx = try db.beginTransaction(write: true, maxTransactionSize: 2_500)
        try tx.query("FOR i IN 1..20 INSERT {n: i} INTO t")
        #expect(throws: LocusError.self) { try tx.query("FOR i IN 1..30 INSERT {n: i} INTO t") }
        try tx.query("INSERT {n: 0} INTO t")
        try tx.commit()
        #expect(try db.query("RETURN LENGTH(t)").rows == [31])
    }

    @Test func streamingHandsOutRowsOfOneSnapshot() throws {
        let db = try fileDatabase()
        try db.query("FOR i IN 1..100 INSERT {_key: TO_STRING(i), n: i} INTO c")
        var seen: [Value] = []
        let result = try db.stream("FOR d IN c SORT d.n RETURN d.n") { row in
            if seen.isEmpty { try db.query("INSERT {_key: 'late', n: 0} INTO c") }
            seen.append(row)
        }
        #expect(seen == (1...100).map { Value.int($0) })
        #expect(result.rows.isEmpty && result.stats.scannedFull == 100)
        struct Stop: Error {}
        #expect(throws: Stop.self) { try db.stream("FOR d IN c RETURN d") { _ in throw Stop() } }
        #expect(throws: LocusError.self) { try db.stream("INSERT {} INTO c") { _ in } }
    }

    @Test func systemEntriesAreNoCollection() throws {
        let db = try fileDatabase()
        #expect(try db.systemEntries("users").isEmpty)
        try db.setSystemEntry("users", key: "ada", value: "{}")
        try db.setSystemEntry("users", key: "bob", value: "[]")
        #expect(try db.systemEntries("users").map(\.key) == ["ada", "bob"])
        try db.setSystemEntry("users", key: "ada", value: nil)
        #expect(try db.systemEntries("users").map(\.value) == ["[]"])
        #expect(try db.collectionNames().map(\.name) == ["c"])
        #expect(throws: LocusError.self) { try db.query("FOR u IN locus_system RETURN u") }
    }

    @Test func parseReportsBindParametersAndCollections() throws {
        let p = try Database.parse(
            "WITH extra FOR u IN users FOR x IN @@other FILTER u.a == @a INSERT {} INTO log RETURN u")
        #expect(p.bindVars == ["@other", "a"])
        #expect(p.collections == ["extra", "log", "users"])
        #expect(p.ast[index: 0][attribute: "type"] == "root")
        #expect(throws: LocusError.self) { try Database.parse("FOR u IN RETURN u") }
    }

    @Test func closeLeavesOnlyTheDatabaseFile() throws {
        let path = NSTemporaryDirectory() + "locus-close-\(UUID().uuidString).db"
        defer {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
        }
        do {
            let db = try Database(path: path)
            try db.createCollection("c")
            try db.createCollection("c", ifNotExists: true)
            #expect(throws: LocusError.self) { try db.createCollection("c", type: .edge, ifNotExists: true) }
            struct Item: Encodable { var name: String; var tags: [String] }
            try db.query("INSERT @item INTO c", bind: ["item": Item(name: "ada", tags: ["x"])])
            let n = 1, name = "ada"
            #expect(
                try db.query(
                    "FOR d IN c FILTER d.name == @name RETURN LENGTH(d.tags) + @n", bind: ["name": name, "n": n]
                ).rows == [2])
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            try db.close()
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
        #expect(try Database(path: path).query("RETURN LENGTH(c)").rows == [1])
    }
}
