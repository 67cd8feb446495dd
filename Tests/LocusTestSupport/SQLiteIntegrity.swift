// SQLite's own verdict on a database file, for the tests that break files on purpose (kill -9
// torture, fault injection) and must then find them whole.

import CSQLite

/// `PRAGMA integrity_check` of a file.
public enum SQLiteIntegrity {
    /// "ok" when the file is whole; SQLite's findings, "cannot open" or "cannot check" otherwise.
    /// Opening the file recovers its WAL, as any opener would.
    public static func check(_ path: String) -> String {
        var db: OpaquePointer?
        defer { sqlite3_close(db) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { return "cannot open" }
        var s: OpaquePointer?
        defer { sqlite3_finalize(s) }
        guard sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nil) == SQLITE_OK,
            sqlite3_step(s) == SQLITE_ROW, let text = sqlite3_column_text(s, 0)
        else { return "cannot check" }
        return String(cString: text)
    }
}
