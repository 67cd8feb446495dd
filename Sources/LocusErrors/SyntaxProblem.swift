// What is wrong with the form of query text, as data: each problem the lexer, parser and binder
// find, with its arguments. `text` is the one renderer of their wording, ArangoDB's parser's
// own, and `kind` tells callers (the shell) whether more text could mend it.

/// A problem in the form of query text.
public enum SyntaxProblem: Sendable, Hashable {
    /// A token the grammar does not allow where it stands: how the token reads, what was
    /// expected instead (if one thing was), and the text from the token on (up to 32 bytes).
    case unexpected(found: String, expecting: String?, near: String, atEnd: Bool)
    /// A string literal, quoted name or multi-line comment still open where the text ends.
    case unterminated(String)
    /// A character that starts no token.
    case unexpectedCharacter(String)
    /// A name made of `_` and `$` only.
    case unexpectedName(String)
    /// `@` or `@@` without a usable name.
    case invalidBindParameterName
    /// A malformed number literal (with its text, when it reads as one).
    case invalidNumberLiteral(String?)
    /// A hexadecimal or binary literal past 2^32 - 1.
    case numberOutOfRange
    /// Digits no number can be made of.
    case invalidNumber(String)
    /// Bytes of a string or name that are not UTF-8.
    case invalidUTF8(String)
    /// A FOR over a collection with more than one variable, or over a list with a pair.
    case forVariableCount
    /// `KEEP` in a COLLECT without `INTO`.
    case keepWithoutInto
    /// WINDOW bounds with an attribute other than `preceding` and `following`.
    case windowBoundsAttribute
    /// WINDOW bounds with neither `preceding` nor `following`.
    case windowBoundsEmpty
    /// `[* quantifier]` with something other than a number, range or ALL, ANY, NONE.
    case expansionQuantifier
    /// `RETURN DISTINCT` as the top-level query's result.
    case topLevelDistinct
    /// OPTIONS given as something other than an object literal.
    case optionsNotObject
    /// UPSERT's search expression given as something other than an object literal.
    case upsertSearchNotObject
    /// SEARCH on something that is not a view.
    case searchOnNonView
    /// A graph name that is not a string.
    case graphNameNotString
    /// A traversal depth that is not a non-negative integer.
    case invalidTraversalDepth

    /// ArangoDB's wording, without the position.
    public var text: String {
        switch self {
        case .unexpected(let found, let expecting, let near, _):
            var text = "syntax error, unexpected \(found)"
            if let expecting { text += ", expecting \(expecting)" }
            if !near.isEmpty { text += " near '\(near)'" }
            return text
        case .unterminated(let what): return "unexpected unterminated \(what)"
        case .unexpectedCharacter(let c): return "syntax error, unexpected character '\(c)'"
        case .unexpectedName(let name): return "syntax error, unexpected '\(name)'"
        case .invalidBindParameterName: return "syntax error, unexpected bind parameter name"
        case .invalidNumberLiteral(let text):
            return "syntax error, unexpected invalid number literal" + (text.map { " '\($0)'" } ?? "")
        case .numberOutOfRange: return "syntax error, number out of range"
        case .invalidNumber(let text): return "syntax error, invalid number '\(text)'"
        case .invalidUTF8(let what): return "invalid UTF-8 in \(what)"
        case .forVariableCount: return "syntax error, unexpected number of variables in FOR"
        case .keepWithoutInto: return "use of 'KEEP' without 'INTO'"
        case .windowBoundsAttribute: return "syntax error, WINDOW bounds may only contain 'preceding' and 'following'"
        case .windowBoundsEmpty: return "syntax error, WINDOW bounds need 'preceding' or 'following'"
        case .expansionQuantifier: return "unexpected quantifier value found for array expansion operation"
        case .topLevelDistinct: return "cannot use DISTINCT modifier on top-level query element"
        case .optionsNotObject: return "syntax error, OPTIONS must be an object literal"
        case .upsertSearchNotObject: return "syntax error, UPSERT search expression must be an object literal"
        case .searchOnNonView: return "SEARCH condition used on non-view"
        case .graphNameNotString: return "graph name must be a string"
        case .invalidTraversalDepth: return "invalid traversal depth"
        }
    }

    /// Whether more text could mend the problem, and how.
    public var kind: DiagnosticKind {
        switch self {
        case .unexpected(_, _, _, let atEnd): atEnd ? .unexpectedEnd : .syntax
        case .unterminated: .unterminated
        default: .syntax
        }
    }
}
