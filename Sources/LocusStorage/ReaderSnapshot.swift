// A reader connection's transaction without BEGIN and COMMIT: SQLite keeps a read
// transaction open while any statement is active, so the step that reads the schema version,
// left open until the end, holds the snapshot every later statement reads.

import LocusErrors

/// The open snapshot of a reader connection, and the statement kept for holding one.
struct ReaderSnapshot {
    private var statement: PreparedStatement?
    private var open = false

    var isOpen: Bool { open }

    /// Opens a snapshot; returns the schema version it sees.
    mutating func begin(_ sql: SQLiteConnection) throws -> Int {
        let s: PreparedStatement
        if let kept = statement {
            s = kept
        } else {
            s = try sql.compile("PRAGMA schema_version")
            statement = s
        }
        s.reset()
        guard try s.step() else { throw LocusError(.internalError, "no schema version") }
        open = true
        return s.int(0)
    }

    /// Ends the snapshot, or says there was none.
    mutating func end() -> Bool {
        guard open, let s = statement else { return false }
        s.reset()
        open = false
        return true
    }
}
