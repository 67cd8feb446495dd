// How an error reads on a terminal: its number and message, and for errors in query text the
// offending line with a caret under the column and a tilde under the rest of the token there.
// It lives beside the lexer so that the token it underlines is the one the parser saw.

import LocusErrors

extension LocusError {
    /// Renders the error; with `query`, also the line it points at and a caret under it.
    ///
    /// ```text
    /// error 1203 at 1:10: collection or view not found: nope
    ///   FOR u IN nope RETURN u
    ///            ^~~~
    /// ```
    public func rendered(query: String? = nil) -> String {
        guard let position else { return "error \(code.number): \(message)" }
        // Errors in the text's form carry ArangoDB's own "at position L:C"; the others get it
        // up front.
        var out =
            kind != nil
            ? "error \(code.number): \(message)"
            : "error \(code.number) at \(position.line):\(position.column): \(message)"
        guard let query else { return out }
        let lines = query.split(separator: "\n", omittingEmptySubsequences: false)
        guard position.line >= 1, position.line <= lines.count else { return out }
        let line = lines[position.line - 1]
        let column = max(0, position.column - 1)
        // Tabs stay tabs under the caret, so that it lines up however wide the terminal draws them.
        let lead = line.prefix(column).map { $0 == "\t" ? "\t" : " " }.joined()
        let underline = String(repeating: "~", count: max(0, LocusError.tokenLength(line.dropFirst(column)) - 1))
        out += "\n  \(line)\n  " + lead + "^" + underline
        return out
    }

    /// The length in characters of the token the lexer reads at the start of `text`; 1 when
    /// none starts there (white space, the end, or text the lexer refuses).
    static func tokenLength(_ text: Substring) -> Int {
        var lexer = Lexer(String(text))
        guard let token = try? lexer.next(), token.kind != .end, token.position.offset == 0 else { return 1 }
        return max(1, token.text.count)
    }
}
