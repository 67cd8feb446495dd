// Database files of a test's own: a fresh path in the temporary directory, and its removal with
// the write-ahead log and shared-memory files SQLite keeps beside it.

import Foundation

public enum ScratchDatabase {
    /// A path no other test uses, named after `label` to tell leftovers apart.
    public static func path(_ label: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("locus-\(label)-\(UUID().uuidString).db").path
    }

    /// Removes the file at `path` with its `-wal`, `-shm` and `-journal` files.
    public static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
