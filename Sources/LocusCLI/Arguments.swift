// A small command-line reader: positional arguments, `--flag value` options and boolean
// switches, with usage errors that name the problem.

/// Parsed command-line arguments of one subcommand.
struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var switches: Set<String> = []

    struct UsageError: Error { let message: String }

    /// Reads `args`; `flags` lists the switches that take no value.
    init(_ args: [String], flags: Set<String>) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--" {
                positional += args[(i + 1)...]
                break
            }
            if a.hasPrefix("--") && a.count > 2 {
                var name = String(a.dropFirst(2))
                var value: String? = nil
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if flags.contains(name) {
                    switches.insert(name)
                } else {
                    if value == nil {
                        guard i + 1 < args.count else { throw UsageError(message: "option --\(name) needs a value") }
                        i += 1
                        value = args[i]
                    }
                    options[name] = value
                }
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    func require(_ index: Int, _ what: String) throws -> String {
        guard index < positional.count else { throw UsageError(message: "missing \(what)") }
        return positional[index]
    }
}
