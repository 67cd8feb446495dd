// `locus` with no subcommand: the shell. On a terminal it is the interactive prompt (libedit,
// history, completion, Ctrl-C cancelling queries); on a pipe it reads statements with no
// prompt; `-c QUERY` and `-f FILE` run and exit. The exit status is 1 after any error.

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Locus
import LocusSyntax
import LocusShell

extension Commands {
    static let shellFlags = Set(
        ["bail", "quiet", "no-history", "no-color", "help"] + OutputMode.allCases.map(\.rawValue))

    /// Short options as their long forms.
    static let shortOptions = ["-c": "--command", "-f": "--file", "-q": "--quiet"]

    static func shell(_ argv: [String]) -> Int32 {
        do {
            let a = try Arguments(argv.map { shortOptions[$0] ?? $0 }, flags: shellFlags)
            if a.switches.contains("help") { Output.out(usage); return 0 }
            if let extra = a.positional.first { throw Arguments.UsageError(message: "unexpected argument '\(extra)'") }
            let modes = OutputMode.allCases.filter { a.switches.contains($0.rawValue) }
            if modes.count > 1 { throw Arguments.UsageError(message: "choose one output mode") }
            let db = try open(a)
            let interactive = a.options["command"] == nil && a.options["file"] == nil && isatty(0) != 0
            var options = Shell.Options()
            options.mode = modes.first ?? (interactive ? .auto : .jsonl)
            options.bail = a.switches.contains("bail")
            options.quiet = a.switches.contains("quiet")
            if a.switches.contains("no-color") { options.colour = false }
            options.fabricDirectory = a.options["dir"]
            let shell = Shell(database: db, screen: TerminalScreen(), options: options)
            if let command = a.options["command"] {
                shell.execute(command)
                return shell.status
            }
            if let file = a.options["file"] {
                shell.execute(String(decoding: try Database.readFile(file), as: UTF8.self))
                return shell.status
            }
            guard interactive else { return shell.run(PlainLineReader()) }
            Interrupt.install()
            let reader = EditLineReader(historyFile: a.switches.contains("no-history") ? nil : historyPath()) {
                [unowned shell] line, start, cursor in shell.completions(line: line, wordStart: start, cursor: cursor)
            }
            return shell.run(reader)
        } catch let e as Arguments.UsageError {
            Output.err("locus: \(e.message)\n\n\(usage)")
            return 2
        } catch let e as LocusError {
            Output.err(e.rendered())
            return 1
        } catch {
            Output.err(LocusError(.internalError, "\(error)").rendered())
            return 1
        }
    }

    /// `$LOCUS_HISTORY` (empty: no history), else `~/.locus_history`.
    static func historyPath() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["LOCUS_HISTORY"] { return p.isEmpty ? nil : p }
        return (env["HOME"] ?? ".") + "/.locus_history"
    }
}
