// What the fuzzers feed arbitrary bytes to, one entry point per input surface: query text up
// to a bound, optimized and explained plan; JSON and the import line reader; sync pages,
// decoded and merged into a scratch PoP; placement policies, parsed, compiled and applied.
// Each entry point must return for every input: an error is a fine answer, a crash or a hang
// is a bug. The libFuzzer executables (`Fuzz/`, built only with LOCUS_FUZZ=1) call these, and
// `LocusFuzzingTests` replays the seed corpora and every regression input through them.

import Locus
import LocusPolicy
import LocusValues

/// The fuzzed surfaces, by name (the directory names under `Fixtures/fuzz/`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    case query, json, sync, policy

    /// Runs one input. Errors are swallowed: only crashes, hangs and sanitizer reports count.
    public func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        switch self {
        case .query: FuzzTargets.query(text)
        case .json: FuzzTargets.json(input, text)
        case .sync: FuzzTargets.sync(text)
        case .policy: FuzzTargets.policy(text)
        }
    }
}

enum FuzzTargets {
    /// One collection of each kind: `users`, `edges` and `kv`.
    static func createCollections(in db: Database) throws {
        try db.createCollection("users")
        try db.createCollection("edges", type: .edge)
        try db.createCollection("kv", type: .kv)
    }

    /// A database with one collection of each kind, indexes, a named graph and a search view,
    /// so that queries bind against real names: `users` (persistent index on `age`, geo on
    /// `location`, fulltext on `bio`), `edges`, `kv`, graph `social`, view `users_view` (all of
    /// `users`, `bio` also with `text_en`), and three users for searches to find.
    static let database: Database = {
        do {
            let db = try Database(path: ":memory:")
            try createCollections(in: db)
            try db.createIndex(collection: "users", fields: ["age"])
            try db.createIndex(collection: "users", fields: ["location"], type: .geo)
            try db.createIndex(collection: "users", fields: ["bio"], type: .fulltext)
            try db.createGraph(
                "social", edgeDefinitions: [["collection": "edges", "from": ["users"], "to": ["users"]]])
            try db.query(
                """
                FOR u IN [{_key: "ada", age: 36, bio: "Counts engines and looms", tags: ["math", "poetry"]},
                          {_key: "bob", age: 41, bio: "Builds quick brown boxes", flag: true},
                          {_key: "eve", age: 29, bio: "Listens", nick: null}] INSERT u INTO users
                """)
            try db.createView(
                SearchViewDefinition(json: [
                    "name": "users_view",
                    "links": [
                        "users": ["includeAllFields": true, "fields": ["bio": ["analyzers": ["identity", "text_en"]]]]
                    ],
                ]))
            return db
        } catch {
            fatalError("the fuzzing database could not be set up: \(error)")
        }
    }()

    /// Query text to a bound, optimized plan, rendered as ArangoDB's explain output. Not run,
    /// since a valid query may loop for as long as it likes, except a reading query with a
    /// SEARCH, whose condition only the view search reads: it runs for at most 50 ms.
    static func query(_ text: String) {
        _ = try? database.explain(text)
        guard text.uppercased().contains("SEARCH"), (try? Database.queryWrites(text)) == false else { return }
        _ = try? database.query(text, options: QueryOptions(maxRuntime: 0.05))
    }

    /// The database the import line reader writes into; each input's collection is dropped.
    static let importTarget: Database = {
        do { return try Database(path: ":memory:") } catch { fatalError("no in-memory database: \(error)") }
    }()

    /// The JSON reader on raw bytes and as text, then the import line reader on each line.
    static func json(_ bytes: [UInt8], _ text: String) {
        _ = bytes.withUnsafeBufferPointer { try? JSONReader.parse($0) }
        _ = try? importTarget.importDocuments(into: "imported", onError: .skip) { importer in
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                try? importer.add(line: n + 1, json: String(line))
            }
        }
        try? importTarget.dropCollection("imported")
    }

    static let trio: Fabric = {
        do {
            return try Fabric(
                json: """
                    {"name": "trio", "pops": [
                      {"name": "fra", "city": "Frankfurt", "country": "DE", "region": "eu-central",
                       "jurisdictions": ["eu", "gdpr"], "latitude": 50.1, "longitude": 8.7},
                      {"name": "iad", "city": "Ashburn", "country": "US", "region": "us-east",
                       "jurisdictions": ["us"], "latitude": 39.0, "longitude": -77.5},
                      {"name": "bom", "city": "Mumbai", "country": "IN", "region": "ap-south",
                       "jurisdictions": ["in"], "latitude": 19.1, "longitude": 72.9}]}
                    """)
        } catch {
            fatalError("the fuzzing fabric could not be read: \(error)")
        }
    }()

    /// A sync page decoded and merged into a fresh PoP `fra` of the fabric `trio`, which
    /// holds `users`, `edges` and `kv` (pages only carry documents); the PoP, or nil when the
    /// page is refused.
    @discardableResult
    static func sync(_ text: String) -> Database? {
        guard let page = try? PullResponse(json: text), let db = try? Database(path: ":memory:") else { return nil }
        do {
            try createCollections(in: db)
            try db.enableReplication(pop: "fra", fabric: trio, epoch: "fuzz")
        } catch {
            return nil
        }
        return (try? db.replicator().receive(page)) != nil ? db : nil
    }

    /// A placement policy parsed and compiled against `trio`, then asked to place a record.
    static func policy(_ text: String) {
        guard let policy = try? PlacementPolicy(json: text, fabric: trio) else { return }
        let record: Object = ["_key": "k", "residency": "EU", "age": 42, "tags": ["a", "b"]]
        for collection in ["users", "places", "other"] {
            _ = try? policy.placement(collection: collection, document: record) { _ in nil }
            _ = policy.explain(collection: collection, document: record)
            _ = policy.summary(collection: collection)
        }
    }
}
