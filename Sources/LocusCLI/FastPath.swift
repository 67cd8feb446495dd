// The fast path of the two commands scripts and the benchmark harness run most: `locus query`
// and the shell's `-c`/`-f`/pipe. ArgumentParser reads a command through runtime reflection:
// about 26 million instructions (7 ms) in this binary, more than twice the rest of a one-row
// query, because every first dynamic cast scans the binary's 10,000 protocol conformances. A
// plain command line of either is read here instead, in a few thousand instructions. Only a
// line this reader understands completely takes this path: anything else (help, an unknown
// or repeated option, a missing value, a stray argument, `--`) goes to ArgumentParser, which
// stays the one place that defines the commands, explains them and reports their mistakes.

/// A command line of long options (`--name value`, `--name=value`), flags and positional
/// arguments, read only when it is unambiguous.
struct PlainCommandLine {
    private(set) var values: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    /// Reads `arguments`; nil when one is not among `valued` or `flagNames` (short names are
    /// given by `aliases`), is repeated, or lacks its value.
    init?(_ arguments: ArraySlice<String>, valued: Set<String>, flagNames: Set<String>, aliases: [String: String] = [:])
    {
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let argument = arguments[i]
            i += 1
            guard argument.hasPrefix("-"), argument != "-" else {
                positionals.append(argument)
                continue
            }
            var name = aliases[argument] ?? argument
            var inline: String?
            if let eq = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<eq])
                inline = String(argument[argument.index(after: eq)...])
            }
            guard values[name] == nil, !flags.contains(name) else { return nil }
            if valued.contains(name) {
                if let inline {
                    values[name] = inline
                } else {
                    guard i < arguments.endIndex, !arguments[i].hasPrefix("-") else { return nil }
                    values[name] = arguments[i]
                    i += 1
                }
            } else if inline == nil, flagNames.contains(name) {
                flags.insert(name)
            } else {
                return nil
            }
        }
    }

    /// The one flag of `choices` given, nil for none; fails (outer nil) when several are.
    func oneFlag(of choices: [String]) -> String?? {
        let given = choices.filter(flags.contains)
        return given.count > 1 ? nil : .some(given.first)
    }
}

enum FastPath {
    static let locationOptions: Set<String> = ["--db", "--pop", "--dir"]

    static func location(_ line: PlainCommandLine) -> DatabaseLocation {
        DatabaseLocation(db: line.values["--db"], pop: line.values["--pop"], dir: line.values["--dir"])
    }

    /// `locus query …` as a query to run, or nil for ArgumentParser to read.
    static func query(_ arguments: [String]) -> QueryRun? {
        guard arguments.first == "query" else { return nil }
        let formats = RowFormat.allCases.map { "--" + $0.rawValue }
        guard
            let line = PlainCommandLine(
                arguments.dropFirst(), valued: locationOptions.union(["--bind", "--options"]),
                flagNames: Set(formats + ["--json"])),
            line.positionals.count == 1, case .some(let format) = line.oneFlag(of: formats)
        else { return nil }
        let json = line.flags.contains("--json")
        guard !(json && format != nil) else { return nil }
        return QueryRun(
            location: location(line), bind: line.values["--bind"], options: line.values["--options"], json: json,
            format: format.flatMap { RowFormat(rawValue: String($0.dropFirst(2))) }, query: line.positionals[0])
    }

    /// `locus shell …` (as `withDefaultCommand` names it) as a shell to run, or nil.
    static func shell(_ arguments: [String]) -> ShellRun? {
        guard arguments.first == "shell" else { return nil }
        let modes = OutputModeFlag.names
        guard
            let line = PlainCommandLine(
                arguments.dropFirst(), valued: locationOptions.union(["--command", "--file"]),
                flagNames: Set(modes + ["--bail", "--quiet", "--no-history", "--no-color"]),
                aliases: ["-c": "--command", "-f": "--file", "-q": "--quiet"]),
            line.positionals.isEmpty, case .some(let mode) = line.oneFlag(of: modes)
        else { return nil }
        return ShellRun(
            location: location(line), command: line.values["--command"], file: line.values["--file"],
            bail: line.flags.contains("--bail"), quiet: line.flags.contains("--quiet"),
            noHistory: line.flags.contains("--no-history"), noColor: line.flags.contains("--no-color"),
            mode: mode.flatMap { OutputModeFlag.mode($0) })
    }
}
