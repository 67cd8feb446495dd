// Keeps Grammar/c8ql.ebnf and the hand-written parser in agreement: production names,
// keyword set, operator precedence, and an example that parses for every production.

import Foundation
import Testing
import LocusTestSupport
@testable import LocusSyntax

@Suite struct GrammarTests {
    static var root: URL { Repository.root }

    static func grammar() throws -> String {
        try String(contentsOf: root.appendingPathComponent("Grammar/c8ql.ebnf"), encoding: .utf8)
    }

    static func productionNames(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: "::=") else { return nil }
            let name = line[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
            return name.isEmpty || name.contains(" ") ? nil : name
        }
    }

    @Test func productionsMatchTheParser() throws {
        let names = GrammarTests.productionNames(try GrammarTests.grammar())
        #expect(Set(names) == Set(Parser.productions))
        #expect(names.count == Parser.productions.count)
    }

    @Test func keywordsMatchTheKeywordTable() throws {
        let text = try GrammarTests.grammar()
        let body = text[text.range(of: "*/")!.upperBound...]
        var quoted = Set<String>()
        var rest = Substring(body)
        while let open = rest.firstIndex(of: "'") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "'") else { break }
            let token = String(after[..<close])
            if token.first?.isLetter == true { quoted.insert(token) }
            rest = after[after.index(after: close)...]
        }
        #expect(quoted == Set(Keyword.allCases.map(\.rawValue)))
        // The reserved list in the header matches Keyword.isReserved.
        let header = String(text[..<text.range(of: "*/")!.lowerBound])
        let reservedSection = header[
            header.range(of: "Reserved keywords (never names):")!
                .upperBound..<header.range(of: "Contextual words")!.lowerBound]
        let listed = Set(
            reservedSection.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "*" || $0 == "." }).map(
                String.init))
        #expect(listed == Set(Keyword.allCases.filter(\.isReserved).map(\.rawValue)))
    }

    @Test func precedenceTableMatchesTheParser() throws {
        var table: [String: Int] = [:]
        for line in try GrammarTests.grammar().split(separator: "\n") {
            var l = line.drop { $0 == " " || $0 == "*" }
            guard l.hasPrefix("precedence ") else { continue }
            l = l.dropFirst("precedence ".count)
            let parts = l.split(separator: " ")
            guard let n = Int(parts.last!) else { continue }
            table[parts.dropLast().joined(separator: " ")] = n
        }
        #expect(table.count == BinaryOperator.allCases.count)
        for op in BinaryOperator.allCases { #expect(table[op.rawValue] == op.precedence, "\(op.rawValue)") }
    }

    @Test func everyProductionHasAnExampleThatParses() throws {
        let text = try String(
            contentsOf: GrammarTests.root.appendingPathComponent("Fixtures/parse/examples.tsv"), encoding: .utf8)
        var covered = Set<String>()
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            covered.insert(String(parts[0]))
            #expect(throws: Never.self, "\(parts[0])") { _ = try Parser.parse(String(parts[1])) }
        }
        for p in GrammarTests.productionNames(try GrammarTests.grammar()) {
            #expect(covered.contains(p), "no example for \(p)")
        }
    }
}
