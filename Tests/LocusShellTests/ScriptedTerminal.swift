// A scripted stand-in for a person at a terminal: a LineReader that "types" prepared lines
// (echoing each after its prompt, as a terminal shows it) and a Screen that captures
// standard output and error as one text, 80 columns wide.

import LocusShell

/// Captures everything the shell writes, in order.
final class CapturedScreen: Screen {
    var text = ""
    var isTerminal: Bool { false }
    var size: (columns: Int, rows: Int) { (80, 24) }
    func write(_ text: String) { self.text += text }
    func writeError(_ text: String) { self.text += text }
}

/// Types `lines` one by one. `^C` is Ctrl-C at the prompt, `^D` ends input early.
final class ScriptedLineReader: LineReader {
    var lines: [String]
    let screen: CapturedScreen
    private(set) var history: [String] = []
    var isInteractive: Bool { true }

    init(_ lines: [String], screen: CapturedScreen) {
        self.lines = lines
        self.screen = screen
    }

    func read(prompt: String) -> LineInput {
        guard !lines.isEmpty else {
            screen.text += prompt + "\n"
            return .end
        }
        let line = lines.removeFirst()
        switch line {
        case "^C":
            screen.text += prompt + "^C\n"
            return .interrupted
        case "^D":
            screen.text += prompt + "\n"
            lines = []
            return .end
        default:
            screen.text += prompt + line + "\n"
            return .line(line)
        }
    }

    func remember(_ statement: String) { history.append(statement) }
}
