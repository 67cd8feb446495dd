// The tokens the lexer produces, each with its source position.

import LocusErrors

/// One lexical token.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case name(String)  // identifier
        case quotedName(String)  // `name` or ´name´
        case keyword(Keyword)  // reserved keyword
        case string(String)
        case number(Double)
        case bindValue(String)  // @name
        case bindCollection(String)  // @@name
        case punct(String)  // operators and punctuation
        case end
    }
    public var kind: Kind
    public var position: SourcePosition
    /// The text as written, for error messages.
    public var text: String
}
