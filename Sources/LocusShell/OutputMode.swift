// The shell's output modes (`.mode`, `--json`, `--jsonl`, `--csv`): the one table of their
// names and what each is for; `.help`, completion and the argument parser read it.

/// How the shell prints results.
public enum OutputMode: String, CaseIterable, Sendable {
    /// A table, except that a single document is shown as indented JSON.
    case auto
    /// A box-drawn table sized to the terminal, one column per attribute.
    case table
    /// The whole result as one indented JSON array.
    case json
    /// One compact JSON value per line.
    case jsonl
    /// Comma-separated values with a header line (RFC 4180 quoting).
    case csv
    /// A GitHub-flavoured Markdown table.
    case markdown
    /// One attribute per line, rows separated by a blank line (psql's `\x`).
    case line

    /// What the mode shows, in a few words.
    public var summary: String {
        switch self {
        case .auto: "a table; a single document as indented JSON"
        case .table: "a table sized to the terminal"
        case .json: "one indented JSON array"
        case .jsonl: "one JSON value per line"
        case .csv: "comma-separated values with a header"
        case .markdown: "a Markdown table"
        case .line: "one attribute per line"
        }
    }
}
