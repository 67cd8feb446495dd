// The line-reader protocol the shell core reads through, so that it runs the same on a
// terminal (libedit), on a pipe (no prompt, no editing) and under a scripted test reader.

#if canImport(Glibc)
import Glibc
#endif

/// What one read produced.
public enum LineInput: Equatable, Sendable {
    /// A line, without its newline.
    case line(String)
    /// Ctrl-C at the prompt: the statement being typed is abandoned.
    case interrupted
    /// End of input (Ctrl-D, or the end of a pipe or script).
    case end
}

/// A source of input lines with a history of whole statements.
public protocol LineReader: AnyObject {
    /// Shows `prompt` (when the reader is interactive) and reads one line.
    func read(prompt: String) -> LineInput
    /// Adds a finished statement, possibly spanning lines, to the history.
    func remember(_ statement: String)
    /// The statements remembered, oldest first.
    var history: [String] { get }
    /// True when a person is typing: then the shell greets, pages and colours.
    var isInteractive: Bool { get }
}

/// Lines from standard input with no prompt and no editing, for pipes and scripts.
public final class PlainLineReader: LineReader {
    public private(set) var history: [String] = []
    public var isInteractive: Bool { false }
    public init() {}

    public func read(prompt: String) -> LineInput {
        guard let line = Swift.readLine(strippingNewline: true) else { return .end }
        return .line(line)
    }

    public func remember(_ statement: String) { history.append(statement) }
}

/// Ctrl-C: the signal handler only raises a flag, which the prompt and running queries poll.
public enum Interrupt {
    nonisolated(unsafe) static var raised: sig_atomic_t = 0

    /// Routes SIGINT to the flag (without restarting reads, so a blocked read returns) and
    /// ignores SIGPIPE (a pager quit early must not end the shell).
    public static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in Interrupt.raised = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// True once after each Ctrl-C.
    public static func take() -> Bool {
        guard raised != 0 else { return false }
        raised = 0
        return true
    }

    /// Whether Ctrl-C was pressed, leaving the flag raised.
    public static var isRaised: Bool { raised != 0 }
}
