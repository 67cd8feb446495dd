// Golden tests driven by Fixtures/: query results (results/), rendered diagnostics
// (diagnostics/) and EXPLAIN plans with rule toggles (plan/). Each file is one test case.
//
// Directives:
//   collection NAME [document|edge|kv]      create a collection
//   index COLLECTION a,b [unique] [sparse]  create a persistent index
//   index COLLECTION a fulltext [minLength=N]  create a fulltext index
//   index COLLECTION a[,b] geo [geoJson=true]  create a geo index
//   load COLLECTION DATASET.jsonl           import Fixtures/datasets/DATASET.jsonl
//   graph NAME edges=JSON                   create a named graph from edge definitions
//   view NAME links=JSON                    create an arangosearch view with ArangoDB's links
//   statement ok [bind=JSON]                run, ignore the rows
//   query [rowsort] [bind=JSON] [options=JSON]  rows as JSON lines after ----
//   warning N [bind=JSON]                   as query, and warning N must be raised
//   error N [bind=JSON]                     the rendered error after ---- (caret and all)
//   explain [rules=-a,+b] [expect=r] [expect-not=r] [bind=JSON]   the plan table after ----

import Foundation
import Testing
import LocusSyntax
import LocusTestSupport
@testable import Locus
import LocusValues

@Suite struct GoldenTests {
    struct Directive {
        var words: [String] = []
        var settings: [String: String] = [:]
        init(_ line: String) {
            var rest = Substring(line)
            while true {
                rest = rest.drop { $0 == " " }
                guard !rest.isEmpty else { break }
                if let eq = rest.firstIndex(of: "="), !rest[..<eq].isEmpty,
                    rest[..<eq].allSatisfy({ $0.isLetter || $0 == "-" })
                {
                    let key = String(rest[..<eq])
                    let value = rest[rest.index(after: eq)...]
                    let end = Directive.valueEnd(value)
                    settings[key] = String(value[..<end])
                    rest = value[end...]
                } else {
                    let end = rest.firstIndex(of: " ") ?? rest.endIndex
                    words.append(String(rest[..<end]))
                    rest = rest[end...]
                }
            }
        }

        /// A JSON value runs to its matching bracket; anything else to the next space.
        static func valueEnd(_ v: Substring) -> Substring.Index {
            guard v.first == "{" || v.first == "[" else { return v.firstIndex(of: " ") ?? v.endIndex }
            var depth = 0
            var inString = false
            var escaped = false
            for i in v.indices {
                let c = v[i]
                if inString {
                    if escaped {
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        inString = false
                    }
                } else if c == "\"" {
                    inString = true
                } else if c == "{" || c == "[" {
                    depth += 1
                } else if c == "}" || c == "]" {
                    depth -= 1
                    if depth == 0 { return v.index(after: i) }
                }
            }
            return v.endIndex
        }
    }

    static func bindVars(_ d: Directive) throws -> [String: Value] {
        guard let b = d.settings["bind"] else { return [:] }
        guard case .object(let o) = try JSONReader.parse(b) else { return [:] }
        var out: [String: Value] = [:]
        for (k, v) in o { out[k] = v }
        return out
    }

    static let setupDirectives: Set<String> = ["collection", "index", "load", "graph"]

    static func run(_ file: String) throws {
        var golden = try GoldenFile(file)
        // Setup directives may be stacked in one block, one per line.
        golden.blocks = golden.blocks.flatMap { b -> [GoldenBlock] in
            guard setupDirectives.contains(Directive(b.directive).words.first ?? ""), b.expected == nil else {
                return [b]
            }
            let lines = [b.directive] + b.input.split(separator: "\n").map(String.init)
            return lines.enumerated().map {
                GoldenBlock(directive: $0.element, input: "", expected: nil, line: b.line + $0.offset)
            }
        }
        let db = try Database.inMemory()
        var changed = false
        for (n, block) in golden.blocks.enumerated() {
            let d = Directive(block.directive)
            let where_ = "\(file):\(block.line)"
            let bind = try bindVars(d)
            var actual: String? = nil
            switch d.words.first ?? "" {
            case "collection":
                try db.createCollection(
                    d.words[1], type: CollectionType(rawValue: d.words.count > 2 ? d.words[2] : "document")!)
            case "index":
                try db.createIndex(
                    collection: d.words[1], fields: d.words[2].split(separator: ",").map(String.init),
                    type: d.words.contains("fulltext") ? .fulltext : d.words.contains("geo") ? .geo : .persistent,
                    unique: d.words.contains("unique"), sparse: d.words.contains("sparse"),
                    minLength: d.settings["minLength"].flatMap { Int($0) },
                    geoJson: d.settings["geoJson"].map { $0 == "true" })
            case "graph":
                try db.createGraph(d.words[1], edgeDefinitions: try JSONReader.parse(d.settings["edges"] ?? "[]"))
            case "view":
                try db.createView(
                    SearchViewDefinition(json: [
                        "name": .string(d.words[1]), "links": try JSONReader.parse(d.settings["links"] ?? "{}"),
                    ]))
            case "load":
                let path = Repository.fixtures + "/datasets/" + d.words[2]
                let text = try String(contentsOfFile: path, encoding: .utf8)
                _ = try db.importDocuments(into: d.words[1]) { imp in
                    for (i, line) in text.split(separator: "\n").enumerated() {
                        try imp.add(line: i + 1, json: String(line))
                    }
                }
            case "statement":
                do { try db.query(block.input, bindVars: bind) } catch {
                    Issue.record("\(where_): statement failed: \(error)")
                }
            case "query", "warning":
                var options = QueryOptions()
                if let o = d.settings["options"] { options = try QueryOptions(json: try JSONReader.parse(o)) }
                do {
                    let r = try db.query(block.input, bindVars: bind, options: options)
                    var rows = r.rows.map { JSONWriter.string($0) }
                    if d.words.contains("rowsort") { rows.sort() }
                    actual = rows.joined(separator: "\n")
                    if d.words.first == "warning", let code = Int(d.words[1]) {
                        #expect(
                            r.warnings.contains { $0.code == code },
                            "\(where_): expected warning \(code), got \(r.warnings)")
                    }
                    // The generic plan (value parameters prepared, as the plan cache may keep
                    // it) answers as the plan for the values does, when it can be made.
                    if let generic = options.preparingValues(of: bind), !(try Parser.parse(block.input).containsWrites),
                        let g = try? db.query(block.input, bindVars: bind, options: generic)
                    {
                        #expect(g.rows == r.rows, "\(where_): the generic plan answers otherwise")
                        #expect(g.warnings.map(\.code) == r.warnings.map(\.code), "\(where_): generic plan's warnings")
                    }
                    // Rows taken as JSON texts (a document returned as stored is copied from
                    // storage, not decoded) are the rows, encoded.
                    if !(try Parser.parse(block.input).containsWrites) {
                        var asJSON = options
                        asJSON.rowsAsJSON = true
                        let j = try db.query(block.input, bindVars: bind, options: asJSON)
                        #expect(j.rows.isEmpty && j.count == r.rows.count, "\(where_): rows as JSON: count")
                        #expect(
                            j.jsonRows.map { String(decoding: $0, as: UTF8.self) }
                                == r.rows.map { JSONWriter.string($0) },
                            "\(where_): rows as JSON differ from the rows")
                    }
                } catch let e as LocusError {
                    actual = "ERROR " + e.rendered(query: block.input)
                }
            case "error":
                do {
                    let r = try db.query(block.input, bindVars: bind)
                    actual = "NO ERROR: " + r.rows.map { JSONWriter.string($0) }.joined(separator: ", ")
                } catch let e as LocusError {
                    if let code = Int(d.words[1]), e.code.number != code, !RecordMode.isOn {
                        Issue.record("\(where_): expected error \(code), got \(e.code.number): \(e.message)")
                    }
                    actual = e.rendered(query: block.input)
                }
            case "explain":
                let rules = d.settings["rules"].map { $0.split(separator: ",").map(String.init) } ?? []
                let e = try db.explain(block.input, bindVars: bind, options: QueryOptions(optimizerRules: rules))
                let applied = e.json[attribute: "plan"][attribute: "rules"].arrayValue?.compactMap(\.stringValue) ?? []
                if let r = d.settings["expect"] {
                    #expect(applied.contains(r), "\(where_): rule \(r) did not fire: \(applied)")
                }
                if let r = d.settings["expect-not"] {
                    #expect(!applied.contains(r), "\(where_): rule \(r) fired: \(applied)")
                }
                // The first lines repeat the query; the plan starts after them.
                // Blank lines separate fixture blocks, so the recorded plan has none.
                actual = e.text.components(separatedBy: "\n").drop { !$0.hasPrefix("Execution plan:") }
                    .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
            default:
                Issue.record("\(where_): unknown directive '\(block.directive)'")
            }
            guard let actual else { continue }
            if RecordMode.isOn {
                if golden.blocks[n].expected != actual { golden.blocks[n].expected = actual; changed = true }
            } else {
                #expect(block.expected == actual, "\(where_): \(block.input)")
            }
        }
        if changed {
            try golden.write()
            Issue.record("\(file): golden output recorded; run again without RECORD_GOLDENS")
        }
    }

    @Test(arguments: GoldenFile.all("results"))
    func results(_ file: String) throws { try GoldenTests.run(file) }

    @Test(arguments: GoldenFile.all("diagnostics"))
    func diagnostics(_ file: String) throws { try GoldenTests.run(file) }

    @Test(arguments: GoldenFile.all("plan"))
    func plans(_ file: String) throws { try GoldenTests.run(file) }
}
