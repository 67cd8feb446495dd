// The terminal line reader, on libedit: emacs-style editing, Ctrl-R reverse search, history
// of whole statements kept in a file (multi-line statements survive: libedit encodes the
// newlines), and tab completion asking the shell's Completer.

#if canImport(Glibc)
import Glibc
#endif
@preconcurrency import CEditLine

/// Line editing on a terminal through libedit.
public final class EditLineReader: LineReader {
    let historyFile: String?
    let historyLimit: Int32 = 1000
    public var isInteractive: Bool { true }

    /// libedit calls completion through a C function, which cannot capture a context.
    nonisolated(unsafe) static var completer: ((String, Int, Int) -> [String])?

    /// `historyFile` nil keeps no history on disk (`--no-history`); `complete` receives the
    /// line, the start of the word being completed and the cursor, and returns candidates for
    /// the word.
    public init(historyFile: String?, complete: @escaping (String, Int, Int) -> [String]) {
        self.historyFile = historyFile
        rl_readline_name = UnsafePointer(strdup("locus"))
        using_history()
        stifle_history(historyLimit)
        if let historyFile { _ = read_history(historyFile) }
        EditLineReader.completer = complete
        // `.` and `@` belong to words (attribute paths and bind parameters complete whole),
        // and so do `-`, `/` (file names) and quotes (a quoted graph name).
        rl_completer_word_break_characters = strdup(" \t\n()[]{},;:=<>!+*%|&`?")
        rl_attempted_completion_function = { text, start, end in
            rl_attempted_completion_over = 1
            guard let complete = EditLineReader.completer, let buffer = rl_line_buffer else { return nil }
            let line = String(cString: buffer)
            let candidates = complete(line, Int(start), Int(end))
            // A function's `(` or a directory's `/` is where typing goes on, not a new word.
            let open = candidates.count == 1 && (candidates[0].hasSuffix("(") || candidates[0].hasSuffix("/"))
            rl_completion_append_character = open ? 0 : 32
            return EditLineReader.matches(candidates, typed: text.map { String(cString: $0) } ?? "")
        }
        // Ctrl-R searches the history backwards, as in readline.
        _ = rl_parse_and_bind("bind ^R em-inc-search-prev")
    }

    public func read(prompt: String) -> LineInput {
        _ = Interrupt.take()
        guard let line = readline(prompt) else {
            if Interrupt.take() {
                TerminalScreen.write(fd: 1, "^C\n")
                return .interrupted
            }
            TerminalScreen.write(fd: 1, "\n")
            return .end
        }
        defer { free(line) }
        return .line(String(cString: line))
    }

    public func remember(_ statement: String) {
        if let last = history.last, last == statement { return }
        add_history(statement)
        if let historyFile { _ = write_history(historyFile) }
    }

    public var history: [String] {
        var out: [String] = []
        for i in 0..<Int(history_length) {
            if let entry = history_get(history_base + Int32(i)), let text = entry.pointee.line {
                out.append(String(cString: text))
            }
        }
        return out
    }

    /// readline's match array: the common prefix first, then every candidate, then NULL.
    static func matches(_ candidates: [String], typed: String) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !candidates.isEmpty else { return nil }
        var prefix = candidates[0]
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        if prefix.count < typed.count { prefix = typed }
        let entries = candidates.count == 1 ? [candidates[0]] : [prefix] + candidates
        // libedit frees the array and its strings with free(): allocate them with malloc. It
        // reads matches[2] even when matches[1] ends the list (to tell a unique match), so a
        // second NULL follows: without it a unique match got its trailing space or not
        // depending on what the heap held after the array.
        let raw = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (entries.count + 2))!
        let out = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 2)
        for (i, e) in entries.enumerated() { out[i] = strdup(e) }
        out[entries.count] = nil
        out[entries.count + 1] = nil
        return out
    }
}
