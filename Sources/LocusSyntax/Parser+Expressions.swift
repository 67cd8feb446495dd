// Expressions, by precedence climbing through one function per level (lowest first):
// ternary, ||, &&, equality (and quantified comparisons), IN, relational, range, additive,
// multiplicative, unary, postfix (attribute, index, expansion, [?]), primary.

import LocusErrors

extension Parser {
    mutating func parseExpression() throws -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth {
            throw LocusError(
                code: .tooMuchNesting, message: "too much nesting or too many objects", position: current.position)
        }
        return try parseTernary()
    }

    mutating func parseTernary() throws -> Expr {
        let cond = try parseOr()
        guard isPunct("?") else { return cond }
        advance()
        if accept(":") {
            return try make(.ternary(cond, nil, try parseTernary()), cond.position)
        }
        let a = try parseTernary()
        try expect(":")
        return try make(.ternary(cond, a, try parseTernary()), cond.position)
    }

    mutating func parseOr() throws -> Expr {
        var lhs = try parseAnd()
        while isPunct("||") || isKeyword(.or) {
            advance()
            lhs = try make(.binary(.or, lhs, try parseAnd()), lhs.position)
        }
        return lhs
    }

    mutating func parseAnd() throws -> Expr {
        var lhs = try parseEquality()
        while isPunct("&&") || isKeyword(.and) {
            advance()
            lhs = try make(.binary(.and, lhs, try parseEquality()), lhs.position)
        }
        return lhs
    }

    /// A comparison operator of a precedence in `levels` at the current token, consuming it
    /// (handles NOT IN / NOT LIKE).
    mutating func comparisonOperator(levels: ClosedRange<Int>) -> BinaryOperator? {
        var op: BinaryOperator? = nil
        var width = 1
        // Read in place: every operand asks this at three levels, of whatever token follows it.
        switch tokens[i].kind {
        case .punct(let p): op = Parser.comparison(p)
        case .keyword(.like): op = .like
        case .keyword(.in): op = inTerminatesAtDepth == depth ? nil : .in
        case .keyword(.not):
            width = 2
            switch nextToken.kind {
            case .keyword(.in): op = .notIn
            case .keyword(.like): op = .notLike
            case .punct("=~"): op = .notRegex
            case .punct("!~"): op = .regex
            default: op = nil
            }
        default: op = nil
        }
        guard let o = op, levels.contains(o.precedence) else { return nil }
        for _ in 0..<width { advance() }
        return o
    }

    /// The comparison operator punctuator `p` spells, if any: decided by its bytes, since
    /// matching it against each spelling in turn cost more than the rest of the test.
    static func comparison(_ p: String) -> BinaryOperator? {
        var p = p
        return p.withUTF8 { b in
            guard b.count == 1 || b.count == 2 else { return nil }
            let second: UInt8 = b.count == 2 ? b[1] : 0
            switch (b[0], second) {
            case (UInt8(ascii: "="), UInt8(ascii: "=")): return .eq
            case (UInt8(ascii: "!"), UInt8(ascii: "=")): return .ne
            case (UInt8(ascii: "="), UInt8(ascii: "~")): return .regex
            case (UInt8(ascii: "!"), UInt8(ascii: "~")): return .notRegex
            case (UInt8(ascii: "<"), 0): return .lt
            case (UInt8(ascii: "<"), UInt8(ascii: "=")): return .le
            case (UInt8(ascii: ">"), 0): return .gt
            case (UInt8(ascii: ">"), UInt8(ascii: "=")): return .ge
            default: return nil
            }
        }
    }

    func quantifierAhead() -> Bool {
        switch current.kind {
        case .keyword(.all), .keyword(.any), .keyword(.none):
            return isComparison(nextToken)
        default:
            return isKeyword(.at) && isKeyword(.least, at: nextIndex)
        }
    }

    func isComparison(_ t: Token) -> Bool {
        switch t.kind {
        case .punct(let p): return ["==", "!=", "<", "<=", ">", ">="].contains(p)
        case .keyword(.in): return true
        case .keyword(.not): return true
        default: return false
        }
    }

    mutating func parseEquality() throws -> Expr {
        var lhs = try parseMembership()
        while true {
            if quantifierAhead(), let q = try acceptQuantifier() {
                guard let op = comparisonOperator(levels: 4...6),
                    ![.like, .notLike, .regex, .notRegex].contains(op)
                else {
                    throw unexpected(expecting: "comparison operator")
                }
                let rhs = try parseMembership()
                lhs = try make(.arrayComparison(q, op, lhs, rhs), lhs.position)
                continue
            }
            guard let op = comparisonOperator(levels: 4...4) else { return lhs }
            lhs = try make(.binary(op, lhs, try parseMembership()), lhs.position)
        }
    }

    mutating func parseMembership() throws -> Expr {
        var lhs = try parseRelational()
        while let op = comparisonOperator(levels: 5...5) {
            lhs = try make(.binary(op, lhs, try parseRelational()), lhs.position)
        }
        return lhs
    }

    mutating func parseRelational() throws -> Expr {
        var lhs = try parseRange()
        while let op = comparisonOperator(levels: 6...6) {
            lhs = try make(.binary(op, lhs, try parseRange()), lhs.position)
        }
        return lhs
    }

    mutating func parseRange() throws -> Expr {
        var lhs = try parseAdditive()
        while accept("..") {
            lhs = try make(.range(lhs, try parseAdditive()), lhs.position)
        }
        return lhs
    }

    mutating func parseAdditive() throws -> Expr {
        var lhs = try parseMultiplicative()
        while true {
            let op: BinaryOperator
            if isPunct("+") { op = .add } else if isPunct("-") { op = .sub } else { return lhs }
            advance()
            lhs = try make(.binary(op, lhs, try parseMultiplicative()), lhs.position)
        }
    }

    mutating func parseMultiplicative() throws -> Expr {
        var lhs = try parseUnary()
        while true {
            let op: BinaryOperator
            if isPunct("*") {
                op = .mul
            } else if isPunct("/") {
                op = .div
            } else if isPunct("%") {
                op = .mod
            } else {
                return lhs
            }
            advance()
            lhs = try make(.binary(op, lhs, try parseUnary()), lhs.position)
        }
    }

    mutating func parseUnary() throws -> Expr {
        // The position alone: copying the token would retain its text, for every operand.
        let position = tokens[i].position
        let op: UnaryOperator
        if isPunct("-") {
            op = .minus
        } else if isPunct("+") {
            op = .plus
        } else if isPunct("!") || isKeyword(.not) {
            op = .not
        } else {
            return try parsePostfix(try parsePrimary())
        }
        advance()
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth {
            throw LocusError(
                code: .tooMuchNesting, message: "too much nesting or too many objects", position: position)
        }
        let operand = try parseUnary()
        // Fold negative number literals so that -9223372036854775808 and friends stay literal.
        if op == .minus, case .number(let n) = operand.kind { return try make(.number(-n), position) }
        return try make(.unary(op, operand), position)
    }

    /// Attribute and index accesses, expansions and `[?]`, applied left to right.
    mutating func parsePostfix(_ base: Expr) throws -> Expr {
        var e = base
        while true {
            let position = tokens[i].position
            if accept(".") {
                switch tokens[i].kind {
                case .name(let n), .quotedName(let n):
                    advance()
                    e = try make(.attribute(e, n), position)
                case .bindValue(let n):
                    advance()
                    e = try make(.attributeBind(e, n), position)
                default:
                    throw unexpected(expecting: "attribute name")
                }
            } else if isPunct("[") {
                advance()
                var stars = 0
                while isPunct("*") { stars += 1; advance() }
                if stars > 0 {
                    return try parseExpansionRest(source: e, levels: stars, at: position)
                }
                if isPunct("?") {
                    var marks = 0
                    while accept("?") { marks += 1 }
                    e = try parseQuestionMarkRest(source: e, at: position)
                    continue
                }
                let idx = try parseExpression()
                try expect("]")
                e = try make(.index(e, idx), position)
            } else {
                return e
            }
        }
    }

    mutating func parseExpansionRest(source: Expr, levels: Int, at position: SourcePosition) throws -> Expr {
        if quantifierAhead() || isKeyword(.all) || isKeyword(.any) || isKeyword(.none) {
            throw error(.expansionQuantifier, at: current.position)
        }
        var x = Expansion(
            source: source, levels: levels, variable: "CURRENT", filter: nil, limitOffset: nil,
            limitCount: nil, projection: nil)
        if accept(.filter) { x.filter = try parseExpression() }
        if accept(.limit) {
            let a = try parseExpression()
            if accept(",") { x.limitOffset = a; x.limitCount = try parseExpression() } else { x.limitCount = a }
        }
        if accept(.return) { x.projection = try parseExpression() }
        try expect("]")
        // Accesses after the expansion apply to each element.
        let current = try x.projection ?? make(.variable("CURRENT"), position)
        let projected = try parsePostfix(current)
        if x.projection != nil || !isPlainCurrent(projected) { x.projection = projected }
        return try make(.expansion(x), position)
    }

    func isPlainCurrent(_ e: Expr) -> Bool {
        if case .variable("CURRENT") = e.kind { return true }
        return false
    }

    /// ALL, ANY, NONE or AT LEAST (n), when one comes next.
    mutating func acceptQuantifier() throws -> Quantifier? {
        if accept(.all) { return .all }
        if accept(.any) { return .any }
        if accept(.none) { return Quantifier.none }
        guard isKeyword(.at) && isKeyword(.least, at: nextIndex) else { return nil }
        advance()
        advance()
        try expect("(")
        let n = try parseExpression()
        try expect(")")
        return .atLeast(n)
    }

    mutating func parseQuestionMarkRest(source: Expr, at position: SourcePosition) throws -> Expr {
        var q: Quantifier = .any
        if let explicit = try acceptQuantifier() {
            q = explicit
        } else if !isKeyword(.filter) && !isPunct("]") {
            let n = try parseRange()
            if case .range(let a, let b) = n.kind { q = .between(a, b) } else { q = .exactly(n) }
        }
        var filter: Expr? = nil
        if accept(.filter) { filter = try parseExpression() }
        try expect("]")
        return try make(.questionMark(source: source, variable: "CURRENT", quantifier: q, filter: filter), position)
    }

    mutating func parsePrimary() throws -> Expr {
        let t = current
        switch t.kind {
        case .number(let n):
            advance()
            return try make(.number(n), t.position)
        case .string(let s):
            advance()
            return try make(.string(s), t.position)
        case .keyword(.null): advance(); return try make(.null, t.position)
        case .keyword(.true): advance(); return try make(.bool(true), t.position)
        case .keyword(.false): advance(); return try make(.bool(false), t.position)
        case .keyword(.like) where isPunct("(", at: nextIndex):
            advance()
            return try parseCallRest(name: "LIKE", at: t.position)
        case .bindValue(let n):
            advance()
            return try make(.bindValue(n), t.position)
        case .bindCollection(let n):
            advance()
            return try make(.bindCollection(n), t.position)
        case .name(let n):
            advance()
            if isPunct("(") || isPunct("::") {
                var name = n
                while accept("::") { name += "::" + (try parseName("function name").0) }
                guard isPunct("(") else { throw unexpected(expecting: "'('") }
                return try parseCallRest(name: name, at: t.position)
            }
            return try make(.variable(n), t.position)
        case .quotedName(let n):
            advance()
            return try make(.variable(n), t.position)
        case .punct("("):
            advance()
            if startsStatement {
                let q = try parseQuery(topLevel: false)
                try expect(")")
                return try make(.subquery(q), t.position)
            }
            let e = try parseExpression()
            try expect(")")
            return e
        case .punct("["):
            advance()
            var items: [Expr] = []
            while !isPunct("]") {
                items.append(try parseExpression())
                if !accept(",") { break }
            }
            try expect("]")
            return try make(.array(items), t.position)
        case .punct("{"):
            advance()
            var members: [ObjectMember] = []
            while !isPunct("}") {
                members.append(try parseObjectMember())
                if !accept(",") { break }
            }
            try expect("}")
            return try make(.object(members), t.position)
        default:
            throw unexpected()
        }
    }

    mutating func parseObjectMember() throws -> ObjectMember {
        let t = current
        switch t.kind {
        case .name(let n):
            advance()
            if accept(":") { return .named(n, try parseExpression()) }
            return .shorthand(n, t.position)
        case .quotedName(let n), .string(let n):
            advance()
            try expect(":")
            return .named(n, try parseExpression())
        case .number(let n):
            // Numeric attribute names are written as their text.
            advance()
            try expect(":")
            return .named(t.text.isEmpty ? String(n) : t.text, try parseExpression())
        case .bindValue(let n):
            advance()
            try expect(":")
            return .bind(n, try parseExpression())
        case .punct("["):
            advance()
            let k = try parseExpression()
            try expect("]")
            try expect(":")
            return .computed(k, try parseExpression())
        default:
            throw unexpected(expecting: "attribute name")
        }
    }

    mutating func parseCallRest(name: String, at position: SourcePosition) throws -> Expr {
        try expect("(")
        var args: [Expr] = []
        if startsStatement {
            // A subquery as the sole argument needs no extra parentheses.
            let qpos = current.position
            let q = try parseQuery(topLevel: false)
            args.append(try make(.subquery(q), qpos))
        } else {
            while !isPunct(")") {
                args.append(try parseExpression())
                if !accept(",") { break }
            }
        }
        try expect(")")
        return try make(.call(name.uppercased(), args), position)
    }
}
