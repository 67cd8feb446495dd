// Reads and rewrites golden fixture files. A file is a list of blocks separated by blank
// lines; each block is a directive line, input lines, then `----` and the expected output.
// With RECORD_GOLDENS=1 (refused when CI=true) the expected parts are rewritten.

import Foundation

struct GoldenBlock {
    var directive: String
    var input: String
    var expected: String?
    var line: Int
}

struct GoldenFile {
    let path: String
    var blocks: [GoldenBlock]

    static var fixturesDirectory: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures").path
    }

    /// Every fixture file of a Fixtures/ sub-folder with the given extension, by name.
    static func all(_ folder: String, ext: String = "test") -> [String] {
        let dir = fixturesDirectory + "/" + folder
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix("." + ext) }.sorted().map { folder + "/" + $0 }
    }

    static var recording: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["RECORD_GOLDENS"] == "1" && env["CI"] != "true"
    }

    init(_ relative: String) throws {
        path = GoldenFile.fixturesDirectory + "/" + relative
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
                blocks.append(GoldenBlock(directive: directive, input: body[..<sep].joined(separator: "\n"),
                                          expected: body[(sep + 1)...].joined(separator: "\n"), line: startLine))
            } else {
                blocks.append(GoldenBlock(directive: directive, input: body.joined(separator: "\n"), expected: nil, line: startLine))
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
    func write() throws {
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
