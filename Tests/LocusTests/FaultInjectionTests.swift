// Faults below SQLite: the fault-injecting VFS (Tests/CFaultVFS) fails the Nth read, write,
// sync or lock of one database's files, or every write from the Nth on with "disk full", while
// an import, a writing query, a sync merge or a policy change with evictions runs. The fault
// point sweeps every operation of each kind the run makes. After each fault:
// - the operation failed with a coded error (or, the fault absorbed, succeeded), never a crash;
// - the same handle, the fault gone, sees the outcome a fresh handle sees;
// - reopened, the file passes `integrity_check` and the operation happened whole or not at all;
// - a record the policy pins away from the PoP has no bytes in its files, and the audit log
//   agrees with the data.
// Every 8th fault point runs by default; LOCUS_SLOW_TESTS=1 runs them all.

import CFaultVFS
import CSQLite
import Foundation
import Locus
import LocusReplication
@testable import LocusStorage
import LocusValues
import LocusTestSupport
import Testing

@Suite(.serialized) struct FaultInjectionTests {
    /// One of every `stride` fault points runs.
    static let stride = ProcessInfo.processInfo.environment["LOCUS_SLOW_TESTS"] == "1" ? 1 : 8

    /// The kinds of fault swept: the operations counted, whether the fault persists, and the
    /// result code a failed write gives.
    struct Kind: CustomStringConvertible, Sendable {
        let mask: Int32
        let persistent: Bool
        let writeCode: Int32
        let description: String
    }

    static let kinds = [
        Kind(mask: Int32(LOCUS_FAULT_READ), persistent: false, writeCode: 0, description: "read"),
        Kind(
            mask: Int32(LOCUS_FAULT_WRITE), persistent: false, writeCode: SQLITE_IOERR | (3 << 8), description: "write"),
        Kind(mask: Int32(LOCUS_FAULT_WRITE), persistent: true, writeCode: SQLITE_FULL, description: "disk full"),
        Kind(mask: Int32(LOCUS_FAULT_SYNC), persistent: false, writeCode: 0, description: "sync"),
        Kind(mask: Int32(LOCUS_FAULT_LOCK), persistent: false, writeCode: 0, description: "lock"),
    ]

    /// Builds the scenario's starting files once; each fault point copies them.
    static func template(_ s: FaultScenario) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("locus-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let run = FaultRun(dir: dir)
        try s.prepare(run)
        try run.closeAll()
        return dir
    }

    static func copy(_ template: URL) throws -> FaultRun {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("locus-fault-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: template, to: dir)
        return FaultRun(dir: dir)
    }

    /// What a sweep did: fault points run, faults that fired, operations that failed, and
    /// those that happened whole.
    struct Tally {
        var points = 0
        var fired = 0
        var failed = 0
        var whole = 0
    }

    /// How one fault point breaks the operation: armed on the handle just before it runs,
    /// disarmed right after; `fired` tells whether the fault was met.
    struct Injection {
        let label: String
        let arm: (Database) throws -> Void
        let disarm: (Database) throws -> Void
        let fired: () -> Bool
    }

    /// Runs `s` with the fault at every `stride`th operation of each kind, on the file of
    /// database `watched`.
    static func sweep(_ s: FaultScenario, watched: String) throws -> Tally {
        #expect(locus_fault_install() == SQLITE_OK)
        let template = try template(s)
        defer { try? FileManager.default.removeItem(at: template) }
        var tally = Tally()
        for kind in kinds {
            // A clean run counts the operations of this kind.
            let total = try measure(s, template: template, watched: watched) { _ in
                locus_fault_arm(kind.mask, 0, 0, 0)
            } after: { _ in
                defer { locus_fault_disarm() }
                return locus_fault_count()
            }
            #expect(total > 0 || kind.mask == Int32(LOCUS_FAULT_LOCK), "\(s.name): no \(kind) counted")
            for nth in Swift.stride(from: 1, through: total, by: Self.stride) {
                let injection = Injection(
                    label: "\(s.name), \(kind) fault at operation \(nth)",
                    arm: { _ in locus_fault_arm(kind.mask, nth, kind.persistent ? 1 : 0, kind.writeCode) },
                    disarm: { _ in locus_fault_disarm() }, fired: { locus_fault_fired() > 0 })
                try point(s, template: template, watched: watched, injection, tally: &tally)
            }
        }
        return tally
    }

    /// Runs `s` with the database limited to every size from where it starts to where the
    /// operation leaves it (`PRAGMA max_page_count`): disk full at each page it adds.
    /// (`fired` is then whether the limit was reached, which is approximate.)
    static func sweepPageLimits(_ s: FaultScenario, watched: String) throws -> Tally {
        let template = try template(s)
        defer { try? FileManager.default.removeItem(at: template) }
        func pages(_ db: Database) throws -> Int {
            try db.withStorage { st in
                let q = try st.sql.prepare("PRAGMA page_count")
                defer { q.reset() }
                _ = try q.step()
                return q.int(0)
            }
        }
        func limit(_ db: Database, _ n: Int) throws {
            try db.withStorage { try $0.sql.execute("PRAGMA max_page_count = \(n)") }
        }
        var start = 0
        let end = try measure(s, template: template, watched: watched) {
            start = try pages($0)
        } after: {
            try pages($0)
        }
        var tally = Tally()
        // An operation that need not grow the file (an eviction's erasure) still gets a few
        // pages of room at least.
        for n in Swift.stride(from: start, to: max(end, start + 8), by: max(1, Self.stride / 2)) {
            var full = false
            let injection = Injection(
                label: "\(s.name), disk full at \(n) pages", arm: { try limit($0, n) },
                disarm: { db in
                    full = try pages(db) >= n
                    try limit(db, 1 << 30)
                }, fired: { full })
            try point(s, template: template, watched: watched, injection, tally: &tally)
        }
        return tally
    }

    /// Runs the operation once on a copy of the template, watched but without faults:
    /// `before` on the handle ahead of it, `after` once it is done.
    static func measure(
        _ s: FaultScenario, template: URL, watched: String, before: (Database) throws -> Void,
        after: (Database) throws -> Int
    ) throws -> Int {
        let run = try copy(template)
        defer { try? FileManager.default.removeItem(at: run.dir) }
        locus_fault_watch(run.path(watched))
        defer { locus_fault_watch("") }
        let handle = try run.db(watched)
        try before(handle)
        try s.operation(run)
        let result = try after(handle)
        run.abandon()
        return result
    }

    static func point(
        _ s: FaultScenario, template: URL, watched: String, _ injection: Injection, tally: inout Tally
    ) throws {
        let label = injection.label
        // The scenarios' own expectations do not name the fault point; LOCUS_FAULT_TRACE=1 does.
        if ProcessInfo.processInfo.environment["LOCUS_FAULT_TRACE"] == "1" { print(label) }
        let run = try copy(template)
        defer { try? FileManager.default.removeItem(at: run.dir) }
        locus_fault_watch(run.path(watched))
        let handle = try run.db(watched)
        try injection.arm(handle)
        var failure: Error?
        do { try s.operation(run) } catch { failure = error }
        try injection.disarm(handle)
        tally.fired += injection.fired() ? 1 : 0
        tally.points += 1
        if let failure {
            tally.failed += 1
            let code = (failure as? LocusError)?.code
            #expect(code == .systemError || code == .filesystemFull, "\(label): \(failure)")
        }
        // The same handle, the fault gone, sees what a fresh one sees.
        let seen = try s.outcome(run, handle, false)
        if failure == nil { #expect(seen, "\(label): succeeded but did not happen") }
        run.abandon()
        locus_fault_watch("")
        for name in (try FileManager.default.contentsOfDirectory(atPath: run.dir.path)).filter({ $0.hasSuffix(".db") })
        {
            let result = SQLiteIntegrity.check(run.dir.appendingPathComponent(name).path)
            #expect(result == "ok", "\(label): \(name): \(result)")
        }
        let fresh = try run.db(watched)
        let reopened = try s.outcome(run, fresh, true)
        #expect(reopened == seen, "\(label): the handle saw \(seen), the file holds \(reopened)")
        if reopened { tally.whole += 1 }
        try s.heal(run, fresh)
        run.abandon()
    }

    static func report(_ s: FaultScenario, _ t: Tally) {
        print("fault sweep, \(s.name): \(t.points) points, \(t.fired) fired, \(t.failed) failed, \(t.whole) whole")
    }

    @Test(arguments: FaultScenario.all) func operationsAreWholeOrAbsentUnderFaults(_ s: FaultScenario) throws {
        let t = try Self.sweep(s, watched: s.watched)
        Self.report(s, t)
        #expect(t.failed > 0)
    }

    @Test func everyOperationIsWholeOrAbsentWhenTheDiskFillsUp() throws {
        for s in FaultScenario.all {
            let t = try Self.sweepPageLimits(s, watched: s.watched)
            print("page-limit sweep, \(s.name): \(t.points) points, \(t.failed) failed, \(t.whole) whole")
            #expect(t.points > 0)
        }
    }
}
