// The fast path of `locus query`, the command scripts and the benchmark harness run most.
// ArgumentParser reads a command through runtime reflection: about 30 million instructions
// (8 ms) in this binary, three times the rest of a one-row query, because every first
// dynamic cast scans the binary's 10,000 protocol conformances. A plain `query` command line
// is read here instead, in a few thousand instructions. Only a line this reader understands
// completely takes this path: anything else (help, an unknown or repeated option, a missing
// value, a second argument, `--`) goes to ArgumentParser, which stays the one place that
// defines the command, explains it and reports its mistakes.

enum QueryFastPath {
    /// The options with a value that `query` takes.
    private static let valued: Set<String> = ["--db", "--pop", "--dir", "--bind", "--options"]

    private static func set(_ name: String, _ value: String, in run: inout QueryRun) {
        switch name {
        case "--db": run.location.db = value
        case "--pop": run.location.pop = value
        case "--dir": run.location.dir = value
        case "--bind": run.bind = value
        default: run.options = value
        }
    }

    /// `arguments` as a query to run, or nil for ArgumentParser to read.
    static func parse(_ arguments: [String]) -> QueryRun? {
        guard arguments.first == "query" else { return nil }
        var run = QueryRun(location: DatabaseLocation(), query: "")
        var query: String?
        var seen: Set<String> = []
        var i = 1
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            guard argument.hasPrefix("-") else {
                guard query == nil else { return nil }
                query = argument
                continue
            }
            var name = argument
            var inline: String?
            if let eq = argument.firstIndex(of: "=") {
                name = String(argument[..<eq])
                inline = String(argument[argument.index(after: eq)...])
            }
            guard seen.insert(name).inserted else { return nil }
            if valued.contains(name) {
                let value: String
                if let inline {
                    value = inline
                } else {
                    guard i < arguments.count, !arguments[i].hasPrefix("-") else { return nil }
                    value = arguments[i]
                    i += 1
                }
                set(name, value, in: &run)
            } else if inline == nil, name == "--json" {
                run.json = true
            } else if inline == nil, name.hasPrefix("--"), let format = RowFormat(rawValue: String(name.dropFirst(2))) {
                guard run.format == nil else { return nil }
                run.format = format
            } else {
                return nil
            }
        }
        guard let query, !(run.json && run.format != nil) else { return nil }
        run.query = query
        return run
    }
}
