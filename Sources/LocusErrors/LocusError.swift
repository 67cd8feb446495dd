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
        var out = "error \(code.number): \(message)"
        guard let position, let query else { return out }
        let lines = query.split(separator: "\n", omittingEmptySubsequences: false)
        guard position.line >= 1, position.line <= lines.count else { return out }
        let line = lines[position.line - 1]
        out += "\n  \(line)\n  " + String(repeating: " ", count: max(0, position.column - 1)) + "^"
        return out
    }
}
