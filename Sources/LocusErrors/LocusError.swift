// The single error type thrown by every Locus layer: an ArangoDB error number, the finished
// message, and for query errors the line and column. One formatter renders it everywhere.

/// A position in query text: 1-based line and column, plus the UTF-8 offset.
public struct SourcePosition: Hashable, Sendable, Codable {
    public var line: Int
    public var column: Int
    public var offset: Int
    public init(line: Int, column: Int, offset: Int) {
        self.line = line
        self.column = column
        self.offset = offset
    }
}

/// The error Locus throws. `code` is matchable; `message` is ArangoDB's text.
///
/// ```swift
/// do { try db.query("FOR x IN nope RETURN x") }
/// catch let error as LocusError where error.code == .dataSourceNotFound { … }
/// ```
public struct LocusError: Error, Sendable, CustomStringConvertible, Equatable {
    public var code: ErrorCode
    public var message: String
    public var position: SourcePosition?

    public init(_ code: ErrorCode, _ arguments: String..., at position: SourcePosition? = nil) {
        self.code = code
        self.message = code.format(arguments)
        self.position = position
    }

    public init(code: ErrorCode, message: String, position: SourcePosition? = nil) {
        self.code = code
        self.message = message
        self.position = position
    }

    /// ArangoDB's `errorNum`.
    public var errorNumber: Int { code.number }

    public var description: String { "[\(code.number)] \(message)" }

    /// Renders the error with the offending query line and a caret under the column.
    public func rendered(query: String? = nil) -> String {
        guard let position else { return "error \(code.number): \(message)" }
        // Syntax errors carry ArangoDB's own "at position L:C"; the others get it up front.
        var out =
            message.contains("at position ")
            ? "error \(code.number): \(message)"
            : "error \(code.number) at \(position.line):\(position.column): \(message)"
        guard let query else { return out }
        let lines = query.split(separator: "\n", omittingEmptySubsequences: false)
        guard position.line >= 1, position.line <= lines.count else { return out }
        let line = lines[position.line - 1]
        // Tabs stay tabs under the caret, so that it lines up however wide the terminal draws them.
        let lead = line.prefix(max(0, position.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        out +=
            "\n  \(line)\n  " + lead + "^"
            + String(
                repeating: "~", count: max(0, LocusError.tokenLength(line.dropFirst(max(0, position.column - 1))) - 1))
        return out
    }

    /// The length of the token at the start of `text`, for the underline after the caret: a
    /// name or number, a quoted string or name, otherwise one character.
    static func tokenLength(_ text: Substring) -> Int {
        guard let first = text.first else { return 1 }
        if first == "\"" || first == "'" || first == "`" {
            var escaped = false
            for (i, c) in text.enumerated().dropFirst() {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == first { return i + 1 }
            }
            return 1
        }
        func word(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        guard word(first) || first == "@" else { return 1 }
        return 1 + text.dropFirst().prefix(while: word).count
    }
}
