// Runs one command line: swift-argument-parser reads it into a command, the command runs,
// and every failure becomes the CLI's contract: exit status 2 and the command's usage for a
// bad command line, 1 and the ArangoDB error (as JSON on stdout under `--json`, else
// rendered on stderr with a caret under the query text) for a failed operation.

import ArgumentParser
import Locus
import LocusSyntax

/// A `locus` command that does its work and reports its exit status.
protocol LocusCommand: ParsableCommand {
    /// Does the command's work; returns the process exit status.
    func execute() throws -> Int32
    /// Whether errors go to stdout as ArangoDB's error JSON (`--json`).
    var errorsAsJSON: Bool { get }
    /// The query text an error's caret points into.
    var queryText: String? { get }
}

extension LocusCommand {
    var errorsAsJSON: Bool { false }
    var queryText: String? { nil }
}

/// A command line that parsed but cannot run as given (a value out of range, a combination
/// the command refuses): exit status 2 with the command's usage, like a parse error.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

enum CommandRunner {
    /// Parses and runs `arguments`; returns the process exit status.
    static func run(_ given: [String]) -> Int32 {
        let arguments = LocusTool.withDefaultCommand(given)
        if let query = FastPath.query(arguments) {
            return execute(errorsAsJSON: query.json, queryText: query.query, usage: Query.self) {
                try query.execute()
            }
        }
        if let shell = FastPath.shell(arguments) {
            return execute(errorsAsJSON: false, queryText: nil, usage: ShellCommand.self) { try shell.execute() }
        }
        let command: ParsableCommand
        do {
            command = try LocusTool.parseAsRoot(arguments)
        } catch {
            return reportParseFailure(error, arguments: arguments)
        }
        guard let runnable = command as? LocusCommand else {
            // A group such as `locus collection` with no subcommand: its help.
            var group = command
            do { try group.run() } catch { return reportParseFailure(error, arguments: arguments) }
            return 0
        }
        return execute(
            errorsAsJSON: runnable.errorsAsJSON, queryText: runnable.queryText, usage: type(of: runnable),
            runnable.execute)
    }

    /// Runs a command's work and turns its failure into the exit status and report the
    /// contract gives.
    static func execute(
        errorsAsJSON json: Bool, queryText: String?, usage: ParsableCommand.Type, _ body: () throws -> Int32
    ) -> Int32 {
        do {
            return try body()
        } catch let e as UsageError {
            return reportUsage(e.message, of: usage, json: json)
        } catch let e as LocusError {
            if json {
                Output.out(Output.errorJSON(e))
            } else {
                Output.err(e.rendered(query: queryText))
            }
            return 1
        } catch {
            let e = LocusError(.internalError, "\(error)")
            if json { Output.out(Output.errorJSON(e)) } else { Output.err(e.rendered()) }
            return 1
        }
    }

    /// Help and completion scripts go to stdout with status 0; a bad command line gets its
    /// message and usage with status 2 (as ArangoDB error 10 on stdout under a subcommand's
    /// `--json`; the shell's `--json` is an output mode, not an error format).
    static func reportParseFailure(_ error: Error, arguments: [String]) -> Int32 {
        if LocusTool.exitCode(for: error) == .success {
            Output.out(LocusTool.fullMessage(for: error))
            return 0
        }
        let subcommand =
            arguments.first.map { !$0.hasPrefix("-") && $0 != ShellCommand.configuration.commandName } ?? false
        if subcommand && arguments.contains("--json") {
            Output.out(Output.errorJSON(LocusError(.badParameter, LocusTool.message(for: error))))
        } else {
            Output.err(LocusTool.fullMessage(for: error))
        }
        return 2
    }

    static func reportUsage(_ message: String, of command: ParsableCommand.Type, json: Bool) -> Int32 {
        if json {
            Output.out(Output.errorJSON(LocusError(.badParameter, message)))
        } else {
            Output.err("Error: \(message)\nUsage: " + LocusTool.usageString(for: command))
        }
        return 2
    }
}
