// The hand-written recursive-descent parser for C8QL: query structure and operations.
// Expressions are in Parser+Expressions.swift. Every production is listed in
// `Parser.productions`, which the grammar test checks against Grammar/c8ql.ebnf.

import LocusErrors

/// Parses C8QL text into a `Query`.
public struct Parser {
    var tokens: [Token]
    var i = 0
    let source: [UInt8]
    /// Depth of nested expressions, bounded so hostile input cannot exhaust the stack.
    var depth = 0
    static let maxDepth = 250
    /// The deepest expression tree accepted (`Expr.height`): long flat chains such as
    /// `1 + 1 + …` or `a.b.c…` build trees this deep without nesting anything.
    static let maxHeight = 500
    /// The height of the tallest expression built so far in the query being parsed.
    var tallest = 0

    /// Builds an expression node, refusing (1524) one whose tree is too deep to walk.
    mutating func make(_ kind: Expr.Kind, _ position: SourcePosition) throws -> Expr {
        let e = Expr(kind, position)
        guard e.height <= Parser.maxHeight else {
            throw LocusError(
                code: .tooMuchNesting,
                message:
                    "too much nesting or too many objects: an expression more than \(Parser.maxHeight) levels deep",
                position: position)
        }
        tallest = max(tallest, e.height)
        return e
    }
    /// The expression depth at which `IN` ends the expression instead of being an operator:
    /// the target of `UPDATE … IN coll`, `REMOVE … IN coll` and friends.
    var inTerminatesAtDepth: Int? = nil

    /// The grammar productions this parser implements, by their names in Grammar/c8ql.ebnf.
    public static let productions: [String] = [
        "query", "withClause", "statement", "forStatement", "forSource", "traversal", "pathSearch",
        "graphSource", "pruneClause", "searchClause", "optionsClause", "letStatement", "pattern",
        "filterStatement", "sortStatement", "sortElement", "limitStatement", "collectStatement",
        "windowStatement", "returnStatement", "insertStatement", "updateStatement",
        "replaceStatement", "removeStatement", "upsertStatement", "collectionRef", "expression",
        "ternary", "logicalOr", "logicalAnd", "equality", "membership", "relational", "range",
        "additive", "multiplicative", "unary", "postfix", "expansion", "questionMark", "primary",
        "arrayLiteral", "objectLiteral", "member", "functionCall", "subquery", "quantifier",
    ]

    public init(_ text: String) throws {
        tokens = try Lexer.tokenize(text)
        source = Array(text.utf8)
    }

    /// Parses a complete query.
    public static func parse(_ text: String) throws -> Query {
        var p = try Parser(text)
        if case .end = p.tokens[0].kind { throw LocusError(.queryEmpty) }
        let q = try p.parseQuery(topLevel: true)
        if case .end = p.current.kind { return q }
        throw p.unexpected(expecting: "end of query")
    }

    /// Parses a standalone expression, such as a placement rule's condition.
    public static func parseExpression(_ text: String) throws -> Expr {
        var p = try Parser(text)
        if case .end = p.tokens[0].kind { throw LocusError(.queryEmpty) }
        let e = try p.parseExpression()
        if case .end = p.current.kind { return e }
        throw p.unexpected(expecting: "end of expression")
    }

    // MARK: - Token helpers

    var current: Token { tokens[i] }
    var nextToken: Token { tokens[nextIndex] }
    /// The index of the token after the current one (the end token is the last).
    var nextIndex: Int { min(i + 1, tokens.count - 1) }

    mutating func advance() { if i < tokens.count - 1 { i += 1 } }

    /// Whether the token at `index` (the current one by default) is keyword `k`: a reserved
    /// one as lexed, or a contextual one spelled as a name. The token is read in place, not
    /// copied: the parser asks this of most tokens several times.
    func isKeyword(_ k: Keyword, at index: Int? = nil) -> Bool {
        switch tokens[index ?? i].kind {
        case .keyword(let kw): return kw == k
        case .name(let n): return !k.isReserved && k.isSpelled(by: n)
        default: return false
        }
    }

    /// Whether the token at `index` (the current one by default) is punctuator `p`.
    func isPunct(_ p: String, at index: Int? = nil) -> Bool {
        if case .punct(let q) = tokens[index ?? i].kind { return q == p }
        return false
    }

    mutating func accept(_ k: Keyword) -> Bool {
        if isKeyword(k) { advance(); return true }
        return false
    }

    mutating func accept(_ p: String) -> Bool {
        if isPunct(p) { advance(); return true }
        return false
    }

    mutating func expect(_ k: Keyword) throws {
        if !accept(k) { throw unexpected(expecting: k.rawValue) }
    }

    mutating func expect(_ p: String) throws {
        if !accept(p) { throw unexpected(expecting: "'\(p)'") }
    }

    static func describe(_ t: Token) -> String {
        switch t.kind {
        case .name: return "identifier"
        case .quotedName: return "quoted identifier"
        case .keyword(let k):
            switch k {
            case .null, .true, .false: return "\(k.rawValue.lowercased())"
            case .for, .let, .filter, .collect, .sort, .limit, .return, .insert, .update, .replace,
                .remove, .upsert, .window, .with:
                return "\(k.rawValue) declaration"
            default: return "\(k.rawValue) keyword"
            }
        case .string: return "quoted string"
        case .number: return "number"
        case .bindValue: return "bind parameter"
        case .bindCollection: return "bind data source parameter"
        case .punct(let p): return "'\(p)'"
        case .end: return "end of query"
        }
    }

    /// A 1501 error in ArangoDB's shape: what was found, what was expected, the text near it,
    /// and the position.
    func unexpected(expecting: String? = nil, at token: Token? = nil) -> LocusError {
        let t = token ?? current
        let near = source[min(t.position.offset, source.count)...].prefix(32)
        return LocusError.syntax(
            .unexpected(
                found: Parser.describe(t), expecting: expecting, near: String(decoding: near, as: UTF8.self),
                atEnd: t.kind == .end),
            at: t.position)
    }

    func error(_ problem: SyntaxProblem, at position: SourcePosition) -> LocusError {
        LocusError.syntax(problem, at: position)
    }

    /// Reads a name: an identifier or quoted identifier (not a reserved keyword).
    mutating func parseName(_ what: String = "identifier") throws -> (String, SourcePosition) {
        let t = current
        switch t.kind {
        case .name(let n), .quotedName(let n):
            advance()
            return (n, t.position)
        default:
            throw unexpected(expecting: what)
        }
    }

    // MARK: - Query structure

    var startsStatement: Bool {
        if case .keyword(let k) = current.kind {
            switch k {
            case .for, .let, .filter, .collect, .sort, .limit, .window, .return, .insert, .update,
                .replace, .remove, .upsert:
                return true
            default: return false
            }
        }
        return false
    }

    mutating func parseQuery(topLevel: Bool) throws -> Query {
        // The tallest expression of this query alone; an enclosing query sees it through the subquery.
        let enclosing = tallest
        tallest = 0
        defer { tallest = max(enclosing, tallest + 1) }
        var with: [CollectionRef] = []
        if topLevel && isKeyword(.with) {
            advance()
            repeat {
                // WITH takes names and bind parameters only, not quoted strings (as ArangoDB's grammar).
                if case .string = current.kind { throw unexpected(expecting: "collection name") }
                with.append(try parseCollectionRef())
                _ = accept(",")
            } while !startsStatement && !isEnd
        }
        var statements: [Statement] = []
        var sawFor = false
        while true {
            guard startsStatement else {
                if isEnd || isPunct(")") { break }
                throw unexpected()
            }
            let s = try parseStatement(topLevelWithoutFor: topLevel && !sawFor)
            if case .for = s.kind { sawFor = true }
            statements.append(s)
            if case .return = s.kind { break }
        }
        guard let last = statements.last else { throw unexpected(expecting: "a query operation") }
        switch last.kind {
        case .return, .insert, .update, .remove, .upsert: break
        default:
            throw unexpected(expecting: "RETURN or a data-modification operation")
        }
        return Query(withCollections: with, statements: statements, height: tallest + 1)
    }

    var isEnd: Bool { if case .end = current.kind { true } else { false } }

    mutating func parseStatement(topLevelWithoutFor: Bool) throws -> Statement {
        let t = current
        guard case .keyword(let k) = t.kind else { throw unexpected() }
        advance()
        let kind: Statement.Kind
        switch k {
        case .for: kind = try parseFor()
        case .let:
            var bindings: [(Pattern, Expr)] = []
            repeat {
                let pat = try parsePattern()
                try expect("=")
                bindings.append((pat, try parseExpression()))
            } while accept(",")
            kind = .let(bindings)
        case .filter: kind = .filter(try parseExpression())
        case .sort:
            var elems: [SortElement] = []
            repeat {
                let e = try parseExpression()
                var asc = true
                if accept(.asc) {
                    asc = true
                } else if accept(.desc) {
                    asc = false
                } else if case .string(let s) = current.kind, ["ASC", "DESC"].contains(s.uppercased()) {
                    asc = s.uppercased() == "ASC"
                    advance()
                } else if case .keyword(let b) = current.kind, b == .true || b == .false {
                    asc = b == .true
                    advance()
                } else if case .bindValue(let name) = current.kind {
                    elems.append(SortElement(expr: e, ascending: true, directionParameter: (name, current.position)))
                    advance()
                    continue
                }
                elems.append(SortElement(expr: e, ascending: asc))
            } while accept(",")
            kind = .sort(elems)
        case .limit:
            let a = try parseExpression()
            if accept(",") {
                kind = .limit(offset: a, count: try parseExpression())
            } else {
                kind = .limit(offset: nil, count: a)
            }
        case .collect: kind = .collect(try parseCollect())
        case .window: kind = .window(try parseWindow())
        case .return:
            let distinct = accept(.distinct)
            if distinct && topLevelWithoutFor {
                throw error(.topLevelDistinct, at: t.position)
            }
            kind = .return(distinct: distinct, try parseExpression())
        case .insert:
            let doc = try parseExpressionBeforeIn()
            guard accept(.into) || accept(.in) else { throw unexpected(expecting: "INTO") }
            let coll = try parseCollectionRef()
            kind = .insert(document: doc, collection: coll, options: try parseOptions())
        case .update, .replace:
            let first = try parseExpressionBeforeIn()
            var key: Expr? = nil
            var doc = first
            if accept(.with) {
                key = first
                doc = try parseExpressionBeforeIn()
            }
            guard accept(.in) || accept(.into) else { throw unexpected(expecting: "IN") }
            let coll = try parseCollectionRef()
            kind = .update(
                key: key, document: doc, collection: coll, options: try parseOptions(), replace: k == .replace)
        case .remove:
            let key = try parseExpressionBeforeIn()
            guard accept(.in) || accept(.into) else { throw unexpected(expecting: "IN") }
            let coll = try parseCollectionRef()
            kind = .remove(key: key, collection: coll, options: try parseOptions())
        case .upsert:
            let search: Upsert.Search
            if accept(.filter) {
                search = .filter(try parseExpression())
            } else {
                search = .example(try parseExpression())
            }
            try expect(.insert)
            let ins = try parseExpression()
            let replace: Bool
            if accept(.update) {
                replace = false
            } else if accept(.replace) {
                replace = true
            } else {
                throw unexpected(expecting: "UPDATE or REPLACE")
            }
            let upd = try parseExpressionBeforeIn()
            guard accept(.in) || accept(.into) else { throw unexpected(expecting: "IN") }
            let coll = try parseCollectionRef()
            kind = .upsert(
                Upsert(
                    search: search, insert: ins, update: upd, replace: replace, collection: coll,
                    options: try parseOptions()))
        default:
            throw unexpected(at: t)
        }
        return Statement(kind: kind, position: t.position)
    }

    /// An expression that is followed by `IN collection`, where IN is not an operator.
    mutating func parseExpressionBeforeIn() throws -> Expr {
        let saved = inTerminatesAtDepth
        inTerminatesAtDepth = depth + 1
        defer { inTerminatesAtDepth = saved }
        return try parseExpression()
    }

    mutating func parseCollectionRef() throws -> CollectionRef {
        let t = current
        switch t.kind {
        case .name(let n), .quotedName(let n), .string(let n):
            advance()
            return .name(n, t.position)
        case .bindCollection(let n), .bindValue(let n):
            advance()
            return .bind(n, t.position)
        default:
            throw unexpected(expecting: "collection name")
        }
    }

    mutating func parseOptions() throws -> Expr? {
        guard isKeyword(.options) else { return nil }
        advance()
        let e = try parsePrimary()
        switch e.kind {
        case .object, .bindValue: return e
        default: throw error(.optionsNotObject, at: e.position)
        }
    }

    mutating func parsePattern() throws -> Pattern {
        if accept("[") {
            var elems: [Pattern?] = []
            while !isPunct("]") {
                if isPunct(",") { elems.append(nil); advance(); continue }
                elems.append(try parsePattern())
                if !accept(",") { break }
            }
            try expect("]")
            return .array(elems)
        }
        if accept("{") {
            var members: [(String, Pattern)] = []
            while !isPunct("}") {
                let t = current
                let attr: String
                switch t.kind {
                case .name(let n), .quotedName(let n), .string(let n): attr = n; advance()
                default: throw unexpected(expecting: "attribute name")
                }
                if accept(":") {
                    members.append((attr, try parsePattern()))
                } else {
                    if case .string = t.kind { throw unexpected(expecting: "':'") }
                    members.append((attr, .variable(attr, t.position)))
                }
                if !accept(",") { break }
            }
            try expect("}")
            return .object(members)
        }
        let (n, p) = try parseName("variable name")
        return .variable(n, p)
    }
}
