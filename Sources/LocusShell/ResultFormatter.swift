// Renders result rows as text in one output mode: tables that fit the terminal (display-width
// aware, nested values compact), JSON, JSON lines, CSV, Markdown and the expanded line mode.

import LocusValues

/// Turns rows into text.
public struct ResultFormatter {
    var mode: OutputMode
    /// The terminal width tables must fit; nil for no limit (files and pipes).
    var width: Int?
    var style: Style = .plain

    /// A formatter of plain text (no colour); `width` is the width tables must fit, nil for
    /// no limit.
    public init(mode: OutputMode, width: Int? = nil) {
        self.mode = mode
        self.width = width
    }

    init(mode: OutputMode, width: Int?, style: Style) {
        self.mode = mode
        self.width = width
        self.style = style
    }

    /// `rows` in this mode.
    public func render(_ rows: [Value]) -> String { render(rows[...]) }

    /// `rows` in this mode; empty results render as `(no rows)` in table modes.
    func render(_ rows: ArraySlice<Value>) -> String {
        switch mode {
        case .auto:
            if rows.count == 1, case .object = rows.first! { return JSONWriter.pretty(rows.first!) + "\n" }
            return table(rows)
        case .table: return table(rows)
        case .json: return JSONWriter.pretty(.array(Array(rows))) + "\n"
        case .jsonl: return rows.map { JSONWriter.string($0) + "\n" }.joined()
        case .csv: return csv(rows)
        case .markdown: return markdown(rows)
        case .line: return lines(rows)
        }
    }

    // MARK: - Columns and cells

    /// The attribute names of object rows in order of first appearance, or nil when some row
    /// is not an object (then each row is one `result` cell).
    static func columns(_ rows: ArraySlice<Value>) -> [String]? {
        var seen = Set<String>()
        var names: [String] = []
        for row in rows {
            guard case .object(let o) = row else { return nil }
            for (k, _) in o where seen.insert(k).inserted { names.append(k) }
        }
        return rows.isEmpty ? nil : names
    }

    /// A cell's text: strings as they are (control characters escaped), everything else as
    /// compact JSON; a missing attribute is empty.
    static func cell(_ v: Value?) -> String {
        guard let v else { return "" }
        if case .string(let s) = v {
            guard s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return s }
            let quoted = JSONWriter.string(v)
            return String(quoted.dropFirst().dropLast())
        }
        return JSONWriter.string(v)
    }

    static func cells(_ rows: ArraySlice<Value>, _ columns: [String]?) -> [[Value?]] {
        rows.map { row in
            guard let columns, case .object(let o) = row else { return [row] }
            return columns.map { o[$0] }
        }
    }

    // MARK: - Table

    func table(_ rows: ArraySlice<Value>) -> String {
        if rows.isEmpty { return style.dim("(no rows)") + "\n" }
        let columns = ResultFormatter.columns(rows)
        let headers = columns ?? ["result"]
        if headers.isEmpty { return style.dim("(\(rows.count) empty document\(rows.count == 1 ? "" : "s"))") + "\n" }
        let grid = ResultFormatter.cells(rows, columns)
        let texts = grid.map { $0.map(ResultFormatter.cell) }
        var widths = headers.indices.map { c in
            texts.reduce(DisplayWidth.of(headers[c])) { max($0, DisplayWidth.of($1[c])) }
        }
        if let width { fit(&widths, into: width) }
        let numeric = headers.indices.map { c in
            grid.allSatisfy { row in if case .number = row[c] { true } else { row[c] == nil } }
        }
        func rule(_ left: String, _ mid: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: mid) + right + "\n"
        }
        func line(_ values: [String], header: Bool, kinds: [Value?]) -> String {
            var out = "│"
            for (c, text) in values.enumerated() {
                let cut = DisplayWidth.truncate(text, to: widths[c])
                var padded = DisplayWidth.pad(cut, to: widths[c], right: numeric[c] && !header)
                if header { padded = style.bold(padded) } else if kinds[c] == .null { padded = style.dim(padded) }
                out += " " + padded + " │"
            }
            return out + "\n"
        }
        var out = rule("┌", "┬", "┐")
        out += line(headers, header: true, kinds: [])
        out += rule("├", "┼", "┤")
        for (r, row) in texts.enumerated() { out += line(row, header: false, kinds: grid[r]) }
        out += rule("└", "┴", "┘")
        return out
    }

    /// Narrows the widest columns until the table (borders included) fits `total` columns;
    /// no column goes below three.
    func fit(_ widths: inout [Int], into total: Int) {
        func used() -> Int { widths.reduce(0, +) + 3 * widths.count + 1 }
        while used() > total, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 3 {
            widths[widest] -= 1
        }
    }

    // MARK: - CSV, Markdown, line

    func csv(_ rows: ArraySlice<Value>) -> String {
        guard !rows.isEmpty else { return "" }
        let columns = ResultFormatter.columns(rows)
        // RFC 4180: a string goes as it is (raw newlines and all), quoted when it holds a
        // comma, quote or line break, with inner quotes doubled; other values as JSON.
        func field(_ v: Value?) -> String {
            if v == nil || v == .null { return "" }
            let s: String
            if case .string(let text)? = v { s = text } else { s = ResultFormatter.cell(v) }
            guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
            return "\"" + s.replacing("\"", with: "\"\"") + "\""
        }
        var out = (columns ?? ["result"]).map { field(.string($0)) }.joined(separator: ",") + "\n"
        for row in ResultFormatter.cells(rows, columns) { out += row.map(field).joined(separator: ",") + "\n" }
        return out
    }

    func markdown(_ rows: ArraySlice<Value>) -> String {
        guard !rows.isEmpty else { return "" }
        let columns = ResultFormatter.columns(rows)
        func escape(_ s: String) -> String {
            s.replacing("|", with: "\\|").replacing("\n", with: "<br>")
        }
        let headers = columns ?? ["result"]
        let grid = ResultFormatter.cells(rows, columns)
        var out = "| " + headers.map(escape).joined(separator: " | ") + " |\n"
        out +=
            "|"
            + headers.indices.map { c in
                grid.allSatisfy { if case .number = $0[c] { true } else { $0[c] == nil } } ? " ---: |" : " --- |"
            }.joined() + "\n"
        for row in grid { out += "| " + row.map { escape(ResultFormatter.cell($0)) }.joined(separator: " | ") + " |\n" }
        return out
    }

    func lines(_ rows: ArraySlice<Value>) -> String {
        var blocks: [String] = []
        for row in rows {
            let pairs: [(String, Value)]
            if case .object(let o) = row { pairs = o.map { ($0, $1) } } else { pairs = [("result", row)] }
            let keyWidth = pairs.reduce(0) { max($0, DisplayWidth.of($1.0)) }
            blocks.append(
                pairs.map { k, v in
                    DisplayWidth.pad(k, to: keyWidth, right: true) + " = " + ResultFormatter.cell(v)
                }.joined(separator: "\n") + "\n")
        }
        return blocks.joined(separator: "\n")
    }
}
