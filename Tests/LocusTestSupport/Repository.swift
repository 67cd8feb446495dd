// Where the tests find the checkout: its root, the fixtures, the built `locus` binary, and
// whether record mode is on. Every suite asks here instead of walking up from its own file.

import Foundation

public enum Repository {
    /// The checkout's root directory (this file is Tests/LocusTestSupport/Repository.swift).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// The absolute path of a file or folder given relative to the root.
    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// The Fixtures folder.
    public static var fixtures: String { path("Fixtures") }

    /// The `locus` binary of the debug build that `swift test` made.
    public static var locusBinary: String {
        let candidates = [
            ".build/debug/locus", ".build/x86_64-unknown-linux-gnu/debug/locus",
            ".build/aarch64-unknown-linux-gnu/debug/locus",
        ]
        return candidates.map(path).first { FileManager.default.fileExists(atPath: $0) } ?? path(".build/debug/locus")
    }

    /// The files of a Fixtures sub-folder with an extension, as `folder/name`, sorted. A missing
    /// or empty folder yields one name that does not exist, so that the suite driven by it fails
    /// on opening that file instead of passing by testing nothing.
    public static func fixtureFiles(_ folder: String, ext: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures + "/" + folder)) ?? []
        let files = names.filter { $0.hasSuffix("." + ext) }.sorted().map { folder + "/" + $0 }
        return files.isEmpty ? ["\(folder)/no-.\(ext)-fixtures-here"] : files
    }
}

/// Record mode (`RECORD_GOLDENS=1`) rewrites golden outputs instead of comparing them. It is
/// never on when `CI=true`; `.ci/run` refuses to start with it set. A suite that rewrites a
/// file still fails, so that a recording run is never mistaken for a passing one.
public enum RecordMode {
    public static var isOn: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["RECORD_GOLDENS"] == "1" && env["CI"] != "true"
    }
}
