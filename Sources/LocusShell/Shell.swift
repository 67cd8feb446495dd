// The shell core: reads statements through a LineReader, runs queries and dot-commands
// against a Database, and writes everything through a Screen. It owns the session state:
// output mode, bind parameters, timer, pager, prompt, the last result. Terminal or pipe,
// prompt or script, it is the same code; transcript tests drive it with a scripted reader.

#if canImport(Glibc)
import Glibc
#endif
import Locus
import LocusSyntax
import LocusValues

/// An interactive C8QL shell session over one database.
public final class Shell {
    /// How a session starts.
    public struct Options: Sendable {
        /// The output mode.
        public var mode: OutputMode?
        /// Stop at the first error (and exit non-zero).
        public var bail = false
        /// No welcome line.
        public var quiet = false
        /// Colour: nil decides from the terminal and NO_COLOR.
        public var colour: Bool?
        /// The local fabric directory `.pop` switches within.
        public var fabricDirectory: String?
        public init() {}
    }

    var database: Database
    let screen: Screen
    var reader: LineReader = PlainLineReader()

    var mode: OutputMode
    var bail: Bool
    let quiet: Bool
    let colourSetting: Bool?
    var fabricDirectory: String?
    var timer = false
    var autoExplain = false
    var optimizerRules: [String] = []
    var pager = PagerSetting.auto
    var batchSize = 20
    var keywordCase = KeywordCase.upper
    var promptFormat = "locus%P> "
    /// Bind parameters by their bind-variable key: `name` for `@name`, `@name` for `@@name`.
    var parameters: [String: Value] = [:]
    /// Where results go instead of the screen: `.output FILE` (until reset) or `.once FILE`.
    var outputFile: (descriptor: Int32, path: String, once: Bool)?
    /// The last query's rows, and how many of them have been shown.
    var lastRows: [Value] = []
    var shownRows = 0
    /// Whether the last result is being shown in batches, so that `more` continues it.
    var batched = false
    var lastStatement: String?
    var lastDuration: Double?
    var failures = 0
    var quitting = false
    /// The statement being typed at the prompt.
    var buffer = StatementBuffer()

    /// A shell over `database`, writing to `screen`.
    public init(database: Database, screen: Screen, options: Options = Options()) {
        self.database = database
        self.screen = screen
        self.mode = options.mode ?? .auto
        self.bail = options.bail
        self.quiet = options.quiet
        self.colourSetting = options.colour
        self.fabricDirectory = options.fabricDirectory
    }

    /// Whether a person is watching: prompts, greeting, batches.
    var interactive: Bool { reader.isInteractive }

    var style: Style {
        let on = colourSetting ?? (screen.isTerminal && getenv("NO_COLOR") == nil)
        return Style(enabled: on)
    }

    // MARK: - The read loop

    /// Reads and runs statements until end of input or `.quit`; returns the exit status:
    /// 1 when a statement failed (at a prompt only with `--bail`), else 0.
    public func run(_ reader: LineReader) -> Int32 {
        self.reader = reader
        if reader.isInteractive && !quiet {
            say(style.bold("locus 0.1.0") + " on \(database.path). Enter .help for help, .sample for sample data.")
        }
        while !quitting {
            switch reader.read(prompt: buffer.isEmpty ? prompt() : continuationPrompt()) {
            case .end:
                // At a prompt, Ctrl-D abandons an unfinished statement, as psql does; piped
                // input that ends mid-statement runs it, so that the script sees the error.
                let rest = buffer.text.trimmingWhitespace()
                if !rest.isEmpty && !reader.isInteractive { runStatement(rest) }
                quitting = true
            case .interrupted:
                buffer.clear()
            case .line(let line):
                if buffer.isEmpty {
                    let trimmed = line.trimmingWhitespace()
                    if trimmed.isEmpty { continue }
                    if trimmed.hasPrefix(".") || trimmed.hasPrefix("\\") {
                        reader.remember(trimmed)
                        runCommand(trimmed)
                        continue
                    }
                    if trimmed == "more" && batched {
                        showMore()
                        continue
                    }
                }
                for statement in buffer.add(line) where !quitting {
                    reader.remember(statement)
                    runStatement(statement)
                }
            }
        }
        closeOutputFile()
        return failures > 0 && (bail || !reader.isInteractive) ? 1 : 0
    }

    /// Runs text holding statements and dot-commands (`-c`, `.read`): each line starting
    /// with `.` is a command, the rest are statements ended by `;` or by being complete.
    public func execute(_ text: String) {
        var buffer = StatementBuffer()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !quitting {
            let trimmed = String(line).trimmingWhitespace()
            if buffer.isEmpty && (trimmed.hasPrefix(".") || trimmed.hasPrefix("\\")) {
                runCommand(trimmed)
                continue
            }
            for statement in buffer.add(String(line)) where !quitting { runStatement(statement) }
        }
        let rest = buffer.text.trimmingWhitespace()
        if !rest.isEmpty && !quitting { runStatement(rest) }
    }

    /// Tab-completion candidates for the word from `wordStart` to `cursor` (UTF-8 offsets)
    /// of the line being edited.
    public func completions(line: String, wordStart: Int, cursor: Int) -> [String] {
        var c = Completer()
        c.commands = Shell.commands.map(\.name)
        c.commandArguments = { [unowned self] name, index in
            Shell.commandsByName[name].map { $0.arguments(self, index) } ?? []
        }
        c.collections = collectionNames()
        c.graphs = graphNames()
        c.parameters = parameterNames().map { String($0.dropFirst()) }
        c.attributes = Shell.attributeNames(lastRows.prefix(100))
        c.keywordCase = keywordCase
        c.atStatementStart = buffer.isEmpty
        return c.complete(line: line, wordStart: wordStart, cursor: cursor)
    }

    /// Attribute names at any depth (up to three) of the given rows.
    static func attributeNames(_ rows: ArraySlice<Value>) -> [String] {
        var names = Set<String>()
        func visit(_ v: Value, _ depth: Int) {
            guard depth < 3 else { return }
            switch v {
            case .object(let o): for (k, e) in o { names.insert(k); visit(e, depth + 1) }
            case .array(let a): for e in a.prefix(10) { visit(e, depth + 1) }
            default: break
            }
        }
        for r in rows { visit(r, 0) }
        return names.sorted()
    }

    /// The exit status so far, for `-c` and `-f`.
    public var status: Int32 { failures > 0 ? 1 : 0 }

    func prompt() -> String {
        var out = ""
        var chars = promptFormat.makeIterator()
        while let c = chars.next() {
            guard c == "%" else { out.append(c); continue }
            switch chars.next() {
            case "d": out += databaseName
            case "p": out += database.replica?.pop ?? ""
            case "P": out += database.replica.map { "@" + $0.pop } ?? ""
            case "t": out += lastDuration.map(Shell.duration) ?? ""
            case "%": out += "%"
            case let other?: out += "%" + String(other)
            case nil: out += "%"
            }
        }
        return out
    }

    func continuationPrompt() -> String {
        let width = DisplayWidth.of(prompt())
        return String(repeating: " ", count: max(0, width - 5)) + "...> "
    }

    var databaseName: String {
        if database.path == ":memory:" { return "memory" }
        var name = database.path.split(separator: "/").last.map(String.init) ?? database.path
        if name.hasSuffix(".db") { name.removeLast(3) }
        return name
    }

    // MARK: - Statements

    func runStatement(_ text: String) {
        lastStatement = text
        let words = text.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        if words.count == 2, words[0].uppercased() == "EXPLAIN" {
            attempt(query: String(words[1])) { try self.explain(String(words[1])) }
            return
        }
        attempt(query: text) {
            if self.autoExplain { try self.explain(text) }
            try self.query(text)
        }
    }

    /// The bind variables a query names, from the session's parameters; a missing one is
    /// left out so that the engine reports it (1551).
    func bindVariables(for text: String) -> [String: Value] {
        guard !parameters.isEmpty, let tokens = try? Lexer.tokenize(text) else { return [:] }
        var out: [String: Value] = [:]
        for t in tokens {
            switch t.kind {
            case .bindValue(let n): if let v = parameters[n] { out[n] = v }
            case .bindCollection(let n): if let v = parameters["@" + n] { out["@" + n] = v }
            default: break
            }
        }
        return out
    }

    func query(_ text: String) throws {
        var options = QueryOptions(optimizerRules: optimizerRules)
        options.isCancelled = { Interrupt.isRaised }
        _ = Interrupt.take()
        let started = Shell.now()
        let result = try database.query(text, bindVars: bindVariables(for: text), options: options)
        lastDuration = Shell.now() - started
        show(result.rows)
        for w in result.warnings { sayError(style.yellow("warning \(w.code): \(w.message)")) }
        if timer { sayError(style.dim(timing(result, lastDuration!))) }
    }

    func explain(_ text: String) throws {
        let e = try database.explain(
            text, bindVars: bindVariables(for: text), options: QueryOptions(optimizerRules: optimizerRules))
        emit(
            Shell.fit(
                e.text.hasSuffix("\n") ? e.text : e.text + "\n", to: screen.isTerminal ? screen.size.columns : nil))
    }

    /// Text cut line by line to `columns` display columns (with `…`), so that a wide plan keeps
    /// its layout on a terminal instead of wrapping; unchanged when `columns` is nil.
    static func fit(_ text: String, to columns: Int?) -> String {
        guard let columns, columns > 0 else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { DisplayWidth.truncate(String($0), to: columns) }.joined(separator: "\n")
    }

    func timing(_ r: QueryResult, _ seconds: Double) -> String {
        let s = r.stats
        return "Run Time: \(Shell.duration(seconds)) · \(r.rows.count) row\(r.rows.count == 1 ? "" : "s") · "
            + "scanned \(s.scannedFull) full, \(s.scannedIndex) by index · filtered \(s.filtered) · "
            + "written \(s.writesExecuted), ignored \(s.writesIgnored)"
    }

    /// Runs `body`, reporting an error (with the query's line and caret) instead of throwing.
    func attempt(query: String? = nil, _ body: () throws -> Void) {
        let before = failures
        defer { if failures > before && bail { quitting = true } }
        do {
            try body()
        } catch let e as LocusError {
            failures += 1
            if e.code == .queryKilled && Interrupt.take() {
                // The terminal has echoed ^C where the cursor was.
                sayError((screen.isTerminal ? "\n" : "") + style.red(e.rendered()) + " (cancelled with Ctrl-C)")
            } else {
                sayError(style.red(e.rendered(query: query)))
            }
        } catch {
            failures += 1
            sayError(style.red(LocusError(.internalError, "\(error)").rendered()))
        }
    }

    // MARK: - Showing results

    func show(_ rows: [Value]) {
        lastRows = rows
        shownRows = rows.count
        batched = false
        if outputFile != nil {
            emit(ResultFormatter(mode: mode, width: nil).render(rows[...]))
            return
        }
        guard interactive else {
            screen.write(ResultFormatter(mode: mode, width: nil).render(rows[...]))
            return
        }
        let size = screen.size
        if screen.isTerminal && pager != .off {
            let plain = ResultFormatter(mode: mode, width: size.columns).render(rows[...])
            if pager == .on || plain.utf8.reduce(0, { $0 + ($1 == 0x0A ? 1 : 0) }) > size.rows - 2, Pager.show(plain) {
                return
            }
        }
        if pager == .off && rows.count > batchSize {
            shownRows = 0
            batched = true
            showMore()
            return
        }
        screen.write(ResultFormatter(mode: mode, width: size.columns, style: style).render(rows[...]))
    }

    /// The next batch of the last result (arangosh's `more`).
    func showMore() {
        guard shownRows < lastRows.count else { return say("no more rows") }
        let start = shownRows
        let end = min(lastRows.count, shownRows + batchSize)
        screen.write(
            ResultFormatter(mode: mode, width: screen.size.columns, style: style).render(lastRows[start..<end]))
        shownRows = end
        if end < lastRows.count {
            say(style.dim("rows \(start + 1)–\(end) of \(lastRows.count); type 'more' (or .more) to show more"))
        }
    }

    /// Writes result text to the output file when one is set, else to the screen.
    func emit(_ text: String) {
        if let file = outputFile {
            TerminalScreen.write(fd: file.descriptor, text)
            if file.once { closeOutputFile() }
        } else {
            screen.write(text)
        }
    }

    func closeOutputFile() {
        if let file = outputFile { close(file.descriptor) }
        outputFile = nil
    }

    func say(_ text: String) { screen.write(text + "\n") }
    func sayError(_ text: String) { screen.writeError(text + "\n") }

    static func now() -> Double { MonotonicClock.seconds() }

    static func duration(_ seconds: Double) -> String {
        if seconds < 1 {
            let tenths = Int((seconds * 10_000).rounded())
            return "\(tenths / 10).\(tenths % 10) ms"
        }
        return String(Int(seconds)) + "." + String(Int((seconds * 100).rounded()) % 100 + 100).dropFirst() + " s"
    }
}
