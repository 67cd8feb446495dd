// The embedding API: bind variables, Codable results, typed errors, stats and options,
// all-or-nothing queries, and one handle shared by concurrent tasks.

import Foundation
import Testing
@testable import Locus
import LocusTestSupport

@Suite struct DatabaseTests {
    func seeded() throws -> Database {
        let db = try Database.inMemory()
        try db.createCollection("users")
        try db.query("FOR i IN 1..20 INSERT {_key: CONCAT('u', i), name: CONCAT('user', i), age: i} INTO users")
        return db
    }

    struct User: Codable, Equatable {
        var name: String
        var age: Int
    }

    @Test func decodesRowsAndEncodesBindVars() throws {
        let db = try seeded()
        let users = try db.query(
            "FOR u IN users FILTER u.age <= @max SORT u.age RETURN u", bindVars: ["max": 2], as: User.self)
        #expect(users == [User(name: "user1", age: 1), User(name: "user2", age: 2)])
        let doc = try Value(encoding: User(name: "new", age: 99))
        let r = try db.query("INSERT @doc INTO users RETURN NEW.age", bindVars: ["doc": doc])
        #expect(r.rows == [99] && r.stats.writesExecuted == 1)
        #expect(throws: LocusError.self) { _ = try db.query("RETURN 'x'", as: User.self) }
    }

    @Test func anInsertStoresTheSameDocumentWhetherOrNotItReturnsIt() throws {
        // Two paths write the row (straight from the document when nothing is returned and no
        // index needs it); a document keeps no `_from` or `_to` on either.
        let db = try Database.inMemory()
        try db.createCollection("docs")
        try db.query("INSERT {_key: 'quiet', _from: 'a/b', _to: 'c/d', v: 1} INTO docs")
        let returned = try db.query("INSERT {_key: 'told', _from: 'a/b', _to: 'c/d', v: 1} INTO docs RETURN NEW")
        let stored = try db.query("FOR d IN docs SORT d._key RETURN UNSET(d, '_key', '_id', '_rev')").rows
        #expect(stored == [.object(["v": .int(1)]), .object(["v": .int(1)])])
        #expect(returned.rows.first?[attribute: "_from"] == .null)
    }

    @Test func errorsAreTypedAndCarryPositions() throws {
        let db = try seeded()
        do {
            try db.query("FOR u IN users\n  FILTER u.nope == @x RETURN u")
            Issue.record("expected an error")
        } catch let e as LocusError {
            #expect(e.code == .bindParameterMissing)
            #expect(e.position?.line == 2)
        }
    }

    @Test func profileTimesThePhases() throws {
        let db = try Database.inMemory()
        try db.createCollection("t")
        #expect(try db.query("RETURN 1").profile == nil)
        var options = QueryOptions()
        options.profile = true
        let text = "FOR i IN 1..500 INSERT {n: i} INTO t COLLECT WITH COUNT INTO c RETURN c"
        let first = try #require(try db.query(text, options: options).profile)
        #expect(first.parsing > 0 && first.optimizing > 0 && first.executing > 0 && first.finalizing > 0)
        #expect(first.json[attribute: "optimizing plan"] == .number(first.optimizing))
        // The plan comes from the cache the second time: no parsing or optimizing.
        let again = try #require(try db.query(text, options: options).profile)
        #expect(again.parsing == 0 && again.optimizing == 0 && again.executing > 0)
        #expect(try QueryOptions(json: ["profile": 2]).profile && !QueryOptions(json: ["profile": false]).profile)
    }

    @Test func statsCountScansIndexesAndFullCount() throws {
        let db = try seeded()
        let scan = try db.query("FOR u IN users FILTER u.age > 15 RETURN u._key")
        #expect(scan.stats.scannedFull == 20 && scan.stats.scannedIndex == 0 && scan.stats.filtered == 15)
        try db.createIndex(collection: "users", fields: ["age"])
        let viaIndex = try db.query("FOR u IN users FILTER u.age > 15 RETURN u._key")
        #expect(viaIndex.stats.scannedFull == 0 && viaIndex.stats.scannedIndex == 5)
        let limited = try db.query(
            "FOR u IN users SORT u.name LIMIT 3 RETURN u", options: QueryOptions(fullCount: true))
        #expect(limited.rows.count == 3 && limited.stats.fullCount == 20)
    }

    @Test func optionsGuardWarningsRuntimeAndMemory() throws {
        let db = try seeded()
        #expect { try db.query("RETURN 1 / 0", options: QueryOptions(failOnWarning: true)) } throws: {
            ($0 as? LocusError)?.code == .divisionByZero
        }
        // The warning's error, not what a later row would have thrown: the next checkpoint stops the query.
        #expect {
            try db.query(
                "FOR i IN 1..10 RETURN i == 1 ? 1 / 0 : FAIL('later')", options: QueryOptions(failOnWarning: true))
        } throws: {
            ($0 as? LocusError)?.code == .divisionByZero
        }
        #expect {
            try db.query(
                "FOR a IN 1..3000 FOR b IN 1..3000 FILTER a == b RETURN a", options: QueryOptions(maxRuntime: 0.05))
        } throws: {
            ($0 as? LocusError)?.code == .queryKilled
        }
        #expect {
            try db.query("FOR a IN 1..100000 RETURN CONCAT('row', a)", options: QueryOptions(memoryLimit: 10000))
        } throws: {
            ($0 as? LocusError)?.code == .resourceLimit
        }
        #expect(try db.query("RETURN 1", options: QueryOptions(optimizerRules: ["-all"])).rows == [1])
    }

    @Test func failingModificationLeavesNoTrace() throws {
        let db = try seeded()
        #expect(throws: LocusError.self) {
            try db.query("FOR i IN 1..30 INSERT {_key: CONCAT('u', i)} INTO users")
        }
        #expect(try db.query("RETURN LENGTH(users)").rows == [20])
        #expect(throws: LocusError.self) {
            try db.query(
                "FOR u IN users UPDATE u WITH {age: u.age + 100} IN users FILTER NEW.age > 110 RETURN FAIL('stop')")
        }
        #expect(try db.query("RETURN MAX(FOR u IN users RETURN u.age)").rows == [20])
    }

    @Test func explainShowsIndexesAndRules() throws {
        let db = try seeded()
        try db.createIndex(collection: "users", fields: ["age"])
        let e = try db.explain("FOR u IN users FILTER u.age == 3 RETURN u")
        #expect(e.text.contains("IndexNode") && e.text.contains("idx_users_age"))
        #expect(e.json[attribute: "plan"][attribute: "rules"].arrayValue?.contains("use-indexes") == true)
        let off = try db.explain(
            "FOR u IN users FILTER u.age == 3 RETURN u", options: QueryOptions(optimizerRules: ["-use-indexes"]))
        #expect(!off.text.contains("IndexNode"))
    }

    /// ArangoDB's explain JSON: nodes chained by `dependencies` (a subquery's own chain starts at
    /// its SingletonNode), costs that grow along the chain and include the subquery's, the
    /// collections with how they are used, the variables and the plan's totals.
    @Test func explainJSONHasArangoDBsPlanFields() throws {
        let db = try seeded()
        let plan = try db.explain("FOR u IN users LET s = (FOR x IN 1..3 RETURN x) INSERT {s} INTO users").json[
            attribute: "plan"]
        let nodes = plan[attribute: "nodes"].arrayValue ?? []
        let types = nodes.map { $0[attribute: "type"].stringValue ?? "" }
        #expect(types.first == "SingletonNode" && types.last == "InsertNode")
        var costById: [Double: Double] = [:]
        for n in nodes {
            let deps = n[attribute: "dependencies"].arrayValue ?? []
            let cost = n[attribute: "estimatedCost"].numberValue ?? -1
            if n[attribute: "type"].stringValue == "SingletonNode" {
                #expect(deps.isEmpty)
            } else {
                #expect(deps.count == 1)
                let before = costById[deps[0].numberValue ?? -1]
                #expect(before != nil && cost > before!)
            }
            costById[n[attribute: "id"].numberValue ?? -1] = cost
        }
        let subquery = nodes.first { $0[attribute: "type"].stringValue == "SubqueryNode" }
        let innerReturn = nodes.first { $0[attribute: "type"].stringValue == "ReturnNode" }
        #expect(
            (subquery?[attribute: "estimatedCost"].numberValue ?? 0)
                > (innerReturn?[attribute: "estimatedCost"].numberValue ?? .infinity))
        let scan = nodes.first { $0[attribute: "type"].stringValue == "EnumerateCollectionNode" }
        #expect(scan?[attribute: "collection"] == "users" && scan?[attribute: "outVariable"][attribute: "name"] == "u")
        #expect(subquery?[attribute: "outVariable"][attribute: "name"] == "s")
        #expect(nodes.last?[attribute: "collection"] == "users")
        #expect(plan[attribute: "collections"] == [["name": "users", "type": "write"]])
        let variables = (plan[attribute: "variables"].arrayValue ?? []).compactMap { $0[attribute: "name"].stringValue }
        #expect(Set(["u", "x", "s"]).isSubset(of: variables))
        #expect(plan[attribute: "isModificationQuery"] == true)
        #expect(plan[attribute: "estimatedCost"] == nodes.last?[attribute: "estimatedCost"])
        let read = try db.explain("FOR u IN users RETURN u").json[attribute: "plan"]
        #expect(read[attribute: "collections"] == [["name": "users", "type": "read"]])
        #expect(read[attribute: "isModificationQuery"] == false)
    }

    /// Nodes carry what they read in ArangoDB's AST shape: a calculation's `expression`, a
    /// RETURN's `inVariable`, a sort's `elements`, an index node's `condition` on its field.
    @Test func explainJSONNodesCarryTheirExpressions() throws {
        let db = try seeded()
        try db.createIndex(collection: "users", fields: ["age"])
        let nodes =
            try db.explain("FOR u IN users FILTER u.age == 3 SORT u.name LET x = u.age * 2 RETURN x").json[
                attribute: "plan"][attribute: "nodes"].arrayValue ?? []
        func node(_ type: String) -> Value { nodes.first { $0[attribute: "type"].stringValue == type } ?? .null }
        let u: Value = ["type": "reference", "name": "u", "id": 0, "subqueryReference": false]
        let age: Value = ["type": "attribute access", "name": "age", "subNodes": [u]]
        #expect(
            node("CalculationNode")[attribute: "expression"]
                == ["type": "times", "subNodes": [age, ["type": "value", "value": 2]]])
        #expect(node("CalculationNode")[attribute: "expressionType"] == "simple")
        #expect(node("ReturnNode")[attribute: "inVariable"][attribute: "name"] == "x")
        #expect(node("SortNode")[attribute: "elements"][index: 0][attribute: "ascending"] == true)
        let equality: Value = [
            "type": "compare ==", "excludesNull": false, "subNodes": [age, ["type": "value", "value": 3]],
        ]
        #expect(
            node("IndexNode")[attribute: "condition"]
                == ["type": "n-ary or", "subNodes": [["type": "n-ary and", "subNodes": [equality]]]])
    }

    @Test func sharedAcrossConcurrentTasks() async throws {
        let db = try seeded()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<8 {
                group.addTask {
                    for i in 0..<20 {
                        try db.query("INSERT {task: @t, i: @i} INTO users", bindVars: ["t": .int(t), "i": .int(i)])
                        _ = try db.query("RETURN LENGTH(users)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try db.query("RETURN LENGTH(users)").rows == [180])
    }

    @Test func readersRunBesideTheWriterOnAFile() async throws {
        let path = ScratchDatabase.path("database")
        defer { ScratchDatabase.remove(path) }
        let db = try Database(path: path)
        try db.createCollection("c")
        try db.query("FOR i IN 1..100 INSERT {_key: TO_STRING(i), i} INTO c")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for i in 101...200 {
                    try db.query("INSERT {_key: TO_STRING(@i), i: @i} INTO c", bindVars: ["i": .int(i)])
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    var last = 0
                    for _ in 0..<50 {
                        // Every read sees a committed snapshot: a whole number of inserts, never fewer than before.
                        let n = Int(try db.query("RETURN LENGTH(FOR d IN c RETURN 1)").rows[0].numberValue!)
                        #expect(n >= last && n >= 100 && n <= 200)
                        last = n
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try db.query("RETURN LENGTH(c)").rows == [200])
        // A schema change made by the writer is seen by reader connections.
        try db.createCollection("later")
        #expect(try db.query("RETURN LENGTH(later)").rows == [0])
    }

    @Test func releasingTheHandleClosesTheFile() throws {
        let path = ScratchDatabase.path("database")
        defer { ScratchDatabase.remove(path) }
        do {
            let db = try Database(path: path)
            try db.createCollection("c")
            try db.query("FOR i IN 1..100 INSERT {i} INTO c")
            _ = try db.query("RETURN LENGTH(c)")
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        }
        // The last connection to close checkpoints and removes the WAL: nothing kept it open.
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func fileDatabasePersists() throws {
        let path = ScratchDatabase.path("database")
        defer { ScratchDatabase.remove(path) }
        do {
            let db = try Database(path: path)
            try db.createCollection("kv", type: .kv)
            try db.query("INSERT {_key: 'a', value: 1} INTO kv")
        }
        let again = try Database(path: path)
        #expect(try again.query("RETURN DOCUMENT('kv/a').value").rows == [1])
        #expect(try again.collections().first?.type == .kv)
    }

    @Test func revisionsDecodeToTheirWriteTime() throws {
        let db = try Database.inMemory()
        try db.createCollection("c")
        let r = try db.query(
            "INSERT {} INTO c LET d = DECODE_REV(NEW._rev) RETURN [ABS(DATE_DIFF(d.date, DATE_NOW(), 's')) < 60, d.count < 1000]"
        )
        #expect(r.rows == [[true, true]])
        // Every write has its own revision, and later ones decode to later clock values.
        let revs = try db.query(
            "FOR i IN 1..50 INSERT {i} INTO c LET d = DECODE_REV(NEW._rev) RETURN [NEW._rev, [DATE_TIMESTAMP(d.date), d.count]]"
        ).rows
        #expect(Set(revs.compactMap { $0[index: 0].stringValue }).count == 50)
        let clocks = revs.map { $0[index: 1] }
        #expect(zip(clocks, clocks.dropFirst()).allSatisfy { $0.compare($1) < 0 })
    }
}
