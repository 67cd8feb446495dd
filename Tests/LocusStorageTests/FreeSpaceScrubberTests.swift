// Erasing unallocated space in place: bytes planted in a page's gap, in freeblocks and on free
// pages are gone after a scrub, every live row reads back as it was, SQLite finds the file
// sound, and a second scrub finds nothing left to write.

import Foundation
import Testing
@testable import LocusStorage
import LocusTestSupport
import LocusErrors

@Suite struct FreeSpaceScrubberTests {
    /// A file of `rows` rows with deterministic pseudo-random keys (so that pages split and are
    /// rebuilt), then `deleted` of them removed, the log folded into the file.
    private func makeFile(_ path: String, rows: Int, deleted: Int) throws -> (SQLiteConnection, [String]) {
        let sql = try SQLiteConnection(path: path)
        try sql.execute("PRAGMA journal_mode=WAL; PRAGMA secure_delete=ON")
        try sql.execute("CREATE TABLE t(k TEXT PRIMARY KEY, doc TEXT) WITHOUT ROWID; CREATE INDEX t_doc ON t(doc)")
        var generator = SplitMix(seed: 42)
        var keys: [String] = []
        try sql.execute("BEGIN")
        for i in 0..<rows {
            let key = String(generator.next(), radix: 16) + "-\(i)"
            keys.append(key)
            let insert = try sql.prepare("INSERT INTO t VALUES (?, ?)")
            insert.bind(1, key)
            insert.bind(2, "CANARY-\(key)-" + String(repeating: "x", count: Int(generator.next() % 300)))
            try insert.run()
        }
        try sql.execute("COMMIT")
        try sql.execute("BEGIN")
        for key in keys.prefix(deleted) {
            let delete = try sql.prepare("DELETE FROM t WHERE k = ?")
            delete.bind(1, key)
            try delete.run()
        }
        try sql.execute("COMMIT; PRAGMA wal_checkpoint(TRUNCATE)")
        return (sql, keys)
    }

    private func scrub(_ sql: SQLiteConnection) throws -> ScrubReport {
        try sql.execute("BEGIN IMMEDIATE")
        #expect(sql.logIsEmpty)
        var scrubber = try FreeSpaceScrubber(connection: sql)
        let report = try scrubber.scrub(roots: try sql.rootPages())
        try sql.execute("COMMIT")
        sql.releaseCachedPages()
        return report
    }

    private func rows(_ sql: SQLiteConnection) throws -> [String] {
        let s = try sql.prepare("SELECT k || doc FROM t ORDER BY k")
        defer { s.reset() }
        var out: [String] = []
        while try s.step() { out.append(s.text(0)!) }
        return out
    }

    private func integrity(_ sql: SQLiteConnection) throws -> String {
        let s = try sql.prepare("PRAGMA integrity_check")
        defer { s.reset() }
        _ = try s.step()
        return s.text(0) ?? ""
    }

    @Test func strayBytesAreErasedAndRowsKept() throws {
        let path = ScratchDatabase.path("scrub")
        defer { ScratchDatabase.remove(path) }
        let (sql, keys) = try makeFile(path, rows: 4_000, deleted: 400)
        let before = try rows(sql)
        // Plant bytes in the gap of b-tree pages, where a rebuilt page would leave old cells.
        let planted = Array("CANARY-PLANTED".utf8)
        let plantedPages = try StrayBytes.plant(Array(repeating: planted, count: 1_000), in: path)
        #expect(plantedPages > 10)
        sql.releaseCachedPages()

        let report = try scrub(sql)
        #expect(report.pagesWritten >= plantedPages)
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(after.range(of: Data(planted)) == nil)
        for key in keys.prefix(400) { #expect(after.range(of: Data("CANARY-\(key)-".utf8)) == nil) }
        #expect(try integrity(sql) == "ok")
        #expect(try rows(sql) == before)
        // Nothing stray is left for a second pass.
        #expect(try scrub(sql).pagesWritten == 0)
    }

    @Test func freePagesAreErased() throws {
        let path = ScratchDatabase.path("scrub-free")
        defer { ScratchDatabase.remove(path) }
        let sql = try SQLiteConnection(path: path)
        // Without secure_delete, dropping a table leaves its pages on the free list as they were.
        try sql.execute("PRAGMA journal_mode=WAL; PRAGMA secure_delete=OFF")
        try sql.execute("CREATE TABLE kept(v TEXT); CREATE TABLE dropped(v TEXT)")
        try sql.execute("INSERT INTO kept VALUES ('KEPT-ROW')")
        for i in 0..<200 {
            try sql.execute("INSERT INTO dropped VALUES ('CANARY-FREE-\(i)-' || hex(randomblob(100)))")
        }
        try sql.execute("DROP TABLE dropped; PRAGMA wal_checkpoint(TRUNCATE)")
        let freePages = try sql.prepare("PRAGMA freelist_count")
        _ = try freePages.step()
        #expect(freePages.int(0) > 5)
        freePages.reset()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).range(of: Data("CANARY-FREE-".utf8)) != nil)

        let report = try scrub(sql)
        #expect(report.pagesWritten > 5)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).range(of: Data("CANARY-FREE-".utf8)) == nil)
        #expect(try integrity(sql) == "ok")
        let kept = try sql.prepare("SELECT v FROM kept")
        defer { kept.reset() }
        #expect(try kept.step())
        #expect(kept.text(0) == "KEPT-ROW")
    }

    @Test func aDamagedPageIsRefusedAndLeftAlone() throws {
        let path = ScratchDatabase.path("scrub-damaged")
        defer { ScratchDatabase.remove(path) }
        let (sql, _) = try makeFile(path, rows: 500, deleted: 0)
        var file = try Data(contentsOf: URL(fileURLWithPath: path))
        let pageSize = Int(file[16]) << 8 | Int(file[17])
        // The table's root claims more cells than its page can hold.
        let root = try sql.rootPages().max()!
        file[(root - 1) * pageSize + 3] = 0xff
        file[(root - 1) * pageSize + 4] = 0xff
        try file.write(to: URL(fileURLWithPath: path))
        sql.releaseCachedPages()
        try sql.execute("BEGIN IMMEDIATE")
        defer { try? sql.execute("ROLLBACK") }
        var scrubber = try FreeSpaceScrubber(connection: sql)
        do {
            _ = try scrubber.scrub(roots: try sql.rootPages())
            Issue.record("a page claiming 65,535 cells was scrubbed")
        } catch let error as LocusError {
            #expect(error.code == .corruptedDatafile)
            #expect(error.message.contains("page \(root)"))
        }
        // Pages scrubbed before it lost only unallocated bytes; the damaged one is untouched.
        let damaged = (root - 1) * pageSize..<root * pageSize
        #expect(try Data(contentsOf: URL(fileURLWithPath: path))[damaged] == file[damaged])
    }
}

/// SplitMix64: deterministic keys, so that the file's layout is the same on every run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
