// Gathers typed lines into statements. A `;` outside strings and comments ends a statement;
// otherwise the parser decides: text that fails only because it ended early (an open bracket,
// string or comment, a FOR without its RETURN) waits for more lines, anything else runs.

import LocusErrors
import LocusSyntax
import LocusValues

/// The statement being typed.
struct StatementBuffer {
    private(set) var text = ""

    var isEmpty: Bool { text.isEmpty }

    /// Adds a line; returns the statements it completed, in order.
    mutating func add(_ line: String) -> [String] {
        text += (text.isEmpty ? "" : "\n") + line
        var complete: [String] = []
        let cuts = StatementBuffer.semicolons(in: text)
        if let last = cuts.last {
            var start = text.startIndex
            for cut in cuts {
                let piece = String(text[start..<cut]).trimmingWhitespace()
                if !piece.isEmpty { complete.append(piece) }
                start = text.index(after: cut)
            }
            text = String(text[text.index(after: last)...])
        }
        let rest = text.trimmingWhitespace()
        if rest.isEmpty || StatementBuffer.isOnlyComments(rest) {
            text = ""
        } else if !StatementBuffer.isIncomplete(rest) {
            complete.append(rest)
            text = ""
        }
        return complete
    }

    mutating func clear() { text = "" }

    /// True for text with nothing but comments (which then start no statement).
    static func isOnlyComments(_ text: String) -> Bool {
        guard let tokens = try? Lexer.tokenize(text) else { return false }
        return tokens.allSatisfy { $0.kind == .end }
    }

    /// True when the parser failed only because the text ended early.
    static func isIncomplete(_ text: String) -> Bool {
        var query = text[...]
        if let first = query.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first,
           first.uppercased() == "EXPLAIN" {
            query = query[first.endIndex...]
            if String(query).trimmingWhitespace().isEmpty { return true }
        }
        do { _ = try Parser.parse(String(query)); return false } catch let e as LocusError {
            return e.code == .queryParse && (e.message.contains("unexpected end of query") || e.message.contains("unterminated"))
        } catch { return false }
    }

    /// Positions of the semicolons that end statements: outside string literals, quoted
    /// names and comments.
    static func semicolons(in text: String) -> [String.Index] {
        enum State { case code, quoted(Character), lineComment, blockComment }
        var state = State.code
        var cuts: [String.Index] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            let following: Character? = next < text.endIndex ? text[next] : nil
            switch state {
            case .code:
                if c == ";" { cuts.append(i) }
                else if c == "\"" || c == "'" || c == "`" || c == "´" { state = .quoted(c) }
                else if c == "/" && following == "/" { state = .lineComment; i = next }
                else if c == "/" && following == "*" { state = .blockComment; i = next }
            case .quoted(let q):
                if c == "\\" && q != "`" && q != "´" && following != nil { i = next }
                else if c == q { state = .code }
            case .lineComment:
                if c == "\n" { state = .code }
            case .blockComment:
                if c == "*" && following == "/" { state = .code; i = next }
            }
            i = text.index(after: i)
        }
        return cuts
    }
}
