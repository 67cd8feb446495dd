// The dot-commands: the one table of their names, psql-style `\` aliases, arguments, help and
// handlers. `.help`, tab completion and the dispatcher all read this table.

#if canImport(Glibc)
import Glibc
#endif
import Locus
import LocusFunctions
import LocusPlanner
import LocusValues

/// One dot-command.
struct DotCommand: Sendable {
    let name: String
    /// psql-style aliases, such as `\q` for `.quit`.
    var aliases: [String] = []
    let usage: String
    let summary: String
    /// Completion candidates for each argument position; nil entries mean file names.
    var arguments: @Sendable (Shell, Int) -> [String]? = { _, _ in [] }
    let run: @Sendable (Shell, Invocation) throws -> Void

    /// What followed the command name: its words, and the raw text for commands whose
    /// argument is a query, a JSON value or a format.
    struct Invocation: Sendable {
        let words: [String]
        let rest: String
    }
}

extension Shell {
    /// Every dot-command, in the order `.help` lists them.
    static let commands: [DotCommand] = [
        DotCommand(
            name: ".help", aliases: ["\\?", "\\h"], usage: "[COMMAND]", summary: "list the commands, or explain one",
            arguments: { _, i in i == 0 ? Shell.commands.map(\.name) : [] }
        ) { shell, inv in
            try shell.help(inv.words.first)
        },
        DotCommand(name: ".quit", aliases: ["\\q", ".exit"], usage: "", summary: "leave the shell (Ctrl-D too)") {
            shell, _ in
            shell.quitting = true
        },
        DotCommand(name: ".collections", aliases: ["\\d"], usage: "", summary: "collections with their type and count")
        { shell, _ in
            let rows: [Value] = try shell.database.collections().map {
                ["name": .string($0.name), "type": .string($0.type.rawValue), "count": .int($0.count)]
            }
            shell.showListing(rows)
        },
        DotCommand(name: ".graphs", usage: "", summary: "named graphs and their edge definitions") { shell, _ in
            shell.showListing(try shell.database.graphs())
        },
        DotCommand(
            name: ".indexes", usage: "COLLECTION", summary: "a collection's indexes",
            arguments: { shell, i in i == 0 ? shell.collectionNames() : [] }
        ) { shell, inv in
            guard inv.words.count == 1 else { throw Shell.usage(".indexes") }
            shell.showListing(try shell.database.indexes(collection: inv.words[0]))
        },
        DotCommand(
            name: ".mode", usage: "[" + OutputMode.allCases.map(\.rawValue).joined(separator: "|") + "]",
            summary: "how results show; alone: the current mode",
            arguments: { _, i in i == 0 ? OutputMode.allCases.map(\.rawValue) : [] }
        ) { shell, inv in
            guard let word = inv.words.first else {
                return shell.say("\(shell.mode.rawValue): \(shell.mode.summary)")
            }
            guard inv.words.count == 1, let mode = OutputMode(rawValue: word.lowercased()) else {
                throw Shell.usage(".mode")
            }
            shell.mode = mode
        },
        DotCommand(
            name: ".timer", aliases: ["\\timing"], usage: "on|off",
            summary: "after each query: time, rows, scans, writes",
            arguments: Shell.onOff
        ) { shell, inv in
            shell.timer = try Shell.switchValue(inv, current: shell.timer, command: ".timer")
        },
        DotCommand(
            name: ".explain", usage: "QUERY | on|off | rules=-all,+RULE,…",
            summary: "a plan; on/off: before each query; rules",
            arguments: { _, i in i == 0 ? ["on", "off", "rules="] : [] }
        ) { shell, inv in
            switch inv.rest.lowercased() {
            case "": throw Shell.usage(".explain")
            case "on": shell.autoExplain = true
            case "off": shell.autoExplain = false
            default:
                if inv.rest.hasPrefix("rules=") {
                    let rules = inv.rest.dropFirst(6).split(separator: ",").map { String($0).trimmingWhitespace() }
                    for r in rules where !r.isEmpty {
                        let name = r.hasPrefix("+") || r.hasPrefix("-") ? String(r.dropFirst()) : r
                        guard name == "all" || Optimizer.ruleNames.contains(name) else {
                            throw Shell.failure("unknown optimizer rule '\(name)'; .rules lists them")
                        }
                    }
                    shell.optimizerRules = rules.filter { !$0.isEmpty }
                    shell.say(
                        shell.optimizerRules.isEmpty
                            ? "all optimizer rules on"
                            : "optimizer rules: " + shell.optimizerRules.joined(separator: ","))
                } else {
                    shell.lastStatement = inv.rest
                    try shell.explain(inv.rest)
                }
            }
        },
        DotCommand(name: ".rules", usage: "", summary: "the optimizer rules and whether each is on") { shell, _ in
            let on = Optimizer.enabled(shell.optimizerRules)
            shell.showListing(Optimizer.ruleNames.map { ["rule": .string($0), "enabled": .bool(on.contains($0))] })
        },
        DotCommand(
            name: ".param", usage: "set NAME JSON | unset NAME | list | clear",
            summary: "bind parameters, for queries naming them",
            arguments: { shell, i in i == 0 ? ["set", "unset", "list", "clear"] : i == 1 ? shell.parameterNames() : [] }
        ) { shell, inv in
            try shell.param(inv)
        },
        DotCommand(
            name: ".worker", usage: "list | save NAME QUERY | run NAME | drop NAME",
            summary: "query workers: saved queries (.param values are the defaults)",
            arguments: { shell, i in i == 0 ? ["list", "save", "run", "drop"] : i == 1 ? shell.workerNames() : [] }
        ) { shell, inv in
            try shell.worker(inv)
        },
        DotCommand(
            name: ".read", aliases: ["\\i"], usage: "FILE", summary: "run the statements and commands in a file",
            arguments: { _, _ in nil }
        ) { shell, inv in
            guard !inv.rest.isEmpty else { throw Shell.usage(".read") }
            let bytes = try Database.readFile(inv.rest)
            shell.execute(String(decoding: bytes, as: UTF8.self))
        },
        DotCommand(
            name: ".output", aliases: ["\\o"], usage: "[FILE]", summary: "results to a file; alone: to the screen",
            arguments: { _, _ in nil }
        ) { shell, inv in
            try shell.redirect(to: inv.rest.isEmpty ? nil : inv.rest, once: false)
        },
        DotCommand(
            name: ".once", usage: "FILE", summary: "the next result to a file",
            arguments: { _, _ in nil }
        ) { shell, inv in
            guard !inv.rest.isEmpty else { throw Shell.usage(".once") }
            try shell.redirect(to: inv.rest, once: true)
        },
        DotCommand(
            name: ".open", aliases: ["\\c"], usage: "PATH", summary: "another database (:memory: for a private one)",
            arguments: { _, _ in nil }
        ) { shell, inv in
            guard !inv.rest.isEmpty else { throw Shell.usage(".open") }
            shell.database = try Database(path: inv.rest)
            shell.lastRows = []
            shell.shownRows = 0
            shell.say("opened \(inv.rest)")
        },
        DotCommand(
            name: ".import", usage: "FILE COLLECTION", summary: "JSON lines or an array, all or nothing",
            arguments: { shell, i in i == 0 ? nil : i == 1 ? shell.collectionNames() : [] }
        ) { shell, inv in
            guard inv.words.count == 2 else { throw Shell.usage(".import") }
            let summary = try shell.database.importFile(atPath: inv.words[0], into: inv.words[1])
            shell.say("imported \(summary.created) document\(summary.created == 1 ? "" : "s") into \(inv.words[1])")
        },
        DotCommand(
            name: ".export", usage: "COLLECTION FILE", summary: "a collection to a file, one JSON per line",
            arguments: { shell, i in i == 0 ? shell.collectionNames() : i == 1 ? nil : [] }
        ) { shell, inv in
            guard inv.words.count == 2 else { throw Shell.usage(".export") }
            let n = try shell.database.exportFile(inv.words[0], toPath: inv.words[1])
            shell.say("exported \(n) document\(n == 1 ? "" : "s") to \(inv.words[1])")
        },
        DotCommand(
            name: ".pop", usage: "[NAME]", summary: "act as a PoP of the fabric; alone: which one",
            arguments: { shell, i in i == 0 ? shell.popNames() : [] }
        ) { shell, inv in
            try shell.switchPoP(inv.words.first)
        },
        DotCommand(
            name: ".policy", usage: "[set FILE]", summary: "the placement policy, or set it from a file",
            arguments: { _, i in i == 0 ? ["set"] : nil }
        ) { shell, inv in
            try shell.policy(inv)
        },
        DotCommand(
            name: ".placement", usage: "COLLECTION KEY", summary: "where a record may live, and why",
            arguments: { shell, i in i == 0 ? shell.collectionNames() : [] }
        ) { shell, inv in
            guard inv.words.count == 2 else { throw Shell.usage(".placement") }
            let e = try shell.database.explainPlacement(collection: inv.words[0], key: inv.words[1])
            shell.say(
                "\(inv.words[0])/\(inv.words[1]) may live at \(e.allowed): \(e.reason)"
                    + (e.heldHere ? "; held at \(e.pop)" : "; not held at \(e.pop)"))
        },
        DotCommand(name: ".history", usage: "[N]", summary: "the last N statements (all without N)") { shell, inv in
            let all = shell.reader.history
            let count = inv.words.first.map { Int($0) ?? -1 } ?? all.count
            guard count >= 0, inv.words.count <= 1 else { throw Shell.usage(".history") }
            let first = max(0, all.count - count)
            for (i, entry) in all.enumerated().dropFirst(first) {
                let lines = entry.split(separator: "\n", omittingEmptySubsequences: false)
                shell.say(
                    DisplayWidth.pad(String(i + 1), to: 5, right: true) + "  " + lines.joined(separator: "\n       "))
            }
        },
        DotCommand(name: ".edit", aliases: ["\\e"], usage: "", summary: "edit the last statement in $EDITOR, run it") {
            shell, _ in
            try shell.edit()
        },
        DotCommand(name: ".format", usage: "[QUERY]", summary: "a query (or the last) laid out by clause") {
            shell, inv in
            guard let text = inv.rest.isEmpty ? shell.lastStatement : inv.rest else { throw Shell.usage(".format") }
            shell.say(try QueryFormatter.format(text))
        },
        DotCommand(name: ".last", usage: "", summary: "the whole last result again, paged") { shell, _ in
            let text = ResultFormatter(mode: shell.mode, width: shell.screen.size.columns).render(shell.lastRows[...])
            if !(shell.screen.isTerminal && Pager.show(text)) { shell.screen.write(text) }
            shell.shownRows = shell.lastRows.count
        },
        DotCommand(name: ".more", usage: "", summary: "the next rows of a long result (or: more)") { shell, _ in
            shell.showMore()
        },
        DotCommand(
            name: ".pager", usage: "auto|on|off", summary: "page long results; off: in batches",
            arguments: { _, i in i == 0 ? PagerSetting.allCases.map(\.rawValue) : [] }
        ) { shell, inv in
            guard inv.words.count == 1, let p = PagerSetting(rawValue: inv.words[0]) else {
                throw Shell.usage(".pager")
            }
            shell.pager = p
        },
        DotCommand(name: ".batch", usage: "N", summary: "rows per batch with the pager off (20)") { shell, inv in
            guard inv.words.count == 1, let n = Int(inv.words[0]), n > 0 else { throw Shell.usage(".batch") }
            shell.batchSize = n
        },
        DotCommand(name: ".prompt", usage: "FORMAT", summary: "%d database, %p PoP, %P @PoP, %t run time") {
            shell, inv in
            guard !inv.rest.isEmpty else { throw Shell.usage(".prompt") }
            var format = inv.rest
            if format.count >= 2, format.first == "\"", format.last == "\"" {
                format = String(format.dropFirst().dropLast())
            }
            shell.promptFormat = format
        },
        DotCommand(
            name: ".keywordcase", usage: "upper|lower|preserve", summary: "the case completion gives keywords",
            arguments: { _, i in i == 0 ? KeywordCase.allCases.map(\.rawValue) : [] }
        ) { shell, inv in
            guard inv.words.count == 1, let c = KeywordCase(rawValue: inv.words[0]) else {
                throw Shell.usage(".keywordcase")
            }
            shell.keywordCase = c
        },
        DotCommand(name: ".functions", usage: "[PREFIX]", summary: "functions, their signatures and purpose") {
            shell, inv in
            let prefix = inv.words.first?.uppercased() ?? ""
            let chosen = FunctionRegistry.all.values.filter { $0.name.hasPrefix(prefix) }.sorted { $0.name < $1.name }
            guard !chosen.isEmpty else { throw Shell.failure("no function starts with '\(prefix)'") }
            for f in chosen {
                shell.say(f.signature + "  " + shell.style.dim(FunctionRegistry.descriptions[f.name] ?? ""))
            }
        },
        DotCommand(name: ".bail", usage: "on|off", summary: "stop at the first error", arguments: Shell.onOff) {
            shell, inv in
            shell.bail = try Shell.switchValue(inv, current: shell.bail, command: ".bail")
        },
        DotCommand(name: ".sample", usage: "", summary: "load documents, a graph and key-value data") { shell, _ in
            try SampleData.load(into: shell.database)
            shell.say(SampleData.summary)
        },
    ]

    static let commandsByName: [String: DotCommand] = {
        var d: [String: DotCommand] = [:]
        for c in commands {
            d[c.name] = c
            for a in c.aliases { d[a] = c }
        }
        return d
    }()

    static func usage(_ name: String) -> LocusError {
        let c = commandsByName[name]!
        return Shell.failure("usage: \(c.name) \(c.usage)".trimmingWhitespace())
    }

    /// A shell error: a usage mistake or a file that cannot be read (ArangoDB's 10, bad
    /// parameter), with the message alone.
    static func failure(_ message: String) -> LocusError { LocusError(code: .badParameter, message: message) }

    static let onOff: @Sendable (Shell, Int) -> [String]? = { _, i in i == 0 ? ["on", "off"] : [] }

    /// `on`, `off`, or (for the psql aliases) nothing, which toggles.
    static func switchValue(_ inv: DotCommand.Invocation, current: Bool, command: String) throws -> Bool {
        switch inv.words.first?.lowercased() {
        case nil: return !current
        case "on"? where inv.words.count == 1: return true
        case "off"? where inv.words.count == 1: return false
        default: throw usage(command)
        }
    }

    /// Runs a dot-command line.
    func runCommand(_ line: String) {
        let name = String(line.prefix { $0 != " " && $0 != "\t" })
        let rest = String(line.dropFirst(name.count)).trimmingWhitespace()
        attempt {
            if name == "\\x" {
                mode = mode == .line ? .auto : .line
                return say("mode \(mode.rawValue)")
            }
            guard let command = Shell.commandsByName[name] else {
                throw Shell.failure("unknown command '\(name)'; .help lists the commands")
            }
            let words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            try command.run(self, DotCommand.Invocation(words: words, rest: rest))
        }
    }

    func help(_ name: String?) throws {
        if let name {
            guard let c = Shell.commandsByName[name.hasPrefix(".") || name.hasPrefix("\\") ? name : "." + name] else {
                throw Shell.failure("unknown command '\(name)'; .help lists the commands")
            }
            say(
                "\(c.name) \(c.usage)".trimmingWhitespace() + "\n  " + c.summary
                    + (c.aliases.isEmpty ? "" : "\n  also: " + c.aliases.joined(separator: ", ")))
            return
        }
        say("Enter a C8QL query; it runs once complete (or at a ';'). EXPLAIN QUERY shows its plan.")
        let left = Shell.commands.map { "\($0.name) \($0.usage)".trimmingWhitespace() }
        let width = min(34, left.map(DisplayWidth.of).max() ?? 0)
        for (c, l) in zip(Shell.commands, left) {
            say(
                (DisplayWidth.of(l) > width
                    ? l + "\n" + String(repeating: " ", count: width) : DisplayWidth.pad(l, to: width)) + "  "
                    + c.summary)
        }
        say(
            """
            Tab completes keywords, functions, collections, graphs, @parameters and the
            attributes of the last result. Ctrl-R searches the history, Ctrl-C cancels a
            running query, Ctrl-D quits. psql's \\q \\? \\i \\o \\e \\x \\timing work too.
            """)
    }

    /// Catalog listings use the current mode, but never the pager or batches.
    func showListing(_ rows: [Value]) {
        screen.write(
            ResultFormatter(
                mode: mode == .auto ? .table : mode, width: interactive ? screen.size.columns : nil,
                style: style
            ).render(rows[...]))
    }

    func collectionNames() -> [String] { ((try? database.collections()) ?? []).map(\.name) }
    func graphNames() -> [String] { ((try? database.graphs()) ?? []).compactMap { $0[attribute: "name"].stringValue } }
    func parameterNames() -> [String] { parameters.keys.map { "@" + $0 }.sorted() }
    func popNames() -> [String] { (try? fabricDirectoryPath().map { try LocalFabric(directory: $0).pops }) ?? [] }

    func param(_ inv: DotCommand.Invocation) throws {
        switch inv.words.first {
        case "set"?:
            guard inv.words.count >= 3 else { throw Shell.usage(".param") }
            let name = Shell.parameterKey(inv.words[1])
            let json = String(String(inv.rest.dropFirst(3)).trimmingWhitespace().dropFirst(inv.words[1].count))
                .trimmingWhitespace()
            parameters[name] = try JSONReader.parse(json)
        case "unset"? where inv.words.count == 2:
            parameters[Shell.parameterKey(inv.words[1])] = nil
        case "list"? where inv.words.count == 1, nil:
            for key in parameters.keys.sorted() { say("@\(key) = \(JSONWriter.string(parameters[key]!))") }
        case "clear"? where inv.words.count == 1:
            parameters = [:]
        default:
            throw Shell.usage(".param")
        }
    }

    /// The bind-variable key of a parameter name: `@x` and `x` are `x`, `@@c` is `@c`.
    static func parameterKey(_ name: String) -> String {
        name.hasPrefix("@") ? String(name.dropFirst()) : name
    }

    func redirect(to path: String?, once: Bool) throws {
        closeOutputFile()
        guard let path else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw Shell.failure("cannot write '\(path)'") }
        outputFile = (fd, path, once)
    }

    func fabricDirectoryPath() -> String? {
        if let fabricDirectory { return fabricDirectory }
        if let env = getenv("LOCUS_FABRIC_DIR") { return String(cString: env) }
        guard database.replica != nil, let slash = database.path.lastIndex(of: "/") else { return nil }
        return String(database.path[..<slash])
    }

    func switchPoP(_ name: String?) throws {
        guard let name else {
            guard let replica = database.replica else { return say("this database is not a PoP of a fabric") }
            let pop = try database.fabric().pop(replica.pop)
            return say(
                "PoP \(replica.pop)"
                    + (pop.map {
                        " in \($0.city), \($0.country) (region \($0.region), jurisdictions \($0.jurisdictions.joined(separator: ",")))"
                    } ?? ""))
        }
        guard let directory = fabricDirectoryPath() else {
            throw Shell.failure("no local fabric: start with --dir FABRIC_DIR or set $LOCUS_FABRIC_DIR")
        }
        database = try LocalFabric(directory: directory).open(name)
        fabricDirectory = directory
        lastRows = []
        shownRows = 0
        say("acting as PoP \(name): queries see only what \(name) may hold")
    }

    func policy(_ inv: DotCommand.Invocation) throws {
        switch (inv.words.first, inv.words.count) {
        case (nil, 0):
            guard let p = try database.placementPolicy() else {
                throw LocusError(.policyInvalid, "this database has no placement policy")
            }
            say(p.text)
        case ("set"?, 2):
            let bytes = try Database.readFile(inv.words[1])
            try database.setPlacementPolicy(String(decoding: bytes, as: UTF8.self))
            say("policy version \(try database.placementPolicy()?.version ?? 0) set")
        default:
            throw Shell.usage(".policy")
        }
    }

    /// Opens the last statement in the user's editor and runs what comes back.
    func edit() throws {
        guard interactive else { throw Shell.failure(".edit needs a terminal") }
        var template = Array("/tmp/locus-edit-XXXXXX.aql".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        guard fd >= 0 else { throw Shell.failure("cannot create a temporary file") }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        TerminalScreen.write(fd: fd, (lastStatement ?? "") + "\n")
        close(fd)
        let editor =
            [getenv("VISUAL"), getenv("EDITOR")].compactMap { $0.map { String(cString: $0) } }.first { !$0.isEmpty }
            ?? "vi"
        let status = Shell.spawn(["/bin/sh", "-c", editor + " \"$1\"", "sh", path])
        guard status == 0 else { throw Shell.failure("the editor '\(editor)' failed (status \(status))") }
        let text = String(decoding: try Database.readFile(path), as: UTF8.self).trimmingWhitespace()
        guard !text.isEmpty else { return }
        reader.remember(text)
        execute(text)
    }

    /// Runs a program on the terminal and waits for it; its exit status.
    static func spawn(_ argv: [String]) -> Int32 {
        var pid = pid_t()
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        guard posix_spawn(&pid, argv[0], nil, nil, &cargs, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }
}
