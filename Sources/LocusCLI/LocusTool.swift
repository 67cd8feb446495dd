// `locus` itself: the list of subcommands, and the default one, the shell. On a terminal
// the shell is the interactive prompt (libedit, history, completion, Ctrl-C cancelling
// queries); on a pipe it reads statements with no prompt; `-c QUERY` and `-f FILE` run and
// exit. The exit status is 1 after any error.

import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Locus
import LocusShell

extension OutputMode: EnumerableFlag {
    public static func help(for value: OutputMode) -> ArgumentHelp? {
        ArgumentHelp("Show results as \(value.summary).")
    }
}

/// The output modes as the shell's flags spell them.
enum OutputModeFlag {
    static let names = OutputMode.allCases.map { "--" + $0.rawValue }
    static func mode(_ flag: String) -> OutputMode? { OutputMode(rawValue: String(flag.dropFirst(2))) }
}

struct LocusTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locus",
        abstract: "Locus: an embeddable multi-model database for the edge, queried in C8QL (ArangoDB's AQL).",
        discussion: """
            With no subcommand, locus is the shell: a prompt on a terminal, a script reader on a pipe.
            'locus help SUBCOMMAND' shows a subcommand's options.
            """,
        version: "locus 0.1.0 (C8QL / AQL 3.12 dialect)",
        subcommands: [
            ShellCommand.self, Query.self, Explain.self, CollectionCommand.self, IndexCommand.self, GraphCommand.self,
            ImportCommand.self, ExportCommand.self, Bench.self, Functions.self, Rules.self, WorkerCommand.self,
            AnalyzerCommand.self, ViewCommand.self,
            Changes.self, FabricCommand.self, Serve.self, SyncCommand.self, PolicyCommand.self,
            ComplianceCommand.self,
        ])

    /// Arguments that belong to `locus` itself rather than to the shell.
    static let ownOptions: Set<String> = ["-h", "--help", "--version", "--generate-completion-script"]

    /// The command line with the shell named when it starts with the shell's options (or is
    /// empty): the shell is the default command. (Not ArgumentParser's `defaultSubcommand`,
    /// which reflects over the shell's options on every run, whatever the command.)
    static func withDefaultCommand(_ arguments: [String]) -> [String] {
        guard let first = arguments.first else { return ["shell"] }
        let name = String(first.prefix { $0 != "=" })
        return first.hasPrefix("-") && !ownOptions.contains(name) ? ["shell"] + arguments : arguments
    }
}

/// `locus [shell] [--db PATH | --pop NAME --dir DIR] [-c QUERY | -f FILE] …`.
struct ShellCommand: LocusCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "The shell (the default): a prompt on a terminal, a script reader on a pipe.",
        discussion: "-c and -f run and exit. The exit status is 1 after any error.")

    @OptionGroup var target: DatabaseTarget

    @Option(name: [.short, .customLong("command")], help: ArgumentHelp("Run this query and exit.", valueName: "query"))
    var command: String?

    @Option(name: [.short, .customLong("file")], help: ArgumentHelp("Run this script and exit.", valueName: "file"))
    var file: String?

    @Flag(help: "Stop at the first error.")
    var bail = false

    @Flag(name: [.short, .long], help: "No welcome line.")
    var quiet = false

    @Flag(name: .customLong("no-history"), help: "Keep no history file.")
    var noHistory = false

    @Flag(name: .customLong("no-color"), help: "No colour.")
    var noColor = false

    @Flag(exclusivity: .exclusive)
    var mode: OutputMode?

    func execute() throws -> Int32 {
        try ShellRun(
            location: target.location, command: command, file: file, bail: bail, quiet: quiet, noHistory: noHistory,
            noColor: noColor, mode: mode
        ).execute()
    }
}

/// The shell as its command line asked for it, parsed by ArgumentParser or by `FastPath`.
struct ShellRun {
    var location: DatabaseLocation
    var command: String?
    var file: String?
    var bail = false
    var quiet = false
    var noHistory = false
    var noColor = false
    var mode: OutputMode?

    func execute() throws -> Int32 {
        let db = try location.open()
        let interactive = command == nil && file == nil && isatty(0) != 0
        var options = Shell.Options()
        options.mode = mode ?? (interactive ? .auto : .jsonl)
        options.bail = bail
        options.quiet = quiet
        if noColor { options.colour = false }
        options.fabricDirectory = location.dir
        let shell = Shell(database: db, screen: TerminalScreen(), options: options)
        if let command {
            shell.execute(command)
            return shell.status
        }
        if let file {
            shell.execute(String(decoding: try Database.readFile(file), as: UTF8.self))
            return shell.status
        }
        guard interactive else { return shell.run(PlainLineReader()) }
        Interrupt.install()
        let reader = EditLineReader(historyFile: noHistory ? nil : ShellRun.historyPath()) {
            [unowned shell] line, start, cursor in shell.completions(line: line, wordStart: start, cursor: cursor)
        }
        return shell.run(reader)
    }

    /// `$LOCUS_HISTORY` (empty: no history), else `~/.locus_history`.
    static func historyPath() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["LOCUS_HISTORY"] { return p.isEmpty ? nil : p }
        return (env["HOME"] ?? ".") + "/.locus_history"
    }
}
