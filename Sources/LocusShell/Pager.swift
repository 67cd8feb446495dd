// Long results on a terminal go through a pager: $PAGER, else `more`. The text it receives
// is plain, never coloured; the shell ignores SIGPIPE, so quitting the pager early is fine.

#if canImport(Glibc)
import Glibc
#endif

/// When results go through the pager.
public enum PagerSetting: String, CaseIterable, Sendable {
    /// When a result is taller than the terminal.
    case auto
    /// Always (on a terminal).
    case on
    /// Never: long results show `batchSize` rows at a time, then `more` shows the next.
    case off
}

enum Pager {
    /// The pager command: $PAGER when set and not empty, else `more`.
    static var command: String {
        if let p = getenv("PAGER"), let s = Optional(String(cString: p)), !s.isEmpty { return s }
        return "more"
    }

    /// Shows `text` through the pager; false when the pager could not be started.
    static func show(_ text: String) -> Bool {
        guard let pipe = popen(command, "w") else { return false }
        var text = text
        text.withUTF8 { buf in _ = fwrite(buf.baseAddress, 1, buf.count, pipe) }
        return pclose(pipe) != -1
    }
}
