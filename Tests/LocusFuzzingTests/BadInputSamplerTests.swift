// The bad-input sampler: malformed inputs of every kind Locus reads, made by mutating the fuzz
// seeds (byte flips, cuts, splices, repeated spans, and the tokens and values parsers trip on):
// queries (run, not only planned), bind values, import files, placement policies, fabric
// descriptions and sync pages. Every input must be accepted or refused with a LocusError whose
// number is in the error table; none may crash, take more than 2 s, or leave part of a write
// behind (the data is fingerprinted before and after each refused input). 1,000 inputs of each
// kind run by default, 10,000 with LOCUS_SLOW_TESTS=1; the counts are printed.

import Foundation
import Locus
import LocusErrors
import LocusPolicy
import LocusReplication
import LocusTestSupport
import LocusValues
import Testing

@testable import LocusFuzzing

/// Makes malformed variants of well-formed inputs.
struct InputMutator {
    var random: SeededGenerator
    /// Tokens worth splicing in: the query dictionary's, and values at JSON's edges.
    let tokens: [[UInt8]]

    init(seed: UInt64, dictionary: [String]) {
        random = SeededGenerator(seed: seed)
        let edges = [
            "{", "}", "[", "]", "\"", "'", ":", ",", "null", "true", "-", "1e400", "-0", "0x1", "\"\\ud800\"",
            "\\", "@", "@@", "..", "\u{0}", "\u{7f}", "é", "𝄞", "99999999999999999999", "[[[[[[", "{\"a\":",
        ]
        tokens = (dictionary + edges).map { Array($0.utf8) }
    }

    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(4) {
            let at = bytes.isEmpty ? 0 : random.below(bytes.count + 1)
            switch random.below(7) {
            case 0 where !bytes.isEmpty:
                bytes[min(at, bytes.count - 1)] ^= UInt8(1 << random.below(8))
            case 1 where !bytes.isEmpty:
                bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.below(16)))
            case 2:
                bytes.insert(contentsOf: random.pick(tokens), at: at)
            case 3:
                bytes.insert(
                    contentsOf: (0..<1 + random.below(8)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
            case 4 where !bytes.isEmpty:
                let end = min(bytes.count, at + 1 + random.below(32))
                let span = Array(bytes[min(at, bytes.count - 1)..<end])
                bytes.insert(contentsOf: Array(repeating: span, count: 1 + random.below(3)).flatMap { $0 }, at: at)
            case 5:
                bytes = Array(bytes.prefix(at))
            default:
                if let t = tokens.randomElement(using: &random), !bytes.isEmpty {
                    let end = min(bytes.count, at + 1 + random.below(6))
                    bytes.replaceSubrange(min(at, bytes.count - 1)..<end, with: t)
                }
            }
        }
        return bytes
    }
}

@Suite(.serialized) struct BadInputSamplerTests {
    static let perKind = ProcessInfo.processInfo.environment["LOCUS_SLOW_TESTS"] == "1" ? 10_000 : 1_000
    static let root = Repository.path("")

    /// What the inputs of one kind got.
    struct Tally: CustomStringConvertible {
        let kind: String
        var accepted = 0
        var refused: [Int: Int] = [:]
        var slowest = 0.0

        var description: String {
            let codes = refused.sorted { $0.value > $1.value }.prefix(6).map { "\($0.key)×\($0.value)" }
            return
                "bad-input sampler, \(kind): \(accepted + refused.values.reduce(0, +)) inputs, \(accepted) accepted, "
                + "\(refused.values.reduce(0, +)) refused (\(codes.joined(separator: ", "))), slowest \(Int(slowest * 1000)) ms"
        }
    }

    static func mutator(_ seed: UInt64) -> InputMutator {
        let dict = FuzzSeeds.lines(of: root + "/Fuzz/c8ql.dict").compactMap { line -> String? in
            guard let open = line.firstIndex(of: "\""), let close = line.lastIndex(of: "\""), open < close else {
                return nil
            }
            return String(line[line.index(after: open)..<close])
        }
        return InputMutator(seed: seed, dictionary: dict)
    }

    /// Runs `body` on `perKind` mutants of `seeds`. `body` returns normally when the input was
    /// accepted; any error must be a LocusError of the table.
    static func sample(
        _ kind: String, seeds: [[UInt8]], seed: UInt64, _ body: ([UInt8]) throws -> Void
    ) -> Tally {
        var m = mutator(seed)
        var tally = Tally(kind: kind)
        for i in 0..<perKind {
            let input = m.mutate(seeds[i % seeds.count])
            let start = Date()
            do {
                try body(input)
                tally.accepted += 1
            } catch let e as LocusError {
                #expect(ErrorCode.byNumber(e.code.number) != nil, "\(kind): \(e)")
                tally.refused[e.code.number, default: 0] += 1
            } catch {
                Issue.record("\(kind): not a LocusError: \(error) for \(String(decoding: input, as: UTF8.self))")
            }
            let took = Date().timeIntervalSince(start)
            tally.slowest = max(tally.slowest, took)
            #expect(took < 2, "\(kind): \(took) s for \(String(decoding: input, as: UTF8.self).prefix(200))")
        }
        print(tally)
        return tally
    }

    /// A database with the fuzzing collections and a few documents, edges and pairs.
    static func database() throws -> Database {
        let db = try Database(path: ":memory:")
        try FuzzTargets.createCollections(in: db)
        try db.createIndex(collection: "users", fields: ["age"])
        try db.query("FOR i IN 1..20 INSERT {_key: CONCAT('u', i), age: i, name: CONCAT('n', i)} INTO users")
        try db.query("FOR i IN 1..19 INSERT {_from: CONCAT('users/u', i), _to: CONCAT('users/u', i + 1)} INTO edges")
        try db.query("FOR i IN 1..5 INSERT {_key: CONCAT('k', i), value: i} INTO kv")
        return db
    }

    @Test func queries() throws {
        var db = try Self.database()
        let options = QueryOptions(maxRuntime: 1, memoryLimit: 64 << 20)
        let tally = Self.sample("queries", seeds: FuzzSeeds.seeds(for: .query, repository: Self.root), seed: 1) {
            let text = String(decoding: $0, as: UTF8.self)
            let before = try Self.state(db)
            do { try db.query(text, options: options) } catch {
                #expect(try Self.state(db) == before, "a refused query wrote: \(text)")
                throw error
            }
            // Accepted writes may grow the data without end: start again past a bound.
            if try db.query("RETURN LENGTH(users) + LENGTH(edges) + LENGTH(kv)").rows.first?.numberValue ?? 0 > 2000 {
                db = try Self.database()
            }
        }
        #expect(tally.refused.values.reduce(0, +) > tally.accepted)
    }

    /// The whole content of the data collections, in key order.
    static func state(_ db: Database) throws -> [Value] {
        try db.query(
            "RETURN [(FOR d IN users SORT d._key RETURN d), (FOR d IN edges SORT d._key RETURN d), (FOR d IN kv SORT d._key RETURN d)]"
        ).rows
    }

    /// Queries with parameters, each paired with bind values (seeds) it takes.
    static let parameterized: [(query: String, binds: String)] = [
        (
            "FOR u IN @@c FILTER u.age >= @lo AND u.age <= @hi SORT u.age RETURN u",
            #"{"@c": "users", "lo": 2, "hi": 5}"#
        ),
        ("INSERT @doc INTO users", #"{"doc": {"_key": "new", "age": 7, "tags": ["a", {"b": null}]}}"#),
        (
            "FOR u IN users FILTER u._key IN @keys UPDATE u WITH @patch IN users",
            #"{"keys": ["u1", "u2"], "patch": {"age": 99, "deep": {"x": [1.5, -2e3]}}}"#
        ),
        ("FOR v IN 1..@depth OUTBOUND @start edges RETURN v._key", #"{"depth": 3, "start": "users/u1"}"#),
        ("REMOVE @key IN @@c", #"{"key": "u3", "@c": "users"}"#),
        ("RETURN DOCUMENT(@id).name", #"{"id": "users/u4"}"#),
    ]

    @Test func bindValues() throws {
        let db = try Self.database()
        let seeds = Self.parameterized.map { Array($0.binds.utf8) }
        var n = 0
        var values = SeededGenerator(seed: 22)
        let tally = Self.sample("bind values", seeds: seeds, seed: 2) { input in
            let pair = Self.parameterized[n % Self.parameterized.count]
            defer { n += 1 }
            var parsed: Value
            if n % 2 == 0 {
                // Every other input is well-formed JSON with a value of the wrong kind.
                var o = try JSONReader.parse(pair.binds).objectValue ?? Object()
                if let name = o.keys.randomElement(using: &values) { o[name] = Self.oddValue(&values) }
                parsed = .object(o)
            } else {
                parsed = try input.withUnsafeBufferPointer { try JSONReader.parse($0) }
            }
            let query = pair.query
            // A value that is not an object is offered for every parameter of the query.
            let names = ["@c", "lo", "hi", "doc", "keys", "patch", "depth", "start", "key", "id"]
            let binds =
                parsed.objectValue.map { o in Dictionary(o.map { ($0.0, $0.1) }) { a, _ in a } }
                ?? Dictionary(uniqueKeysWithValues: names.map { ($0, parsed) })
            let before = try Self.state(db)
            do { try db.query(query, bindVars: binds) } catch {
                #expect(try Self.state(db) == before, "a refused query wrote: \(query) with \(parsed)")
                throw error
            }
        }
        #expect(tally.refused.values.reduce(0, +) > 0 && tally.accepted > 0)
    }

    @Test func importFiles() throws {
        let db = try Self.database()
        let seeds = [
            "Fixtures/datasets/users.jsonl", "Fixtures/datasets/cities.jsonl", "Fixtures/fuzz/seeds/json/lines.jsonl",
            "Fixtures/fuzz/seeds/json/nested.json",
        ].compactMap { FuzzSeeds.contents(Self.root + "/" + $0) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "locus-sampler-\(UUID().uuidString).jsonl"
        ).path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let tally = Self.sample("import files", seeds: seeds, seed: 3) { input in
            #expect(FileManager.default.createFile(atPath: file, contents: Data(input)))
            let before = try Self.state(db)
            do {
                _ = try db.importFile(atPath: file, into: "imported")
            } catch {
                #expect(try Self.state(db) == before)
                #expect(
                    try !db.collections().contains { $0.name == "imported" }, "a refused import left its collection")
                throw error
            }
            try db.dropCollection("imported")
        }
        #expect(tally.refused.values.reduce(0, +) > 0 && tally.accepted > 0)
    }

    @Test func policies() throws {
        let seeds = FuzzSeeds.seeds(for: .policy, repository: Self.root)
        let tally = Self.sample("policies", seeds: seeds, seed: 4) { input in
            let text = String(decoding: input, as: UTF8.self)
            _ = try PlacementPolicy(json: text, fabric: FuzzTargets.trio)
            // One the parser takes is set at a PoP holding data, which it must judge whole.
            let pop = try Self.database()
            try pop.enableReplication(pop: "fra", fabric: FuzzTargets.trio, epoch: "sampler")
            let before = try Self.state(pop)
            do { try pop.setPlacementPolicy(text) } catch {
                #expect(try Self.state(pop) == before && pop.placementPolicy() == nil, "a refused policy stayed")
                throw error
            }
        }
        #expect(tally.refused.values.reduce(0, +) > 0)
    }

    @Test func fabricDescriptions() throws {
        let seeds = ["default.json", "trio.json"].compactMap {
            FuzzSeeds.contents(Self.root + "/Fixtures/fabrics/" + $0)
        }
        let tally = Self.sample("fabric descriptions", seeds: seeds, seed: 5) { input in
            let fabric = try Fabric(json: String(decoding: input, as: UTF8.self))
            // One that reads must also make a PoP.
            try Database(path: ":memory:").enableReplication(pop: fabric.pops[0].name, fabric: fabric)
        }
        #expect(tally.refused.values.reduce(0, +) > 0)
    }

    @Test func syncPages() throws {
        let seeds = FuzzSeeds.seeds(for: .sync, repository: Self.root)
        let tally = Self.sample("sync pages", seeds: seeds, seed: 6) { input in
            let page = try PullResponse(json: String(decoding: input, as: UTF8.self))
            let pop = try Database(path: ":memory:")
            try FuzzTargets.createCollections(in: pop)
            try pop.enableReplication(pop: "fra", fabric: FuzzTargets.trio, epoch: "sampler")
            do { try pop.replicator().receive(page) } catch {
                #expect(try Self.state(pop) == [[[], [], []]], "a refused page left data")
                throw error
            }
        }
        #expect(tally.refused.values.reduce(0, +) > 0)
    }

    /// A value of a random kind, at the edges of its kind, nested a few levels.
    static func oddValue(_ r: inout SeededGenerator, depth: Int = 0) -> Value {
        switch r.below(depth > 2 ? 6 : 8) {
        case 0: return .null
        case 1: return .bool(r.chance(0.5))
        case 2:
            let edges = [0, -0.0, 1e308, -1e308, Double.leastNonzeroMagnitude, 9_007_199_254_740_992, -1, 2.5]
            return .number(r.pick(edges))
        case 3:
            return .string(
                r.pick(["", "users", "users/u1", "@c", "_key", String(repeating: "x", count: 5000), "é𝄞\u{0}"]))
        case 4: return .string("nope/\(r.below(100))")
        case 5: return .number(Double(r.below(50)))
        case 6: return .array((0..<r.below(4)).map { _ in oddValue(&r, depth: depth + 1) })
        default:
            var o = Object()
            for k in ["_key", "_from", "age", "a"].prefix(r.below(5)) { o[k] = oddValue(&r, depth: depth + 1) }
            return .object(o)
        }
    }
}
