// The shell on a real terminal: tmux runs `locus` in a pseudo-terminal, the test types into it
// with send-keys and reads the screen with capture-pane. It covers what only a terminal shows:
// libedit's multi-line input, history recall with the Up arrow and Ctrl-R (from the history
// file too),
// tab completion of a collection name, Ctrl-C cancelling a running query, and Ctrl-D.
// tmux comes from Debian's package (installed by .ci/run); without it the test is skipped,
// except under CI, where its absence is a failure.

import Foundation
import Testing

@Suite(.serialized) struct TerminalTests {
    let cli = CLITests()

    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// One tmux server of our own, so that nothing else on the machine is touched.
    struct Terminal {
        let socket = "locus-test-\(UUID().uuidString.prefix(8))"

        /// Runs a tmux command and returns its standard output. Spawned directly and its
        /// output taken from a file: the server that `new-session` starts inherits the
        /// client's descriptors and would keep a pipe (and Foundation's Process) waiting.
        @discardableResult
        func tmux(_ args: [String]) throws -> String {
            let outPath = NSTemporaryDirectory() + "locus-tmux-\(UUID().uuidString)"
            defer { unlink(outPath) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let argv = [TerminalTests.tmux!, "-L", socket, "-f", "/dev/null"] + args
            var cargs = argv.map { strdup($0) } + [nil]
            defer { for p in cargs { free(p) } }
            var pid = pid_t()
            guard posix_spawn(&pid, argv[0], &actions, nil, &cargs, environ) == 0 else { throw SpawnFailed() }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        }

        struct SpawnFailed: Error {}

        func type(_ keys: String...) throws { try tmux(["send-keys", "-t", "shell"] + keys) }

        var screen: String { (try? tmux(["capture-pane", "-p", "-J", "-S", "-200", "-t", "shell"])) ?? "" }

        var isRunning: Bool { screen.contains("locus") }

        /// Waits until the screen satisfies `condition`; the screen at that point.
        @discardableResult
        func wait(_ what: String, timeout: Double = 30, _ condition: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                let s = screen
                if condition(s) { return s }
                Thread.sleep(forTimeInterval: 0.1)
            }
            Issue.record("timed out waiting for \(what); the screen was:\n\(screen)")
            throw TimedOut()
        }

        func count(_ needle: String, in s: String) -> Int { s.components(separatedBy: needle).count - 1 }

        /// Waits until `condition` holds and the shell waits at a fresh prompt. Keys typed
        /// before libedit has put the terminal back into raw mode meet the cooked line
        /// discipline instead, which turns a Ctrl-D into an empty end of line that libedit
        /// never sees; a real user cannot type that fast, a test can.
        @discardableResult
        func waitAtPrompt(_ what: String, _ condition: @escaping (String) -> Bool) throws -> String {
            try wait(what) { screen in
                condition(screen) && screen.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("locus>")
            }
        }

        struct TimedOut: Error {}
    }

    @Test func typingRecallingCompletingAndCancelling() throws {
        guard TerminalTests.tmux != nil else {
            if ProcessInfo.processInfo.environment["CI"] != nil {
                Issue.record("tmux is not installed (.ci/run installs it)")
            }
            return
        }
        let db = cli.tempDB()
        let dir = (db as NSString).deletingLastPathComponent
        let history = dir + "/history"
        #expect(try cli.locus(["collection", "create", "customers", "--db", db]).status == 0)
        let t = Terminal()
        defer { _ = try? t.tmux(["kill-server"]) }
        let command = "env LOCUS_HISTORY='\(history)' NO_COLOR=1 PAGER=cat '\(CLITests.binary)' --db '\(db)'"
        try t.tmux(["new-session", "-d", "-s", "shell", "-x", "100", "-y", "40", command])
        try t.waitAtPrompt("the welcome line") { $0.contains("Enter .help for help") }

        // A statement over two lines, with the continuation prompt.
        try t.type("FOR i IN 1..3", "Enter")
        try t.wait("the continuation prompt") { $0.contains("...> ") }
        try t.type("  RETURN i * 7", "Enter")
        try t.waitAtPrompt("the first result") { $0.contains("│     21 │") }

        // Up recalls the whole statement from the history; Enter runs it again.
        try t.type("Up")
        try t.wait("the recalled statement") { t.count("RETURN i * 7", in: $0) == 2 }
        try t.type("Enter")
        try t.waitAtPrompt("the second result") { t.count("│     21 │", in: $0) == 2 }

        // Tab completes a collection name.
        try t.type("FOR c IN cust", "Tab")
        try t.wait("the completed name") { $0.contains("FOR c IN customers") }
        try t.type("RETURN c", "Enter")
        try t.waitAtPrompt("the empty result") { $0.contains("(no rows)") }

        // Ctrl-C cancels a long query, and the shell stays.
        try t.type("FOR i IN 1..100000 FOR j IN 1..100000 FILTER i * j < 0 RETURN i", "Enter")
        Thread.sleep(forTimeInterval: 1)
        try t.type("C-c")
        try t.waitAtPrompt("the cancellation") { $0.contains("error 1500: query killed (cancelled with Ctrl-C)") }
        try t.type("RETURN 'still here'", "Enter")
        try t.waitAtPrompt("the shell to carry on") { $0.contains("│ still here │") }

        // Ctrl-D leaves; the history file holds the multi-line statement.
        try t.type("C-d")
        try t.wait("the shell to exit") { _ in !t.tmux(has: "shell") }
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        #expect(saved.contains("RETURN\\040i\\040*\\0407") || saved.contains("RETURN i * 7"), "history file: \(saved)")

        // A new session recalls from the file: Up the last statement, Ctrl-R searches back
        // to the multi-line one. It runs under a tmux server of its own: the first one exits
        // with its last session, and a session started while it is exiting can be lost with it.
        let second = Terminal()
        defer { _ = try? second.tmux(["kill-server"]) }
        try second.tmux(["new-session", "-d", "-s", "shell", "-x", "100", "-y", "40", command])
        try second.waitAtPrompt("the second welcome") { _ in true }
        try second.type("Up")
        try second.wait("the last statement from the history file") { $0.contains("locus> RETURN 'still here'") }
        try second.type("C-u", "C-r", "7")
        try second.wait("the searched statement") { $0.contains("FOR i IN 1..3") }
        try second.type("Enter")
        try second.waitAtPrompt("its result") { $0.contains("│     21 │") }
        try second.type("C-d")
        try second.wait("the shell to exit again") { _ in !second.tmux(has: "shell") }
    }
}

extension TerminalTests.Terminal {
    func tmux(has session: String) -> Bool {
        (try? tmux(["list-sessions", "-F", "#{session_name}"]))?.split(separator: "\n").contains { $0 == session }
            ?? false
    }
}
