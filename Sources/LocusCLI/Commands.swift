// The `locus` subcommands: query, explain, collection, index, import, export, bench,
// functions, and starting the shell. Their shapes are a public contract used by scripts and
// the benchmark harness.

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials  // FileManager and ProcessInfo without ICU: faster process start
#else
import Foundation
#endif
import Locus
import LocusShell
import LocusFunctions
import LocusSyntax
import LocusValues

enum Commands {
    static let usage = """
        usage: locus [--db PATH | --pop NAME --dir DIR] [-c QUERY | -f FILE] [--bail] [--quiet] [--no-history] [--no-color]
                     [--json | --jsonl | --csv | --table | --markdown | --line]
                                                      the shell: a prompt on a terminal, a script reader on a pipe
               locus query --db PATH [--json] [--bind JSON] [--options JSON] QUERY
               locus explain --db PATH [--json] [--bind JSON] QUERY
               locus collection create NAME [--type document|edge|kv] --db PATH
               locus collection list --db PATH
               locus collection drop NAME --db PATH
               locus index create COLLECTION --fields a,b [--type persistent|ttl|fulltext|geo] [--unique] [--sparse]
                                  [--expire-after S] [--min-length N] [--geo-json] [--name NAME] --db PATH
               locus index list COLLECTION --db PATH
               locus index drop COLLECTION NAME --db PATH
               locus graph create NAME --edge-definitions JSON [--orphans a,b] --db PATH
               locus graph list --db PATH
               locus graph drop NAME [--drop-collections] --db PATH
               locus graph vertex|edge insert GRAPH COLLECTION JSON --db PATH
               locus graph vertex|edge update|replace GRAPH COLLECTION KEY JSON --db PATH
               locus graph vertex|edge remove GRAPH COLLECTION KEY --db PATH
               locus import COLLECTION FILE --db PATH [--type document|edge|kv] [--on-error abort|skip]
               locus export COLLECTION --db PATH [--output FILE]
               locus bench --db PATH [--bind JSON] --warmup W --reps R QUERY
               locus functions [NAME]
               locus rules [--json]
               locus worker save NAME QUERY [--bind JSON] --db PATH
               locus worker list|drop NAME --db PATH
               locus worker run NAME [--bind JSON] [--json] --db PATH
               locus changes COLLECTION [--since N] [--follow] (--db PATH | --pop NAME --dir DIR)
               locus fabric init --fabric FILE --dir DIR [--pops a,b,c]
               locus fabric status --dir DIR [--json]
               locus fabric sync --dir DIR [--rounds N]
               locus fabric keygen --out KEYFILE
               locus fabric attest --fabric FILE --key KEYFILE [--out FILE]
               locus serve (--data DIR | --db PATH | --pop NAME --dir DIR) --listen HOST:PORT [--no-auth] [--root-password-file FILE]
                           [--tls-cert FILE --tls-key FILE] [--max-body BYTES] [--workers N] [--peer URL[,URL]] [--every SECONDS] [--secret-file FILE] [--tenant NAME]
               locus sync --db PATH --peer URL[,URL] [--every SECONDS] [--secret-file FILE]
               locus policy set FILE (--db PATH | --pop NAME --dir DIR | --dir DIR)
               locus policy show --db PATH
               locus compliance check (--dir FABRIC_DIR | --db PATH) [--json]
               locus compliance explain COLLECTION KEY (--dir FABRIC_DIR | --db PATH) [--json]

        --pop NAME --dir DIR, in place of --db, acts as PoP NAME of the local fabric in DIR.

        --db defaults to $LOCUS_DB, else ~/.local/share/locus/default.db; ':memory:' is a private in-memory database.
        """

    static let flags: Set<String> = [
        "json", "unique", "sparse", "help", "drop-collections", "geo-json", "no-auth", "follow",
    ]

    /// The embedded default database path, created on first use.
    static func defaultDatabasePath() -> String {
        if let p = ProcessInfo.processInfo.environment["LOCUS_DB"], !p.isEmpty { return p }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
        let dir = home + "/.local/share/locus"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/default.db"
    }

    static func open(_ a: Arguments) throws -> Database {
        if let pop = a.options["pop"] {
            guard let dir = a.options["dir"] ?? ProcessInfo.processInfo.environment["LOCUS_FABRIC_DIR"] else {
                throw Arguments.UsageError(message: "--pop needs --dir FABRIC_DIR (or $LOCUS_FABRIC_DIR)")
            }
            return try LocalFabric(directory: dir).open(pop)
        }
        let path = a.options["db"] ?? defaultDatabasePath()
        if path != ":memory:" {
            let dir = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : ""
            if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        }
        return try Database(path: path)
    }

    static func bindVars(_ a: Arguments) throws -> [String: Value] {
        guard let text = a.options["bind"] else { return [:] }
        guard let v = try? JSONReader.parse(text), case .object(let o) = v else {
            throw LocusError(.bindParametersInvalid)
        }
        var out: [String: Value] = [:]
        for (k, v) in o { out[k] = v }
        return out
    }

    static func queryOptions(_ a: Arguments) throws -> QueryOptions {
        guard let text = a.options["options"] else { return QueryOptions() }
        return try QueryOptions(json: try JSONReader.parse(text))
    }

    /// Runs a command; returns the process exit status.
    static func run(_ argv: [String]) -> Int32 {
        guard let command = argv.first else { return shell([]) }
        if command.hasPrefix("-") && !["--help", "-h", "--version"].contains(command) { return shell(argv) }
        let rest = Array(argv.dropFirst())
        let json = rest.contains("--json")
        // The query text an error's caret points into.
        var queryText: String? = nil
        do {
            let a = try Arguments(rest, flags: flags)
            switch command {
            case "query", "explain", "bench": queryText = a.positional.first
            case "worker" where a.positional.first == "save": queryText = a.positional.count > 2 ? a.positional[2] : nil
            default: break
            }
            if a.switches.contains("help") { Output.out(usage); return 0 }
            switch command {
            case "query": return try query(a)
            case "explain": return try explain(a)
            case "collection": return try collection(a)
            case "index": return try index(a)
            case "import": return try importCommand(a)
            case "graph": return try graph(a)
            case "export": return try export(a)
            case "bench": return try bench(a)
            case "functions": return functions(a)
            case "rules": return rules(a)
            case "fabric": return try fabric(a)
            case "serve": return try serve(a)
            case "sync": return try sync(a)
            case "policy": return try policy(a)
            case "compliance": return try compliance(a)
            case "worker": return try worker(a)
            case "changes": return try changes(a)
            case "--help", "-h", "help": Output.out(usage); return 0
            case "--version": Output.out("locus 0.1.0 (C8QL / AQL 3.12 dialect)"); return 0
            default:
                Output.err("locus: unknown command '\(command)'\n\n\(usage)")
                return 2
            }
        } catch let e as Arguments.UsageError {
            if json {
                Output.out(Output.errorJSON(LocusError(.badParameter, e.message)))
            } else {
                Output.err("locus: \(e.message)\n\n\(usage)")
            }
            return 2
        } catch let e as LocusError {
            if json { Output.out(Output.errorJSON(e)) } else { Output.err(e.rendered(query: queryText)) }
            return 1
        } catch {
            let e = LocusError(.internalError, "\(error)")
            if json { Output.out(Output.errorJSON(e)) } else { Output.err(e.rendered()) }
            return 1
        }
    }

    static func query(_ a: Arguments) throws -> Int32 {
        let text = try a.require(0, "query text")
        let db = try open(a)
        let r = try db.query(text, bindVars: try bindVars(a), options: try queryOptions(a))
        if a.switches.contains("json") {
            var extra: Object = ["stats": Output.stats(r.stats), "warnings": Output.warnings(r.warnings)]
            if let p = r.profile { extra["profile"] = p.json }
            let o: Value = [
                "result": .array(r.rows), "warnings": Output.warnings(r.warnings), "extra": .object(extra),
                "count": .int(r.rows.count), "hasMore": false, "cached": false, "error": false, "code": 201,
            ]
            Output.out(JSONWriter.string(o))
        } else {
            for row in r.rows { Output.out(JSONWriter.string(row)) }
            for w in r.warnings { Output.err("warning \(w.code): \(w.message)") }
            Output.err(
                "\(r.rows.count) row\(r.rows.count == 1 ? "" : "s"), \(r.stats.writesExecuted) written, \(r.stats.scannedFull) scanned, \(r.stats.scannedIndex) from indexes"
            )
        }
        return 0
    }

    static func explain(_ a: Arguments) throws -> Int32 {
        let text = try a.require(0, "query text")
        let db = try open(a)
        let e = try db.explain(text, bindVars: try bindVars(a), options: try queryOptions(a))
        Output.out(a.switches.contains("json") ? JSONWriter.string(e.json) : e.text)
        return 0
    }

    static func collection(_ a: Arguments) throws -> Int32 {
        let verb = try a.require(0, "collection subcommand (create, list, drop)")
        let db = try open(a)
        switch verb {
        case "create":
            let name = try a.require(1, "collection name")
            let typeName = a.options["type"] ?? "document"
            guard let type = CollectionType(rawValue: typeName) else {
                throw LocusError(.collectionTypeInvalid, typeName)
            }
            try db.createCollection(name, type: type)
            if a.switches.contains("json") {
                Output.out(JSONWriter.string(["name": .string(name), "type": .string(type.rawValue)]))
            } else {
                Output.out("created \(type.rawValue) collection \(name)")
            }
        case "list":
            let cs = try db.collections()
            if a.switches.contains("json") {
                Output.out(
                    JSONWriter.string(
                        .array(
                            cs.map {
                                ["name": .string($0.name), "type": .string($0.type.rawValue), "count": .int($0.count)]
                            })))
            } else {
                for c in cs { Output.out("\(c.name)\t\(c.type.rawValue)\t\(c.count)") }
            }
        case "drop":
            try db.dropCollection(try a.require(1, "collection name"))
        default:
            throw Arguments.UsageError(message: "unknown collection subcommand '\(verb)'")
        }
        return 0
    }

    static func index(_ a: Arguments) throws -> Int32 {
        let verb = try a.require(0, "index subcommand (create, list, drop)")
        let db = try open(a)
        switch verb {
        case "create":
            let coll = try a.require(1, "collection name")
            guard let fields = a.options["fields"]?.split(separator: ",").map({ String($0).trimmingWhitespace() }),
                !fields.isEmpty
            else {
                throw Arguments.UsageError(message: "index create needs --fields a,b")
            }
            let expire = try a.options["expire-after"].map { s -> Double in
                guard let d = Double(s) else {
                    throw Arguments.UsageError(message: "--expire-after needs a number of seconds")
                }
                return d
            }
            let minLength = try a.options["min-length"].map { s -> Int in
                guard let n = Int(s) else {
                    throw Arguments.UsageError(message: "--min-length needs a number of characters")
                }
                return n
            }
            let d = try db.createIndex(
                collection: coll, fields: fields, type: a.options["type"] ?? (expire != nil ? "ttl" : "persistent"),
                unique: a.switches.contains("unique"), sparse: a.switches.contains("sparse"),
                expireAfter: expire, minLength: minLength,
                geoJson: a.switches.contains("geo-json") ? true : nil, name: a.options["name"])
            Output.out(JSONWriter.string(d))
        case "list":
            for d in try db.indexes(collection: try a.require(1, "collection name")) {
                Output.out(JSONWriter.string(d))
            }
        case "drop":
            try db.dropIndex(collection: try a.require(1, "collection name"), name: try a.require(2, "index name"))
        default:
            throw Arguments.UsageError(message: "unknown index subcommand '\(verb)'")
        }
        return 0
    }

    static func graph(_ a: Arguments) throws -> Int32 {
        let verb = try a.require(0, "graph subcommand (create, list, drop, vertex, edge)")
        let db = try open(a)
        switch verb {
        case "create":
            let name = try a.require(1, "graph name")
            guard let text = a.options["edge-definitions"] else {
                throw Arguments.UsageError(message: "graph create needs --edge-definitions JSON")
            }
            let defs = try JSONReader.parse(text)
            let orphans = a.options["orphans"]?.split(separator: ",").map { String($0).trimmingWhitespace() } ?? []
            Output.out(JSONWriter.string(try db.createGraph(name, edgeDefinitions: defs, orphans: orphans)))
        case "list":
            for g in try db.graphs() { Output.out(JSONWriter.string(g)) }
        case "drop":
            try db.dropGraph(try a.require(1, "graph name"), dropCollections: a.switches.contains("drop-collections"))
        case "vertex", "edge":
            Output.out(JSONWriter.string(try graphWrite(verb, a, db)))
        default:
            throw Arguments.UsageError(message: "unknown graph subcommand '\(verb)'")
        }
        return 0
    }

    /// `graph vertex|edge insert GRAPH COLLECTION JSON`, `update|replace GRAPH COLLECTION KEY
    /// JSON` and `remove GRAPH COLLECTION KEY`: the graph-aware writes.
    static func graphWrite(_ kind: String, _ a: Arguments, _ db: Database) throws -> Value {
        let operation = try a.require(1, "\(kind) operation (insert, update, replace, remove)")
        let graph = try a.require(2, "graph name")
        let collection = try a.require(3, "collection name")
        let vertex = kind == "vertex"
        func document(_ i: Int) throws -> Value { try JSONReader.parse(try a.require(i, "document JSON")) }
        switch operation {
        case "insert":
            let doc = try document(4)
            return vertex
                ? try db.insertVertex(graph: graph, collection: collection, doc)
                : try db.insertEdge(graph: graph, collection: collection, doc)
        case "update":
            let key = try a.require(4, "document key")
            let doc = try document(5)
            return vertex
                ? try db.updateVertex(graph: graph, collection: collection, key: key, doc)
                : try db.updateEdge(graph: graph, collection: collection, key: key, doc)
        case "replace":
            let key = try a.require(4, "document key")
            let doc = try document(5)
            return vertex
                ? try db.replaceVertex(graph: graph, collection: collection, key: key, doc)
                : try db.replaceEdge(graph: graph, collection: collection, key: key, doc)
        case "remove":
            let key = try a.require(4, "document key")
            return vertex
                ? try db.removeVertex(graph: graph, collection: collection, key: key)
                : try db.removeEdge(graph: graph, collection: collection, key: key)
        default:
            throw Arguments.UsageError(message: "unknown \(kind) operation '\(operation)'")
        }
    }

    static func importCommand(_ a: Arguments) throws -> Int32 {
        let coll = try a.require(0, "collection name")
        let file = try a.require(1, "file")
        let type = try a.options["type"].map { t -> CollectionType in
            guard let ct = CollectionType(rawValue: t) else { throw LocusError(.collectionTypeInvalid, t) }
            return ct
        }
        guard let policy = ImportErrorPolicy(rawValue: a.options["on-error"] ?? "abort") else {
            throw Arguments.UsageError(message: "--on-error must be abort or skip")
        }
        let db = try open(a)
        let progress = Output.stderrIsTerminal
        let summary = try db.importFile(atPath: file, into: coll, type: type, onError: policy) { fraction, line in
            guard progress else { return }
            let pct = Int(fraction * 100)
            let bar = String(repeating: "#", count: pct / 4) + String(repeating: ".", count: 25 - pct / 4)
            Output.rawErr("\r[\(bar)] \(pct)% \(line) lines")
        }
        if progress { Output.rawErr("\r" + String(repeating: " ", count: 60) + "\r") }
        let o: Value = [
            "collection": .string(coll), "created": .int(summary.created), "errors": .int(summary.skipped.count),
            "skipped": .array(summary.skipped.prefix(100).map { ["line": .int($0.line), "error": .string($0.error)] }),
        ]
        Output.out(JSONWriter.string(o))
        return 0
    }

    static func export(_ a: Arguments) throws -> Int32 {
        let coll = try a.require(0, "collection name")
        let db = try open(a)
        if let path = a.options["output"] {
            try db.exportFile(coll, toPath: path)
        } else {
            try db.exportDocuments(coll) { Output.out($0) }
        }
        return 0
    }

    static func bench(_ a: Arguments) throws -> Int32 {
        let text = try a.require(0, "query text")
        let warmup = Int(a.options["warmup"] ?? "1") ?? 1
        let reps = Int(a.options["reps"] ?? "1") ?? 1
        let db = try open(a)
        let binds = try bindVars(a)
        var rows = 0
        // Every run but the last rolls its writes back, so each starts from the same data and
        // the database ends as after one execution.
        var scratch = QueryOptions()
        scratch.rollback = true
        for _ in 0..<max(0, warmup) { rows = try db.query(text, bindVars: binds, options: scratch).rows.count }
        var timings: [Value] = []
        let runs = max(1, reps)
        for run in 0..<runs {
            let t0 = MonotonicClock.nanoseconds()
            rows = try db.query(text, bindVars: binds, options: run == runs - 1 ? QueryOptions() : scratch).rows.count
            timings.append(.int(MonotonicClock.nanoseconds() - t0))
        }
        Output.out(JSONWriter.string(["rows": .int(rows), "timings_ns": .array(timings)]))
        return 0
    }

    /// The optimizer's rules in the order they run, with what each does (`--json`: as
    /// ArangoDB's `/_api/query/rules` lists them).
    static func rules(_ a: Arguments) -> Int32 {
        for rule in Database.optimizerRules {
            Output.out(a.switches.contains("json") ? JSONWriter.string(rule.json) : "\(rule.name)\t\(rule.description)")
        }
        return 0
    }

    static func functions(_ a: Arguments) -> Int32 {
        let all = FunctionRegistry.all.values.sorted { $0.name < $1.name }
        let chosen = a.positional.first.map { n in all.filter { $0.name == n.uppercased() } } ?? all
        if chosen.isEmpty {
            let name = a.positional[0].uppercased()
            if let reason = FunctionRegistry.exclusions[name] {
                Output.err("locus: \(name)() is not available in Locus: \(reason)")
            } else {
                Output.err("locus: unknown function '\(a.positional[0])'")
            }
            return 1
        }
        for f in chosen {
            let arity = "\(f.minArgs)..\(f.maxArgs.map(String.init) ?? "*") args"
            let description = FunctionRegistry.descriptions[f.name] ?? ""
            Output.out("\(f.signature)\t\(arity)\(f.deterministic ? "" : ", non-deterministic")\t\(description)")
        }
        return 0
    }
}
