// Directories of a test's own in the temporary directory, removed with everything in them when
// the test is done with them: fabrics of PoPs, servers' data directories and the CLI's database
// files leave nothing behind in /tmp.

import Foundation
import Synchronization

/// Makes fresh directories and removes them all when released. A suite keeps one as a stored
/// property: Swift Testing makes a suite instance per test, so they go when the test ends.
public final class ScratchDirectories: Sendable {
    private let made = Mutex<[URL]>([])

    public init() {}

    /// The path of a directory no other test uses, named after `label`; created unless
    /// `create` is false (for commands that refuse a directory that exists).
    public func make(_ label: String, create: Bool = true) -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("locus-\(label)-\(UUID().uuidString)")
        if create { try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        made.withLock { $0.append(url) }
        return url.path
    }

    deinit {
        for url in made.withLock({ $0 }) { try? FileManager.default.removeItem(at: url) }
    }
}
