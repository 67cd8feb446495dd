// `.format`: lays a query out one clause per line, keywords upper case, subqueries indented,
// from the lexer's tokens (so comments are dropped and literals keep their spelling).

import LocusErrors
import LocusSyntax

enum QueryFormatter {
    /// Keywords that begin a clause, and so a line.
    static let clauses: Set<Keyword> = [
        .for, .let, .filter, .sort, .limit, .collect, .return, .insert, .update,
        .replace, .remove, .upsert, .window,
    ]

    /// The query laid out; a query that does not parse is reported instead.
    static func format(_ text: String) throws -> String {
        _ = try Parser.parse(text)
        let tokens = try Lexer.tokenize(text).filter { $0.kind != .end }
        var out = ""
        var indent = 0
        /// For each open bracket: whether it opened a subquery (and so an indented block).
        var brackets: [Bool] = []
        var previous: Token?
        for (i, token) in tokens.enumerated() {
            let word = spelling(token)
            let next = i + 1 < tokens.count ? tokens[i + 1] : nil
            var startsLine = false
            if case .keyword(let k) = token.kind {
                startsLine =
                    clauses.contains(k) || (k == .with && previous == nil)
                    || (k == .prune && previous != nil)
            }
            if case .name(let n) = token.kind, n.uppercased() == "PRUNE" { startsLine = true }
            if token.kind == .punct(")"), brackets.popLast() == true {
                indent -= 1
                out += "\n" + String(repeating: "  ", count: indent) + ")"
                previous = token
                continue
            }
            if startsLine && previous != nil {
                out += "\n" + String(repeating: "  ", count: indent)
            } else if let previous, spaced(previous, token) {
                out += " "
            }
            out += word
            if token.kind == .punct("(") || token.kind == .punct("[") || token.kind == .punct("{") {
                var subquery = false
                if token.kind == .punct("("), case .keyword(let k)? = next?.kind, clauses.contains(k) {
                    subquery = true
                }
                if token.kind == .punct("(") { brackets.append(subquery) }
                if subquery {
                    indent += 1
                    out += "\n" + String(repeating: "  ", count: indent)
                    previous = nil
                    continue
                }
            } else if token.kind == .punct(")") {
                _ = brackets.popLast()
            }
            previous = token
        }
        return out
    }

    static func spelling(_ token: Token) -> String {
        if case .keyword(let k) = token.kind { return k.rawValue }
        return token.text
    }

    /// Whether a space separates two tokens.
    static func spaced(_ a: Token, _ b: Token) -> Bool {
        if case .punct(let p) = b.kind, [",", ")", "]", "}", ".", ":", "[*]", "?."].contains(p) { return false }
        if case .punct(let p) = b.kind, p == "(" || p == "[" {
            // A call or an index follows a name directly; a bracket after an operator does not.
            switch a.kind {
            case .name, .quotedName, .bindValue, .bindCollection: return false
            case .punct(let q): return !(q == ")" || q == "]" || q == "}")
            default: return true
            }
        }
        if case .punct(let p) = a.kind, ["(", "[", "{", ".", "..", "?."].contains(p) { return false }
        if case .punct("..") = b.kind { return false }
        return true
    }
}
