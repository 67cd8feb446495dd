// The parser's larger clauses: FOR with its sources (expressions, collections, graph
// traversals and path searches), COLLECT with its aggregates, and WINDOW. Query structure is
// in Parser.swift, expressions in Parser+Expressions.swift.

import LocusErrors

extension Parser {
    mutating func parseFor() throws -> Statement.Kind {
        var variables: [String] = []
        var pattern: Pattern? = nil
        if isPunct("[") || isPunct("{") {
            pattern = try parsePattern()
        } else {
            repeat { variables.append(try parseName("variable name").0) } while accept(",")
        }
        try expect(.in)
        let source = try parseForSource()
        var count: ClosedRange<Int>
        switch source {
        case .expression: count = 1...1
        case .traversal: count = 1...3
        case .pathSearch(let s): count = s.kind == .shortestPath ? 1...2 : 1...1
        }
        if pattern != nil { count = 0...0 }
        if pattern == nil && !count.contains(variables.count) {
            throw error(.forVariableCount, at: current.position)
        }
        var search: Expr? = nil
        if case .expression = source, isKeyword(.search) {
            advance()
            search = try parseExpression()
        }
        var src = source
        if case .traversal(var spec) = source, isKeyword(.prune) {
            advance()
            var pruneVar: String? = nil
            if case .name(let n) = current.kind, isPunct("=", at: nextIndex) {
                pruneVar = n
                advance(); advance()
            }
            spec.prune = (pruneVar, try parseExpression())
            src = .traversal(spec)
        }
        let options = try parseOptions()
        return .for(variables: variables, pattern: pattern, source: src, search: search, options: options)
    }

    func direction(_ t: Token) -> GraphDirection? {
        switch t.kind {
        case .keyword(.outbound): .outbound
        case .keyword(.inbound): .inbound
        case .keyword(.any): .any
        default: nil
        }
    }

    func pathKind(_ t: Token) -> PathSearchSpec.Kind? {
        switch t.kind {
        case .keyword(.shortestPath): .shortestPath
        case .keyword(.kShortestPaths): .kShortestPaths
        case .keyword(.kPaths): .kPaths
        case .keyword(.allShortestPaths): .allShortestPaths
        default: nil
        }
    }

    mutating func parseForSource() throws -> ForSource {
        var minDepth: Expr? = nil
        var maxDepth: Expr? = nil
        if direction(current) == nil {
            let e = try parseExpression()
            guard direction(current) != nil else { return .expression(e) }
            if case .range(let a, let b) = e.kind { minDepth = a; maxDepth = b } else { minDepth = e; maxDepth = e }
        }
        let dir = direction(current)!
        advance()
        if let kind = pathKind(current) {
            advance()
            let start = try parseExpression()
            guard accept(.to) else { throw unexpected(expecting: "TO") }
            let target = try parseExpression()
            let graph = try parseGraphSource()
            return .pathSearch(
                PathSearchSpec(
                    kind: kind, minDepth: minDepth, maxDepth: maxDepth, direction: dir,
                    start: start, target: target, graph: graph))
        }
        let start = try parseExpression()
        let graph = try parseGraphSource()
        return .traversal(
            TraversalSpec(
                minDepth: minDepth, maxDepth: maxDepth, direction: dir, start: start,
                graph: graph, prune: nil))
    }

    mutating func parseGraphSource() throws -> GraphSource {
        if accept(.graph) {
            let t = current
            switch t.kind {
            case .name(let n), .quotedName(let n):
                advance()
                return .named(try make(.string(n), t.position))
            default:
                return .named(try parsePrimary())
            }
        }
        var list: [(GraphDirection?, CollectionRef)] = []
        repeat {
            var d: GraphDirection? = nil
            if let dd = direction(current) { d = dd; advance() }
            list.append((d, try parseCollectionRef()))
        } while accept(",")
        return .edgeCollections(list)
    }

    mutating func parseAssignments() throws -> [Assignment] {
        var out: [Assignment] = []
        repeat {
            let (n, p) = try parseName("variable name")
            try expect("=")
            out.append(Assignment(name: n, expr: try parseExpression(), position: p))
        } while accept(",")
        return out
    }

    var startsAssignment: Bool {
        switch current.kind {
        case .name, .quotedName: return isPunct("=", at: nextIndex)
        default: return false
        }
    }

    mutating func parseCollect() throws -> Collect {
        var c = Collect(groups: [], aggregates: [], into: nil, keep: [], withCountInto: nil, options: nil)
        if startsAssignment { c.groups = try parseAssignments() }
        if accept(.with) {
            guard accept(.count) else { throw unexpected(expecting: "COUNT") }
            try expect(.into)
            c.withCountInto = try parseName("variable name").0
        } else {
            if accept(.aggregate) { c.aggregates = try parseAssignments() }
            if accept(.into) {
                let (n, _) = try parseName("variable name")
                var proj: Expr? = nil
                if accept("=") { proj = try parseExpression() }
                c.into = (n, proj)
                if isKeyword(.keep) {
                    advance()
                    repeat { c.keep.append(try parseName("variable name")) } while accept(",")
                }
            } else if isKeyword(.keep) {
                throw error(.keepWithoutInto, at: current.position)
            }
        }
        if c.groups.isEmpty && c.aggregates.isEmpty && c.withCountInto == nil && c.into == nil {
            throw unexpected(expecting: "COLLECT variable, AGGREGATE or WITH COUNT")
        }
        c.options = try parseOptions()
        return c
    }

    mutating func parseWindow() throws -> Window {
        var rangeExpr: Expr? = nil
        var bounds: Expr
        if isPunct("{") {
            bounds = try parsePrimary()
        } else {
            rangeExpr = try parseExpression()
            try expect(.with)
            bounds = try parsePrimary()
        }
        guard case .object(let members) = bounds.kind else { throw unexpected(expecting: "object") }
        var seen: Set<String> = []
        for m in members {
            guard case .named(let n, _) = m, n == "preceding" || n == "following", seen.insert(n).inserted else {
                throw error(.windowBoundsAttribute, at: bounds.position)
            }
        }
        if seen.isEmpty {
            throw error(.windowBoundsEmpty, at: bounds.position)
        }
        try expect(.aggregate)
        return Window(rangeExpr: rangeExpr, bounds: bounds, aggregates: try parseAssignments())
    }
}
