// The one table from SQLite's result codes to Locus's (ArangoDB's) error numbers, with a
// message a person can act on. Every SQLite failure the storage layer reports goes through it.

import CSQLite
import LocusErrors

enum SQLiteErrors {
    /// The error for result code `rc` (extended codes are reduced to their primary code) with
    /// SQLite's own message; `path` names the file where that helps.
    static func error(_ rc: Int32, message: String, path: String? = nil) -> LocusError {
        let file = path.map { "'\($0)'" } ?? "the database file"
        switch rc & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return LocusError(code: .lockTimeout, message: "lock timeout: the database is locked by another writer")
        case SQLITE_CONSTRAINT:
            return LocusError(.uniqueConstraintViolated, "", "", "", message)
        case SQLITE_NOTADB:
            return LocusError(.corruptedDatafile, "\(file) is not a Locus database (SQLite: \(message))")
        case SQLITE_CORRUPT:
            return LocusError(
                .corruptedDatafile, "\(file) is damaged (SQLite: \(message)); restore it from a backup or a peer")
        case SQLITE_FULL:
            return LocusError(.filesystemFull, "no space left for \(file) (SQLite: \(message))")
        case SQLITE_READONLY:
            return LocusError(code: .readOnly, message: "read only: \(file) cannot be written (SQLite: \(message))")
        case SQLITE_IOERR:
            return LocusError(.systemError, "disk I/O error on \(file) (SQLite: \(message))")
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH:
            return LocusError(.systemError, "cannot open \(file) (SQLite: \(message))")
        case SQLITE_NOMEM:
            return LocusError(code: .outOfMemory, message: "out of memory (SQLite: \(message))")
        case SQLITE_TOOBIG:
            return LocusError(
                code: .resourceLimit,
                message: "resource limit exceeded: a value is larger than SQLite's limit (SQLite: \(message))")
        default:
            return LocusError(.internalError, "SQLite: \(message)")
        }
    }
}
