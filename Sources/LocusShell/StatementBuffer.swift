// Gathers typed lines into statements. A `;` outside strings and comments ends a statement;
// otherwise the parser decides: text that fails only because it ended early (an open bracket,
// string or comment, a FOR without its RETURN) waits for more lines, anything else runs.

import LocusErrors
import LocusSyntax
import LocusValues

/// The statement being typed.
///
/// Each line is scanned once: the lexical state (inside a string or comment, the depth of open
/// brackets) carries over from line to line, and the parser is asked only when the text could
/// be complete (outside strings, comments and brackets). Pasting a JSON array of 20,000 lines
/// is therefore linear, not a parse of the whole text per line.
struct StatementBuffer {
    private(set) var text = ""
    private var scanner = Scanner()
    /// How often the parser was asked whether the text is complete (each ask reads all of it).
    private(set) var parses = 0

    var isEmpty: Bool { text.isEmpty }

    /// Adds a line; returns the statements it completed, in order.
    mutating func add(_ line: String) -> [String] {
        var complete: [String] = []
        let chunk = (text.isEmpty ? "" : "\n") + line
        var pieceStart = chunk.startIndex
        for i in chunk.indices where scanner.feed(chunk[i]) {
            // A `;` in code ends the statement before it.
            text += chunk[pieceStart..<i]
            let piece = text.trimmingWhitespace()
            if !piece.isEmpty && !StatementBuffer.isOnlyComments(piece) { complete.append(piece) }
            clear()
            pieceStart = chunk.index(after: i)
        }
        text += chunk[pieceStart...]
        guard scanner.mayBeComplete else { return complete }
        let rest = text.trimmingWhitespace()
        if !rest.isEmpty && !StatementBuffer.isOnlyComments(rest) {
            parses += 1
            if StatementBuffer.isIncomplete(rest) { return complete }
            complete.append(rest)
        }
        clear()
        return complete
    }

    /// The lexical state of the text so far: what a `;` or the end of a line means.
    struct Scanner {
        enum State { case code, quoted(Character), lineComment, blockComment }
        var state = State.code
        /// Open brackets ( [ { in code.
        var depth = 0
        /// The previous character, when it starts a two-character token (`/` or `*`, or a
        /// backslash escaping the next character in a string).
        var previous: Character?

        /// Whether the text could be a whole statement: outside strings, comments and brackets.
        var mayBeComplete: Bool {
            switch state {
            case .code, .lineComment: return depth == 0
            case .quoted, .blockComment: return false
            }
        }

        /// Takes one character; true when it is a `;` that ends a statement.
        mutating func feed(_ c: Character) -> Bool {
            let before = previous
            previous = nil
            switch state {
            case .code:
                if before == "/" && c == "/" { state = .lineComment; return false }
                if before == "/" && c == "*" { state = .blockComment; return false }
                switch c {
                case ";": return true
                case "\"", "'", "`", "´": state = .quoted(c)
                case "(", "[", "{": depth += 1
                case ")", "]", "}": depth = max(0, depth - 1)
                case "/": previous = c
                default: break
                }
            case .quoted(let q):
                if before == "\\" { return false }
                if c == "\\" && q != "`" && q != "´" { previous = c } else if c == q { state = .code }
            case .lineComment:
                if c == "\n" { state = .code }
            case .blockComment:
                if before == "*" && c == "/" { state = .code } else if c == "*" { previous = c }
            }
            return false
        }
    }

    mutating func clear() {
        text = ""
        scanner = Scanner()
    }

    /// True for text with nothing but comments (which then start no statement).
    static func isOnlyComments(_ text: String) -> Bool {
        guard let tokens = try? Lexer.tokenize(text) else { return false }
        return tokens.allSatisfy { $0.kind == .end }
    }

    /// True when the parser failed only because the text ended early.
    static func isIncomplete(_ text: String) -> Bool {
        var query = text[...]
        if let first = query.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first,
            first.uppercased() == "EXPLAIN"
        {
            query = query[first.endIndex...]
            if String(query).trimmingWhitespace().isEmpty { return true }
        }
        do { _ = try Parser.parse(String(query)); return false } catch let e as LocusError {
            return e.kind?.inputEndedEarly ?? false
        } catch { return false }
    }
}
