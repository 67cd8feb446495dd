// Brings a file's index keys to the encoding this Locus writes (`IndexKey.formatVersion`,
// kept in SQLite's `PRAGMA user_version`). A writer that opens a file of an older encoding
// rebuilds every index whose keys it encodes, in one transaction, before anything reads them:
// an index left in the old order would return wrong ranges and wrong sorted results. A reader
// cannot rebuild, so it refuses such a file, as every connection refuses a newer encoding.

import LocusErrors
import LocusValues

extension Storage {
    /// The index key encoding the file holds.
    func indexKeyFormat() throws -> Int {
        let s = try sql.prepare("PRAGMA user_version")
        defer { s.reset() }
        return try s.step() ? s.int(0) : 0
    }

    /// Indexes whose entries are `IndexKey` encodings (fulltext and geo keys are their own).
    var indexesKeyedByValue: [IndexInfo] {
        catalog.collections.flatMap { catalog.indexes(of: $0.name) }.filter {
            $0.type == .persistent || $0.type == .ttl
        }
    }

    /// Rebuilds old-format index entries (writers) or refuses the file (readers and newer files).
    func migrateIndexKeys() throws {
        let format = try indexKeyFormat()
        if format == IndexKey.formatVersion { return }
        if format > IndexKey.formatVersion {
            throw LocusError(
                .corruptedDatafile,
                "the index keys are in format \(format), newer than this Locus reads (\(IndexKey.formatVersion))")
        }
        if isReader {
            guard indexesKeyedByValue.isEmpty else {
                throw LocusError(
                    .corruptedDatafile,
                    "the index keys are in format \(format); open the database once for writing to rebuild them")
            }
            return
        }
        let stale = indexesKeyedByValue
        if stale.isEmpty {
            try sql.execute("PRAGMA user_version = \(IndexKey.formatVersion)")
            return
        }
        try sql.execute("BEGIN IMMEDIATE")
        do {
            for ix in stale {
                try sql.execute("DELETE FROM \(ix.table)")
                guard let c = catalog.collection(ix.collection) else { continue }
                try fillIndex(ix, from: c)
            }
            try sql.execute("PRAGMA user_version = \(IndexKey.formatVersion)")
            try sql.execute("COMMIT")
        } catch {
            try? sql.execute("ROLLBACK")
            throw error
        }
    }
}
