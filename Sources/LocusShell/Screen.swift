// Where the shell writes: standard output and standard error of a terminal or a pipe, or, in
// transcript tests, one captured text. The shell core only ever writes through a Screen.

#if canImport(Glibc)
import Glibc
#endif

/// The shell's output device.
public protocol Screen: AnyObject {
    /// Writes to standard output.
    func write(_ text: String)
    /// Writes to standard error (errors, warnings, timings).
    func writeError(_ text: String)
    /// True when standard output is a terminal: then colour, the pager and terminal-sized
    /// tables apply.
    var isTerminal: Bool { get }
    /// Columns and rows of the terminal.
    var size: (columns: Int, rows: Int) { get }
}

/// The process's standard output and error.
public final class TerminalScreen: Screen {
    public init() {}

    public func write(_ text: String) { TerminalScreen.write(fd: 1, text) }
    public func writeError(_ text: String) { TerminalScreen.write(fd: 2, text) }
    public var isTerminal: Bool { isatty(1) != 0 }

    public var size: (columns: Int, rows: Int) {
        var ws = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 { return (Int(ws.ws_col), Int(ws.ws_row)) }
        let columns = getenv("COLUMNS").flatMap { Int(String(cString: $0)) } ?? 80
        let rows = getenv("LINES").flatMap { Int(String(cString: $0)) } ?? 24
        return (columns, rows)
    }

    /// Writes every byte, retrying after interruptions (Ctrl-C must not cut output short).
    static func write(fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                off += n
            }
        }
    }
}
