// The single error type thrown by every Locus layer, a diagnostic as data: an ArangoDB error
// number, the arguments of its message template (or, for errors in the text's form, the
// problem), and for query errors the line and column; with the message rendered from them
// once. One formatter shows it everywhere.

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
    /// ArangoDB's wording, rendered once from the code's template and `arguments` (or from the
    /// syntax problem), or worded whole where ArangoDB words the case beyond its template.
    public var message: String
    /// What filled the code's template, as data: the collection's name of a 1203, the
    /// function's of a 1540. Empty for a message worded whole and for a syntax problem.
    public var arguments: [String]
    public var position: SourcePosition?
    /// The problem in the form of query text, as data (nil for errors of other kinds).
    public var problem: SyntaxProblem?
    /// What kind of problem in query text this is, for callers that must tell without reading
    /// the message (nil for errors that are not about the text's form).
    public var kind: DiagnosticKind? { problem?.kind }

    public init(_ code: ErrorCode, _ arguments: String..., at position: SourcePosition? = nil) {
        self.code = code
        self.arguments = arguments
        self.message = code.format(arguments)
        self.position = position
    }

    public init(code: ErrorCode, message: String, position: SourcePosition? = nil) {
        self.code = code
        self.arguments = []
        self.message = message
        self.position = position
    }

    /// An error in the form of query text, worded as ArangoDB's parser words it: the
    /// problem's text, then "at position L:C". The one place that wording is made.
    public static func syntax(_ problem: SyntaxProblem, at position: SourcePosition) -> LocusError {
        var error = LocusError(
            code: .queryParse, message: "\(problem.text) at position \(position.line):\(position.column)",
            position: position)
        error.problem = problem
        return error
    }

    /// ArangoDB's `errorNum`.
    public var errorNumber: Int { code.number }

    public var description: String { "[\(code.number)] \(message)" }
}

/// The kinds of problem in query text that callers act on.
public enum DiagnosticKind: Sendable, Hashable {
    /// The text ended where the grammar needs more: an unfinished statement.
    case unexpectedEnd
    /// A string, quoted name or comment still open when the text ended.
    case unterminated
    /// Any other error in the text's form.
    case syntax

    /// True when more text could complete the statement (the shell then asks for it).
    public var inputEndedEarly: Bool { self == .unexpectedEnd || self == .unterminated }
}
