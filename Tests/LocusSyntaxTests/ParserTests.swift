// The parser: precedence and associativity as ArangoDB's grammar gives them, every operation,
// error positions, and robustness: no input crashes or hangs it.

import Testing
import LocusErrors
@testable import LocusSyntax

@Suite struct ParserTests {
    func sexpr(_ q: String) throws -> String { ASTPrinter.print(try Parser.parse(q)) }
    func expr(_ e: String) throws -> String {
        let s = try sexpr("RETURN " + e)
        return String(s.dropFirst("(query (return ".count).dropLast(2))
    }

    @Test(arguments: [
        ("a == b IN c", "(== a (IN b c))"),
        ("x IN 1..3", "(IN x (.. 1 3))"),
        ("1..n+1", "(.. 1 (+ n 1))"),
        ("a < b == c < d", "(== (< a b) (< c d))"),
        ("NOT a == b", "(== (not a) b)"),
        ("a ? b : c ? d : e", "(? a b (? c d e))"),
        ("a || b && c", "(|| a (&& b c))"),
        ("1 + 2 * 3 - 4", "(- (+ 1 (* 2 3)) 4)"),
        ("-x.y[0]", "(- ([] (. x y) 0))"),
        ("a NOT IN b", "(NOT IN a b)"),
        ("a NOT LIKE b", "(NOT LIKE a b)"),
        ("[1] ALL IN [2]", "(all IN [1] [2])"),
        ("x AT LEAST (2) == 1", "((at-least 2) == x 1)"),
        ("u.friends[*].name", "(* (. u friends) (return (. CURRENT name)))"),
        (
            "xs[** FILTER CURRENT > 1 LIMIT 2 RETURN CURRENT]",
            "(** xs (filter (> CURRENT 1)) (limit 0 2) (return CURRENT))"
        ),
        ("xs[? ALL FILTER CURRENT]", "(? xs all (filter CURRENT))"),
        ("a ?: b", "(? a _ b)"),
        ("f::g(1)", "(F::G 1)"),
        ("`filter`.`return`", "(. filter return)"),
        ("0x10 + 0b11", "(+ 16 3)"),
        ("a =~ b", "(=~ a b)"),
        ("a NOT =~ b", "(!~ a b)"),
    ])
    func precedence(_ input: String, _ expected: String) throws {
        #expect(try expr(input) == expected)
    }

    @Test func operations() throws {
        #expect(
            try sexpr("FOR x IN c FILTER x.a SORT x.b DESC LIMIT 1, 2 RETURN DISTINCT x")
                == "(query (for x c) (filter (. x a)) (sort (. x b) desc) (limit 1 2) (return distinct x))")
        #expect(
            try sexpr("UPDATE x WITH {a: 1} IN c OPTIONS {keepNull: false}")
                == "(query (update x {a:1} c (options {keepNull:false})))")
        #expect(
            try sexpr("UPSERT {a: 1} INSERT {a: 1} UPDATE {b: 2} IN c")
                == "(query (upsert {a:1} {a:1} update {b:2} c))")
        #expect(
            try sexpr("FOR v, e, p IN 1..3 OUTBOUND 'a/1' GRAPH 'g' PRUNE v.x OPTIONS {order: 'bfs'} RETURN v")
                == "(query (for v e p (traverse 1 3 OUTBOUND \"a/1\" (graph \"g\") (prune _ (. v x))) (options {order:\"bfs\"})) (return v))"
        )
        #expect(
            try sexpr("FOR p IN ANY K_SHORTEST_PATHS 'a/1' TO 'a/2' e1, INBOUND e2 RETURN p")
                == "(query (for p (k_shortest_paths ANY \"a/1\" \"a/2\" (edges e1 INBOUND e2))) (return p))")
        #expect(
            try sexpr("COLLECT g = x.a AGGREGATE n = COUNT() INTO grp KEEP x OPTIONS {method: 'hash'} RETURN g")
                .hasPrefix("(query (collect"))
        #expect(try sexpr("WITH a, b FOR x IN a RETURN x").hasPrefix("(query (with a b)"))
    }

    @Test func keywordsAreFoundInAnyCaseAndOnlyReservedOnes() throws {
        for k in Keyword.allCases {
            for spelling in [
                k.rawValue, k.rawValue.lowercased(), k.rawValue.prefix(1) + k.rawValue.dropFirst().lowercased(),
            ] {
                let expected: Keyword? = k.isReserved ? k : nil
                #expect(Keyword.reserved(ascii: Array(spelling.utf8)[...]) == expected, "\(spelling)")
                #expect(Keyword.reserved(spelling) == expected, "\(spelling)")
            }
        }
        for name in ["x", "FORx", "fo", "ALL_SHORTEST_PATHSX", "_key", "$x", "returns"] {
            #expect(Keyword.reserved(ascii: Array(name.utf8)[...]) == nil, "\(name)")
        }
        let kinds = try Lexer.tokenize("For x iN y ReTuRn x").map(\.kind)
        #expect(kinds.first == .keyword(.for) && kinds[2] == .keyword(.in) && kinds[4] == .keyword(.return))
        for bad in ["_", "$", "_$_", "$$"] {
            #expect(throws: LocusError.self) { try Lexer.tokenize("RETURN \(bad)") }
        }
    }

    @Test func errorsCarryPositions() {
        #expect {
            _ = try Parser.parse("FOR x IN [1]\n  RETRUN x")
        } throws: { e in
            guard let e = e as? LocusError else { return false }
            return e.code == .queryParse && e.position?.line == 2 && e.position?.column == 3
                && e.message == "syntax error, unexpected identifier near 'RETRUN x' at position 2:3"
        }
        #expect { _ = try Parser.parse("  ") } throws: { ($0 as? LocusError)?.code == .queryEmpty }
    }

    /// The problem travels as data beside its wording, and its kind tells whether more text
    /// could mend it: an early end and an open string or comment could, the rest could not.
    @Test(arguments: [
        ("FOR x IN", SyntaxProblem.unexpected(found: "end of query", expecting: nil, near: "", atEnd: true)),
        ("RETURN 'open", .unterminated("string literal")),
        ("RETURN 1 /* open", .unterminated("multi-line comment")),
        ("RETURN 01", .invalidNumberLiteral("01")),
        ("RETURN #", .unexpectedCharacter("#")),
        ("RETURN DISTINCT 1", .topLevelDistinct),
        ("FOR x IN [] COLLECT a = x KEEP x RETURN a", .keepWithoutInto),
    ])
    func errorsCarryTheirProblem(query: String, problem: SyntaxProblem) {
        #expect {
            _ = try Parser.parse(query)
        } throws: { e in
            guard let e = e as? LocusError, let p = e.position else { return false }
            return e.problem == problem && e.message == "\(problem.text) at position \(p.line):\(p.column)"
                && e.kind == problem.kind
        }
        #expect(problem.kind.inputEndedEarly == (query.hasSuffix("IN") || query.contains("open")))
    }

    static let corpus = [
        "FOR u IN users FILTER u.age >= 18 AND u.name LIKE 'A%' SORT u.name LIMIT 10 RETURN {n: u.name, t: u.tags[*].x}",
        "LET xs = (FOR x IN 1..10 COLLECT k = x % 3 AGGREGATE s = SUM(x) INTO g RETURN [k, s]) RETURN xs[? ANY FILTER CURRENT[0] > 1]",
        "UPSERT {k: @k} INSERT {k: @k, n: 1} UPDATE {n: OLD.n + 1} IN @@c OPTIONS {ignoreErrors: true} RETURN NEW",
        "FOR x IN [1,2,3] WINDOW {preceding: 1} AGGREGATE s = SUM(x) RETURN [x, s]",
        "FOR v, e IN 1..2 ANY 'a/b' edges PRUNE e.w > 3 RETURN v",
    ]

    @Test func truncationAtEveryTokenNeverCrashes() throws {
        for q in ParserTests.corpus {
            let tokens = try Lexer.tokenize(q)
            for t in tokens {
                let prefix = String(decoding: Array(q.utf8)[..<t.position.offset], as: UTF8.self)
                do { _ = try Parser.parse(prefix) } catch is LocusError {} catch {
                    Issue.record("non-Locus error \(error)")
                }
            }
        }
    }

    @Test func randomInputNeverCrashes() {
        var seed: UInt64 = 12345
        let alphabet = Array(
            "FOR IN x y RETURN FILTER ( ) [ ] { } , . .. : ? * ** @a @@c \" ' ` 1 2.5 == != < > AND OR NOT LIKE COLLECT INTO LET = SORT LIMIT \n // /*"
        )
        for _ in 0..<2000 {
            var s = ""
            for _ in 0..<Int(seed % 40) {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                s.append(alphabet[Int(seed >> 33) % alphabet.count])
            }
            do { _ = try Parser.parse(s) } catch is LocusError {} catch { Issue.record("non-Locus error for \(s)") }
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(throws: LocusError.self) { try Parser.parse("RETURN " + deep) }
        let unary = String(repeating: "-", count: 5000) + "1"
        #expect(throws: LocusError.self) { try Parser.parse("RETURN " + unary) }
        let arr = String(repeating: "[", count: 5000)
        #expect(throws: LocusError.self) { try Parser.parse("RETURN " + arr) }
    }

    /// Long flat chains nest nothing, yet build trees as deep as they are long; walking (or
    /// releasing) such a tree recursed until the stack ran out. They are refused with 1524.
    @Test func longFlatChainsAreAnErrorNotACrash() {
        let shapes = [
            "RETURN " + Array(repeating: "1", count: 7_000).joined(separator: " + "),
            "LET a = {} RETURN a" + String(repeating: ".b", count: 30_000),
            "RETURN " + Array(repeating: "true", count: 100_000).joined(separator: " AND "),
            "RETURN x" + String(repeating: "[0]", count: 10_000),
            // A chain whose first term is a subquery holding another chain: the heights add up.
            "RETURN (FOR x IN [1] RETURN " + Array(repeating: "x", count: 300).joined(separator: " + ") + ") + "
                + Array(repeating: "1", count: 300).joined(separator: " + "),
        ]
        for text in shapes {
            do {
                _ = try Parser.parse(text)
                Issue.record("no error for a chain of \(text.count) characters")
            } catch {
                #expect((error as? LocusError)?.code == .tooMuchNesting)
            }
        }
        // Below the limit a chain parses, and its height is what the limit measures.
        let ok = try? Parser.parse("RETURN " + Array(repeating: "1", count: 400).joined(separator: " + "))
        if case .return(_, let e)? = ok?.statements.first?.kind {
            #expect(e.height == 400)
        } else {
            Issue.record("no RETURN")
        }
    }
}
