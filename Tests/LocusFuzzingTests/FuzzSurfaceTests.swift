// The fuzzed surfaces in the ordinary test run: every seed (the golden queries and parse
// examples, the datasets, the hand-written pages and policies) and every input a fuzzer once
// found goes through the same entry point the fuzzer calls, and must come back. Also: each
// surface has seeds, the seeds reach past the parsers, and the fuzzing dictionary names every
// keyword.

import Foundation
import LocusSyntax
import LocusTestSupport
import Testing

@testable import LocusFuzzing

@Suite struct FuzzSurfaceTests {
    @Test(arguments: FuzzTarget.allCases) func seedsAndRegressionsComeBack(_ surface: FuzzTarget) {
        let root = Repository.path("")
        let seeds = FuzzSeeds.seeds(for: surface, repository: root)
        #expect(seeds.count >= 2, "\(surface) has \(seeds.count) seeds")
        for input in seeds + FuzzSeeds.regressions(for: surface, repository: root) { surface.run(input) }
    }

    @Test func queriesComeFromEveryGoldenFile() {
        let seeds = FuzzSeeds.seeds(for: .query, repository: Repository.path(""))
        #expect(seeds.count > 500)
        let texts = Set(seeds.map { String(decoding: $0, as: UTF8.self) })
        #expect(texts.contains("FOR x IN [1] RETRUN x"))  // a diagnostics block
        #expect(texts.contains("FOR x IN [1, 2] FILTER x > 1 RETURN x"))  // a parse example
    }

    @Test func theDatabaseBindsSeededNames() throws {
        // Queries over the fuzzing database's names get past binding, so the planner is fuzzed.
        let e = try FuzzTargets.database.explain(
            "FOR u IN users FILTER u.age > 3 FOR v IN 1..2 OUTBOUND u GRAPH 'social' RETURN [u, v]")
        #expect(e.text.contains("IndexNode"))
    }

    @Test func searchSeedsRunOverTheView() throws {
        // Every SEARCH seed binds and runs over the fuzzing database's view, so the view search
        // itself is fuzzed, not only the planner.
        let seeds = FuzzSeeds.seeds(for: .query, repository: Repository.path(""))
            .map { String(decoding: $0, as: UTF8.self) }.filter { $0.contains("users_view") }
        #expect(seeds.count >= 4)
        for s in seeds { _ = try FuzzTargets.database.query(s) }
        let found = try FuzzTargets.database.query(
            #"FOR d IN users_view SEARCH ANALYZER(d.bio == "quick", "text_en") RETURN d._key"#)
        #expect(found.rows == ["bob"])
    }

    @Test func theSeedPagesMerge() throws {
        for page in FuzzSeeds.seeds(for: .sync, repository: Repository.path("")) {
            let db = try #require(FuzzTargets.sync(String(decoding: page, as: UTF8.self)))
            let merged = try db.query(
                "RETURN COLLECTION_COUNT('users') + COLLECTION_COUNT('edges') + COLLECTION_COUNT('kv')")
            #expect((merged.rows.first?.numberValue ?? 0) > 0, "nothing merged")
        }
    }

    @Test func theDictionaryNamesEveryKeyword() throws {
        let dict = try String(contentsOfFile: Repository.path("Fuzz/c8ql.dict"), encoding: .utf8)
        for k in Keyword.allCases { #expect(dict.contains("\"\(k.rawValue)\""), "\(k.rawValue)") }
    }
}
