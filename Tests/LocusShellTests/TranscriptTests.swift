// Transcript tests: each Fixtures/shell/*.transcript is a session, the lines typed under
// `-- input` and the screen that results under `-- screen`. The shell runs on a fresh
// in-memory database through the scripted reader; `$TMP` stands for a scratch directory and
// `$FIXTURES` for Fixtures/shell.
// Run times are shown as `N ms`. Record mode (`RecordMode`) rewrites the screens.

import Foundation
import Locus
import LocusShell
import Testing
import LocusTestSupport

struct Transcript {
    let path: String
    let input: [String]
    let screen: String

    static var directory: String {
        Repository.path("Fixtures/shell")
    }

    static var all: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".transcript") }.sorted()
    }

    init(_ name: String) throws {
        path = Transcript.directory + "/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let i = text.range(of: "-- input\n"), let s = text.range(of: "\n-- screen\n") else {
            throw TranscriptError.malformed(name)
        }
        input = text[i.upperBound..<s.lowerBound].components(separatedBy: "\n")
        screen = String(text[s.upperBound...])
    }

    /// Runs the input through a fresh shell; returns the screen.
    func run() throws -> String {
        let scratch = NSTemporaryDirectory() + "locus-transcript-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let lines = input.map {
            $0.replacingOccurrences(of: "$TMP", with: scratch).replacingOccurrences(
                of: "$FIXTURES", with: Transcript.directory)
        }
        let screen = CapturedScreen()
        let shell = Shell(database: try Database.inMemory(), screen: screen)
        _ = shell.run(ScriptedLineReader(lines, screen: screen))
        return Transcript.normalize(
            screen.text.replacingOccurrences(of: scratch, with: "$TMP")
                .replacingOccurrences(of: Transcript.directory, with: "$FIXTURES"))
    }

    static func normalize(_ text: String) -> String {
        text.replacingOccurrences(of: #"Run Time: [0-9.]+ m?s"#, with: "Run Time: N ms", options: .regularExpression)
    }

    func record(_ screen: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let head = text[..<text.range(of: "\n-- screen\n")!.upperBound]
        try (head + screen).write(toFile: path, atomically: true, encoding: .utf8)
    }
}

enum TranscriptError: Error { case malformed(String) }

@Suite struct TranscriptTests {

    @Test func thereAreTranscripts() {
        #expect(Transcript.all.count >= 8)
    }

    @Test(arguments: Transcript.all)
    func transcript(_ name: String) throws {
        let t = try Transcript(name)
        let actual = try t.run()
        if RecordMode.isOn {
            if actual != t.screen {
                try t.record(actual)
                Issue.record("\(name): screen recorded; run again without RECORD_GOLDENS")
            }
        } else {
            #expect(actual == t.screen, "\(name): screen differs")
            if actual != t.screen {
                let a = actual.components(separatedBy: "\n"), e = t.screen.components(separatedBy: "\n")
                if let i = zip(a, e).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset
                    ?? (a.count != e.count ? min(a.count, e.count) : nil)
                {
                    Issue.record(
                        "first difference at screen line \(i + 1):\n  expected: \(i < e.count ? e[i] : "<end>")\n  actual:   \(i < a.count ? a[i] : "<end>")"
                    )
                }
            }
        }
    }
}
