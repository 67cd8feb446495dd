// What a reader's transactions see. Each reads one snapshot, however many statements it runs,
// and ends it when it commits. Repeated neighbourhoods, key checks and document reads are
// answered from the read cache, and no answer outlives a change to the file, whether another
// connection committed it, this connection wrote it inside the transaction, or the clock
// expired a key-value entry.

import Foundation
import Testing
import LocusErrors
@testable import LocusStorage
@testable import LocusValues

@Suite struct ReadCacheTests {
    func obj(_ v: Value) -> Object { v.objectValue! }

    /// A fresh database file with vertices a, b, c and the edge a→b.
    func makeFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "locus-edgecache-\(UUID().uuidString).db"
        ).path
        let s = try Storage(path: path)
        let v = try s.createCollection("v", type: .document)
        let e = try s.createCollection("e", type: .edge)
        for k in ["a", "b", "c"] { try s.insert(v, obj(["_key": .string(k)])) }
        try s.insert(e, obj(["_key": "ab", "_from": "v/a", "_to": "v/b"]))
        return path
    }

    func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func far(_ s: Storage, _ vertex: String) throws -> [String] {
        try s.transaction(write: false) {
            try s.neighborhood(
                s.requireCollection("e"), vertex: vertex, outbound: true,
                checking: s.requireCollection("v")
            ).map { "\($0.far)\($0.farExists ? "" : "?")" }
        }
    }

    @Test func aReaderTransactionReadsOneSnapshot() throws {
        let path = try makeFile()
        defer { remove(path) }
        let reader = try Storage(path: path, reader: true)
        let writer = try Storage(path: path)
        let v = try reader.requireCollection("v")
        try reader.begin(write: false)
        #expect(try reader.count(v) == 3)
        // A commit while the snapshot is open is neither blocked nor seen by it.
        try writer.insert(writer.requireCollection("v"), obj(["_key": "d"]))
        #expect(try reader.count(v) == 3)
        #expect(try !reader.exists(v, key: "d"))
        try reader.commit()
        #expect(try reader.transaction(write: false) { try reader.count(v) } == 4)
        // A rolled-back read ends its snapshot too.
        try reader.begin(write: false)
        #expect(try reader.count(v) == 4)
        reader.rollback()
        _ = try writer.remove(writer.requireCollection("v"), key: "d")
        #expect(try reader.transaction(write: false) { try reader.count(v) } == 3)
        #expect(throws: LocusError.self) { try reader.begin(write: true) }
    }

    @Test func readTransactionsShareANeighbourhoodUntilAnotherConnectionCommits() throws {
        let path = try makeFile()
        defer { remove(path) }
        let reader = try Storage(path: path, reader: true)
        let writer = try Storage(path: path)
        #expect(try far(reader, "v/a") == ["v/b"])
        #expect(reader.readCache.count == 1)
        #expect(try far(reader, "v/a") == ["v/b"])
        #expect(reader.readCache.count == 1, "the second read is served from the cache")

        try writer.insert(writer.requireCollection("e"), obj(["_key": "ac", "_from": "v/a", "_to": "v/c"]))
        #expect(try far(reader, "v/a") == ["v/b", "v/c"])
        _ = try writer.remove(writer.requireCollection("v"), key: "b")
        #expect(try far(reader, "v/a") == ["v/b?", "v/c"], "a removed vertex is seen as missing")
    }

    @Test func keyChecksFollowOtherConnectionsToo() throws {
        let path = try makeFile()
        defer { remove(path) }
        let reader = try Storage(path: path, reader: true)
        let writer = try Storage(path: path)
        let v = try reader.requireCollection("v")
        #expect(try reader.transaction(write: false) { try reader.exists(v, key: "c") })
        #expect(try reader.transaction(write: false) { try reader.exists(v, key: "c") })
        _ = try writer.remove(writer.requireCollection("v"), key: "c")
        #expect(try !reader.transaction(write: false) { try reader.exists(v, key: "c") })
        try writer.insert(writer.requireCollection("v"), obj(["_key": "c"]))
        #expect(try reader.transaction(write: false) { try reader.exists(v, key: "c") })
    }

    @Test func decodedDocumentsFollowOtherConnections() throws {
        let path = try makeFile()
        defer { remove(path) }
        let reader = try Storage(path: path, reader: true)
        let writer = try Storage(path: path)
        let v = try reader.requireCollection("v")
        func name() throws -> Value? {
            try reader.transaction(write: false) { try reader.get(v, key: "a")?[attribute: "name"] }
        }
        #expect(try name() == .null)
        #expect(reader.readCache.documentsHeld > 0)
        _ = try writer.replace(writer.requireCollection("v"), key: "a", with: obj(["name": "Ada"]))
        #expect(try name() == "Ada")
        _ = try writer.remove(writer.requireCollection("v"), key: "a")
        #expect(try reader.transaction(write: false) { try reader.get(v, key: "a") } == nil)
        #expect(try reader.transaction(write: false) { try reader.get(v, key: "a") } == nil)
        // Outside a transaction nothing is cached.
        let held = reader.readCache.documentsHeld
        _ = try reader.get(v, key: "b")
        #expect(reader.readCache.documentsHeld == held)
    }

    @Test func aWriteIsNeverHiddenFromItsOwnTransaction() throws {
        let s = try Storage(path: ":memory:")
        let v = try s.createCollection("v", type: .document)
        let e = try s.createCollection("e", type: .edge)
        for k in ["a", "b"] { try s.insert(v, obj(["_key": .string(k)])) }
        #expect(try far(s, "v/a") == [])
        // A read transaction that writes after all: the cached empty neighbourhood must go.
        try s.transaction(write: false) {
            #expect(try s.neighborhood(e, vertex: "v/a", outbound: true, checking: v).isEmpty)
            try s.insert(e, obj(["_key": "ab", "_from": "v/a", "_to": "v/b"]))
            #expect(try s.neighborhood(e, vertex: "v/a", outbound: true, checking: v).map(\.far) == ["v/b"])
        }
        #expect(try far(s, "v/a") == ["v/b"])
        // A write transaction on the same connection.
        try s.transaction(write: true) { _ = try s.remove(e, key: "ab") }
        #expect(try far(s, "v/a") == [])
        // Writes outside any transaction.
        try s.insert(e, obj(["_key": "ab2", "_from": "v/a", "_to": "v/b"]))
        #expect(try far(s, "v/a") == ["v/b"])
    }

    @Test func expiredKeyValueEntriesAreNeverCached() throws {
        let s = try Storage(path: ":memory:")
        let kv = try s.createCollection("kv", type: .kv)
        let clock = StepClock(1_000_000)
        s.wallClock = clock
        try s.insert(kv, obj(["_key": "k", "value": 1, "expireAt": 1_000_010]))
        #expect(try s.transaction(write: false) { try s.exists(kv, key: "k") })
        clock.advance(by: 60)
        // No write happened, so only refusing to cache key-value answers makes this right.
        #expect(try !s.transaction(write: false) { try s.exists(kv, key: "k") })
    }

    @Test func theCacheAnswersOnlyInAReadThatHasNotWritten() {
        var cache = ReadCache()
        let ref = ReadCache.DocumentRef(collection: 1, key: "a")
        var usable = cache.usable(changes: 0)
        #expect(!usable, "outside a read transaction")
        cache.beginRead(dataVersion: 1, changes: 7)
        cache.remember(ref, exists: true)
        usable = cache.usable(changes: 7)
        #expect(usable)
        usable = cache.usable(changes: 8)
        #expect(!usable, "the connection wrote")
        #expect(cache.exists(ref) == nil, "a write drops what was remembered")
        usable = cache.usable(changes: 7)
        #expect(!usable, "and the cache stays off until the next read begins")
        cache.beginRead(dataVersion: 1, changes: 8)
        usable = cache.usable(changes: 8)
        #expect(usable)
        cache.endTransaction()
        usable = cache.usable(changes: 8)
        #expect(!usable)
    }

    @Test func theCacheStaysWithinItsCapacity() {
        var cache = ReadCache()
        cache.beginRead(dataVersion: 1, changes: 0)
        let edges = (0..<1000).map { EdgeEndpoint(key: "k\($0)", far: "v/\($0)", farExists: true) }
        for i in 0..<(ReadCache.capacity / 1000 + 5) {
            cache.remember(
                ReadCache.NeighborhoodKey(collection: 1, outbound: true, vertex: "v/\(i)", checked: 0), edges)
            #expect(cache.count <= ReadCache.capacity)
        }
        let kilobyte = StoredDocument(value: .null, json: Array(repeating: 0x20, count: 1000))
        for i in 0..<(ReadCache.documentBudget / 1000 + 5) {
            cache.remember(ReadCache.DocumentRef(collection: 1, key: "d\(i)"), document: kilobyte)
            #expect(cache.documentsHeld <= ReadCache.documentBudget)
        }
        cache.remember(
            ReadCache.DocumentRef(collection: 1, key: "huge"),
            document: StoredDocument(value: .null, json: Array(repeating: 0x20, count: ReadCache.documentBudget / 2)))
        #expect(
            cache.document(ReadCache.DocumentRef(collection: 1, key: "huge")) == nil,
            "one document cannot fill the cache")
        cache.beginRead(dataVersion: 1, changes: 0)
        #expect(cache.count > 0)
        cache.beginRead(dataVersion: 2, changes: 0)
        #expect(cache.count == 0 && cache.documentsHeld == 0)
        #expect(
            cache.neighborhood(ReadCache.NeighborhoodKey(collection: 1, outbound: true, vertex: "v/0", checked: 0))
                == nil)
    }
}

/// A wall clock the test moves by hand.
final class StepClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var time: Double
    init(_ start: Double) { time = start }
    func now() -> Double { lock.withLock { time } }
    func advance(by seconds: Double) { lock.withLock { time += seconds } }
}
