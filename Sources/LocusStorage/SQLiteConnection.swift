// A thin wrapper over the SQLite C API: open, execute, prepared statements with a cache,
// binding and reading columns. Errors become LocusErrors through `SQLiteErrors`.

import CSQLite
import LocusErrors

let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// The statements every transaction runs, and those every write at a PoP runs, kept apart
/// from the cache: running one costs no lookup by its text, which a query that does little
/// else would notice.
public enum FixedStatement: Int, CaseIterable, Sendable {
    case begin, beginImmediate, commit, rollback, schemaVersion
    case savepoint, releaseSavepoint, rollbackToSavepoint
    case clockRow, keyClocks, writeClock, deleteAttributeClocks, appendToStream

    var sql: String {
        switch self {
        case .begin: "BEGIN"
        case .beginImmediate: "BEGIN IMMEDIATE"
        case .commit: "COMMIT"
        case .rollback: "ROLLBACK"
        case .schemaVersion: "PRAGMA schema_version"
        case .savepoint: "SAVEPOINT locus_statement"
        case .releaseSavepoint: "RELEASE locus_statement"
        case .rollbackToSavepoint: "ROLLBACK TO locus_statement"
        case .clockRow: "SELECT cl, hlc, site FROM locus_clock WHERE coll = ? AND key = ? AND attr = ?"
        // The marker ('') sorts first; a second row is an attribute clock.
        case .keyClocks: "SELECT attr, cl FROM locus_clock WHERE coll = ? AND key = ? ORDER BY attr LIMIT 2"
        case .writeClock:
            "INSERT OR REPLACE INTO locus_clock(coll, key, attr, cl, hlc, site, seq) VALUES (?, ?, ?, ?, ?, ?, ?)"
        case .deleteAttributeClocks: "DELETE FROM locus_clock WHERE coll = ? AND key = ? AND attr != ''"
        case .appendToStream: "INSERT INTO locus_stream(coll, key, op, doc, origin) VALUES (?, ?, ?, ?, ?)"
        }
    }
}

/// One SQLite connection. Not thread-safe by itself; the engine serialises access.
public final class SQLiteConnection {
    let db: OpaquePointer
    let path: String
    private var cache: [String: PreparedStatement] = [:]
    /// Cached statements handed out since `resetAll` last ran.
    private var handedOut: [PreparedStatement] = []
    private var fixed = [PreparedStatement?](repeating: nil, count: FixedStatement.allCases.count)
    /// Statements of the hot row paths, by `TableStatement` and table number.
    private var tableStatements: [Int: PreparedStatement] = [:]
    /// Index range reads, by `IndexRangeStatement` and index number.
    private var rangeStatements: [Int: PreparedStatement] = [:]
    /// Multi-row INSERTs, by shape, table and row count (see `MultiRowInsert`).
    private var multiRowStatements: [Int: PreparedStatement] = [:]
    /// The text parameters of the multi-row INSERT being bound (one at a time).
    var batchTexts = StatementTexts()

    public init(path: String) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let msg = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let handle { sqlite3_close_v2(handle) }
            throw SQLiteErrors.error(rc == SQLITE_OK ? SQLITE_CANTOPEN : rc, message: msg, path: path)
        }
        db = handle
        self.path = path
        setBusyTimeout(milliseconds: busyTimeout)
    }

    deinit {
        cache.removeAll()
        tableStatements.removeAll()
        rangeStatements.removeAll()
        multiRowStatements.removeAll()
        handedOut.removeAll()
        fixed.removeAll()
        sqlite3_close_v2(db)
    }

    func fail(_ what: String) -> LocusError {
        let rc = sqlite3_errcode(db)
        let message = String(cString: sqlite3_errmsg(db))
        return rc == SQLITE_ERROR
            ? LocusError(.internalError, "\(what): \(message)") : SQLiteErrors.error(rc, message: message, path: path)
    }

    /// How long a statement waits for a lock another connection holds before failing with
    /// error 18 (lock timeout).
    public func setBusyTimeout(milliseconds: Int) {
        busyTimeout = milliseconds
        sqlite3_busy_timeout(db, Int32(clamping: milliseconds))
    }

    /// The wait `setBusyTimeout` set, in milliseconds.
    public private(set) var busyTimeout = 10_000

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "unknown"
            sqlite3_free(err)
            throw SQLiteErrors.error(rc, message: msg, path: path)
        }
    }

    /// Runs one of the statements every transaction runs, compiled on first use.
    public func execute(_ statement: FixedStatement) throws {
        try prepare(statement).run()
    }

    /// One of the statements every transaction runs, reset; the caller resets it again once
    /// it has read it, since a step left pending would hold a read open.
    public func prepare(_ statement: FixedStatement) throws -> PreparedStatement {
        if let s = fixed[statement.rawValue] {
            sqlite3_reset(s.stmt)
            return s
        }
        let s = try compile(statement.sql)
        fixed[statement.rawValue] = s
        return s
    }

    /// A cached prepared statement, reset and with bindings cleared.
    public func prepare(_ sql: String) throws -> PreparedStatement {
        // A cached statement still stepping belongs to an enclosing loop (a nested scan of the
        // same collection); such callers get a fresh statement of their own.
        if let s = cache[sql] {
            if sqlite3_stmt_busy(s.stmt) == 0 {
                s.reset()
                markHandedOut(s)
                return s
            }
            return try compile(sql)
        }
        let s = try compile(sql)
        cache[sql] = s
        markHandedOut(s)
        return s
    }

    /// A cached statement of the hot row paths (see `TableStatement`) about the table numbered
    /// `id` and named `table`, reset and with bindings cleared; found by number, so that
    /// neither its text is built nor hashed. Still stepping (a nested loop over the same
    /// table), it is left to its caller and a fresh one is compiled.
    func prepare(_ statement: TableStatement, id: Int, table: @autoclosure () -> String) throws -> PreparedStatement {
        try cached(in: &tableStatements, id &* TableStatement.allCases.count &+ statement.rawValue) {
            statement.sql(table())
        }
    }

    /// A cached read of a range of the index numbered `id`, as `prepare(_:id:table:)` gives.
    func prepare(_ statement: IndexRangeStatement, index id: Int, sql: () -> String) throws -> PreparedStatement {
        try cached(in: &rangeStatements, id &* IndexRangeStatement.count &+ statement.number, sql)
    }

    /// A cached multi-row INSERT of `rows` rows (at most `MultiRowInsert.maximumRows`), into
    /// the table numbered `id` and named `table` for document rows, as `prepare(_:id:table:)`
    /// gives.
    func prepare(_ statement: MultiRowInsert, rows: Int, id: Int = 0, table: @autoclosure () -> String = "")
        throws -> PreparedStatement
    {
        precondition((1...MultiRowInsert.maximumRows).contains(rows), "a multi-row INSERT of \(rows) rows")
        let shape = id &* MultiRowInsert.allCases.count &+ statement.rawValue
        return try cached(in: &multiRowStatements, shape &* (MultiRowInsert.maximumRows + 1) &+ rows) {
            statement.sql(rows: rows, table: table())
        }
    }

    private func cached(in statements: inout [Int: PreparedStatement], _ key: Int, _ sql: () -> String) throws
        -> PreparedStatement
    {
        if let s = statements[key] {
            guard sqlite3_stmt_busy(s.stmt) == 0 else { return try compile(sql()) }
            s.reset()
            markHandedOut(s)
            return s
        }
        let s = try compile(sql())
        statements[key] = s
        markHandedOut(s)
        return s
    }

    func compile(_ sql: String) throws -> PreparedStatement {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil) == SQLITE_OK, let stmt
        else {
            throw fail("prepare")
        }
        return PreparedStatement(stmt, connection: self)
    }

    private func markHandedOut(_ s: PreparedStatement) {
        guard !s.handedOut else { return }
        s.handedOut = true
        handedOut.append(s)
    }

    /// Resets every cached statement handed out since the last call, ending any read it still
    /// holds open. (Only those can be stepping; a transaction that hands out none costs nothing.)
    public func resetAll() {
        for s in handedOut {
            if sqlite3_stmt_busy(s.stmt) != 0 { sqlite3_reset(s.stmt) }
            s.handedOut = false
        }
        handedOut.removeAll(keepingCapacity: true)
    }

    /// Drops cached statements (after schema changes).
    public func clearCache() {
        cache.removeAll()
        tableStatements.removeAll()
        rangeStatements.removeAll()
        multiRowStatements.removeAll()
    }

    public var changes: Int { Int(sqlite3_changes(db)) }
    public var lastInsertRowID: Int { Int(sqlite3_last_insert_rowid(db)) }

    /// Rows this connection has inserted, updated or deleted since it opened.
    var totalChanges: Int64 { sqlite3_total_changes64(db) }

    /// SQLite's data version of the main database: it moves with every commit to the file, by
    /// this connection or any other (other processes included), as seen by the current read
    /// transaction. Nil when the file control is unavailable.
    var dataVersion: UInt32? {
        var v: UInt32 = 0
        return sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &v) == SQLITE_OK ? v : nil
    }

    /// Drops every page this connection caches that no open statement holds. After the file
    /// was changed beneath SQLite (free space erased in place), no stale copy of a page may be
    /// written back from here.
    func releaseCachedPages() {
        sqlite3_db_release_memory(db)
    }

    /// True when the write-ahead log holds no frames: the database file alone is the database.
    /// (A file in rollback-journal mode has no log.)
    var logIsEmpty: Bool {
        var size: sqlite3_int64 = 0
        var handle: UnsafeMutableRawPointer?
        guard sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &handle) == SQLITE_OK,
            let log = handle?.assumingMemoryBound(to: sqlite3_file.self), let io = log.pointee.pMethods
        else { return true }
        return io.pointee.xFileSize(log, &size) == SQLITE_OK && size == 0
    }

    /// The root page of every table and index in the schema.
    func rootPages() throws -> [Int] {
        let s = try prepare("SELECT rootpage FROM sqlite_schema WHERE rootpage > 0")
        defer { s.reset() }
        var pages: [Int] = []
        while try s.step() { pages.append(s.int(0)) }
        return pages
    }

    /// True when the schema has a table called `name`.
    public func tableExists(_ name: String) throws -> Bool {
        let s = try prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        defer { s.reset() }
        s.bind(1, name)
        return try s.step()
    }
}

/// A prepared statement.
public final class PreparedStatement {
    let stmt: OpaquePointer
    unowned let connection: SQLiteConnection
    /// Set while the connection lists it for its next `resetAll`.
    var handedOut = false

    init(_ stmt: OpaquePointer, connection: SQLiteConnection) {
        self.stmt = stmt
        self.connection = connection
    }

    deinit { sqlite3_finalize(stmt) }

    public func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    public func bind(_ i: Int32, _ s: String) {
        // From the string's own UTF-8 with its length: passing the String as a C string would
        // first copy it into a new NUL-terminated buffer (any short key is stored inline).
        var s = s
        _ = s.withUTF8 { text in
            text.withMemoryRebound(to: CChar.self) {
                if let start = $0.baseAddress {
                    sqlite3_bind_text(stmt, i, start, Int32($0.count), SQLITE_TRANSIENT)
                } else {
                    sqlite3_bind_text(stmt, i, "", 0, SQLITE_TRANSIENT)
                }
            }
        }
    }

    public func bind(_ i: Int32, bytes: [UInt8]) {
        bytes.withUnsafeBytes { b in
            _ = sqlite3_bind_blob(
                stmt, i, b.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(b.count), SQLITE_TRANSIENT)
        }
    }

    public func bindText(_ i: Int32, bytes: [UInt8]) {
        if bytes.isEmpty { sqlite3_bind_text(stmt, i, "", 0, SQLITE_TRANSIENT); return }
        bytes.withUnsafeBytes { b in
            _ = sqlite3_bind_text(
                stmt, i, b.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(b.count), SQLITE_TRANSIENT)
        }
    }

    public func bind(_ i: Int32, _ d: Double) { sqlite3_bind_double(stmt, i, d) }
    public func bind(_ i: Int32, _ n: Int) { sqlite3_bind_int64(stmt, i, Int64(n)) }
    public func bindNull(_ i: Int32) { sqlite3_bind_null(stmt, i) }

    /// Advances; true when a row is available.
    public func step() throws -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let msg = String(cString: sqlite3_errmsg(connection.db))
        sqlite3_reset(stmt)
        throw SQLiteErrors.error(rc, message: msg, path: connection.path)
    }

    /// Runs to completion.
    public func run() throws {
        while try step() {}
        sqlite3_reset(stmt)
    }

    public func text(_ i: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt, i) else { return nil }
        return String(cString: p)
    }

    public func int(_ i: Int32) -> Int { Int(sqlite3_column_int64(stmt, i)) }
    public func double(_ i: Int32) -> Double { sqlite3_column_double(stmt, i) }
    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(stmt, i) == SQLITE_NULL }

    /// The column's bytes, valid until the next step.
    public func withBytes<R>(_ i: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let n = Int(sqlite3_column_bytes(stmt, i))
        let p = sqlite3_column_blob(stmt, i)
        let buf = UnsafeBufferPointer(start: p?.assumingMemoryBound(to: UInt8.self), count: p == nil ? 0 : n)
        return try body(buf)
    }

    public func bytes(_ i: Int32) -> [UInt8] { withBytes(i) { Array($0) } }
}
