// Reads and rewrites golden fixture files. A file is a list of blocks separated by blank
// lines; each block is a directive line, input lines, then `----` and the expected output.
// In record mode (`RecordMode`) the expected parts are rewritten.

import Foundation

public struct GoldenBlock: Sendable {
    public var directive: String
    public var input: String
    public var expected: String?
    public var line: Int

    public init(directive: String, input: String, expected: String?, line: Int) {
        self.directive = directive
        self.input = input
        self.expected = expected
        self.line = line
    }
}

public struct GoldenFile: Sendable {
    public let path: String
    public var blocks: [GoldenBlock]

    /// Every fixture file of a Fixtures/ sub-folder with the given extension, by name (see
    /// `Repository.fixtureFiles` for a missing or empty folder).
    public static func all(_ folder: String, ext: String = "test") -> [String] {
        Repository.fixtureFiles(folder, ext: ext)
    }

    /// Reads `Fixtures/relative`.
    public init(_ relative: String) throws {
        path = Repository.fixtures + "/" + relative
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var blocks: [GoldenBlock] = []
        var current: [String] = []
        var startLine = 1
        let lines = text.components(separatedBy: "\n")
        func flush() {
            let meaningful = current.filter { !$0.hasPrefix("#") }
            defer { current = [] }
            guard let directive = meaningful.first else { return }
            let body = Array(meaningful.dropFirst())
            if let sep = body.firstIndex(of: "----") {
                blocks.append(
                    GoldenBlock(
                        directive: directive, input: body[..<sep].joined(separator: "\n"),
                        expected: body[(sep + 1)...].joined(separator: "\n"), line: startLine))
            } else {
                blocks.append(
                    GoldenBlock(
                        directive: directive, input: body.joined(separator: "\n"), expected: nil, line: startLine))
            }
        }
        for (i, l) in lines.enumerated() {
            if l.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
                startLine = i + 2
            } else {
                if current.isEmpty { startLine = i + 1 }
                current.append(l)
            }
        }
        flush()
        self.blocks = blocks
    }

    /// Writes the file back with new expected outputs (record mode).
    public func write() throws {
        var out: [String] = []
        for b in blocks {
            var lines = [b.directive]
            if !b.input.isEmpty { lines.append(b.input) }
            if let e = b.expected {
                lines.append("----")
                if !e.isEmpty { lines.append(e) }
            }
            out.append(lines.joined(separator: "\n"))
        }
        try (out.joined(separator: "\n\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
