// No input crashes or hangs the engine: every query of the result fixtures, truncated at every
// token and run against a database with data, must end in rows or a LocusError. Longer random
// runs are enabled with LOCUS_SLOW_TESTS=1.

import Foundation
import Testing
import LocusTestSupport
@testable import Locus
import LocusSyntax

@Suite struct RobustnessTests {
    static func corpus() throws -> [String] {
        var out: [String] = []
        for file in GoldenFile.all("results") {
            for b in try GoldenFile(file).blocks {
                let w = b.directive.split(separator: " ").first ?? ""
                if ["query", "error", "warning", "statement"].contains(w), !b.input.isEmpty { out.append(b.input) }
            }
        }
        return out
    }

    func database() throws -> Database {
        let db = try Database.inMemory()
        try db.createCollection("users")
        try db.createCollection("cities")
        try db.createCollection("things")
        try db.createCollection("people")
        try db.createIndex(collection: "people", fields: ["age"])
        try db.query(
            "FOR i IN 1..20 INSERT {_key: CONCAT('k', i), name: CONCAT('n', i), age: i, tags: [i % 3], city: 'c'} INTO users"
        )
        try db.query("FOR i IN 1..20 INSERT {_key: CONCAT('k', i), age: i} INTO people")
        return db
    }

    /// The shapes that once crashed the CLI (a SIGSEGV while releasing the tree) end in 1524
    /// through the Swift API too.
    @Test func longFlatChainsEndCleanly() throws {
        let db = try Database.inMemory()
        for text in [
            "RETURN " + Array(repeating: "1", count: 7_000).joined(separator: " + "),
            "LET a = {} RETURN a" + String(repeating: ".b", count: 30_000),
            "RETURN " + Array(repeating: "true", count: 100_000).joined(separator: " AND "),
        ] {
            #expect { try db.query(text) } throws: { ($0 as? LocusError)?.code.number == 1524 }
        }
        #expect(try db.query("RETURN " + Array(repeating: "1", count: 450).joined(separator: " + ")).rows == [450])
    }

    @Test func everyTruncatedFixtureQueryEndsCleanly() throws {
        let db = try database()
        let options = QueryOptions(maxRuntime: 2, memoryLimit: 50_000_000)
        var ran = 0
        for q in try RobustnessTests.corpus() {
            let tokens = (try? Lexer.tokenize(q)) ?? []
            for t in tokens {
                let prefix = String(decoding: Array(q.utf8)[..<t.position.offset], as: UTF8.self)
                do { _ = try db.query(prefix, options: options) } catch is LocusError {} catch {
                    Issue.record("non-Locus error for \(prefix): \(error)")
                }
                ran += 1
            }
        }
        #expect(ran > 1000)
    }

    @Test func randomTokenSequencesEndCleanly() throws {
        let db = try database()
        let slow = ProcessInfo.processInfo.environment["LOCUS_SLOW_TESTS"] == "1"
        let words = [
            "FOR", "x", "IN", "users", "[1,2]", "FILTER", "x.age", ">", "1", "RETURN", "LET", "y", "=",
            "COLLECT", "g", "INTO", "SORT", "LIMIT", "2", ",", "(", ")", "{a: x}", "x[*]", "LENGTH(", "NEW",
            "INSERT", "UPDATE", "WITH", "REMOVE", "things", "+", "/", "0", "AGGREGATE", "n", "COUNT()", "DISTINCT",
        ]
        var seed: UInt64 = 99
        for _ in 0..<(slow ? 200_000 : 3000) {
            var q: [String] = []
            for _ in 0..<(Int(seed >> 60) + 3) {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                q.append(words[Int(seed >> 33) % words.count])
            }
            let text = q.joined(separator: " ")
            do {
                _ = try db.query(text, options: QueryOptions(maxRuntime: 2, memoryLimit: 50_000_000))
            } catch is LocusError {} catch {
                Issue.record("non-Locus error for \(text): \(error)")
            }
        }
    }
}
