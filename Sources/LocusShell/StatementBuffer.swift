// Gathers typed lines into statements, reading them with the query lexer. A `;` outside
// strings and comments ends a statement; otherwise the parser decides: text that fails only
// because it ended early (an open bracket, string or comment, a FOR without its RETURN) waits
// for more lines, anything else runs.

import LocusErrors
import LocusSyntax
import LocusValues

/// The statement being typed.
///
/// Each line is read once, by the query lexer: what it leaves open (a string or comment that
/// runs on past the line's end, the depth of open brackets) carries over to the next line, and
/// the parser is asked only when the text could be complete (nothing open). Pasting a JSON
/// array of 20,000 lines is therefore linear, not a parse of the whole text per line. A string
/// or comment still open is read again from its start when the next line comes.
struct StatementBuffer {
    private(set) var text = ""
    /// The UTF-8 offset in `text` up to which the lexer has read whole tokens.
    private var lexed = 0
    /// Whether a string or comment starting at `lexed` is still open.
    private var open = false
    /// Brackets ( [ { open in the tokens read.
    private var depth = 0
    /// How often the parser was asked whether the text is complete (each ask reads all of it).
    private(set) var parses = 0

    var isEmpty: Bool { text.isEmpty }

    /// Adds a line; returns the statements it completed, in order.
    mutating func add(_ line: String) -> [String] {
        var complete: [String] = []
        text += (text.isEmpty ? "" : "\n") + line
        while let end = readOn() {
            // A `;` in code ends the statement before it.
            let utf8 = text.utf8
            let piece = String(text[..<utf8.index(utf8.startIndex, offsetBy: end)]).trimmingWhitespace()
            if !piece.isEmpty && !StatementBuffer.isOnlyComments(piece) { complete.append(piece) }
            let rest = String(text[utf8.index(utf8.startIndex, offsetBy: end + 1)...])
            clear()
            text = rest
        }
        guard !open && depth == 0 else { return complete }
        let rest = text.trimmingWhitespace()
        if !rest.isEmpty && !StatementBuffer.isOnlyComments(rest) {
            parses += 1
            if StatementBuffer.isIncomplete(rest) { return complete }
            complete.append(rest)
        }
        clear()
        return complete
    }

    /// Lexes `text` on from `lexed`, counting brackets, to its end or to an open string or
    /// comment; returns the UTF-8 offset of a `;` in code if one comes first. The lexer knows
    /// no `;` (C8QL has none) and refuses it like any unknown character; the reading steps over
    /// the others it refuses, since the parser reports them once the statement runs.
    private mutating func readOn() -> Int? {
        let base = lexed
        let tail = String(decoding: text.utf8.dropFirst(base), as: UTF8.self)
        var lexer = Lexer(tail)
        open = false
        while true {
            do {
                let token = try lexer.next()
                switch token.kind {
                case .punct("("), .punct("["), .punct("{"): depth += 1
                case .punct(")"), .punct("]"), .punct("}"): depth = max(0, depth - 1)
                case .end:
                    lexed = base + lexer.offset
                    return nil
                default: break
                }
            } catch let e as LocusError {
                let at = e.position?.offset ?? lexer.offset
                if e.kind == .unterminated {
                    lexed = base + at
                    open = true
                    return nil
                }
                if at == lexer.offset {
                    if tail.utf8[tail.utf8.index(tail.utf8.startIndex, offsetBy: at)] == UInt8(ascii: ";") {
                        return base + at
                    }
                    lexer.skipCharacter()
                }
            } catch {
                lexer.skipCharacter()
            }
        }
    }

    mutating func clear() {
        text = ""
        lexed = 0
        open = false
        depth = 0
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
