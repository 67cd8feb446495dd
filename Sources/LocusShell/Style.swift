// Colour for people at a terminal: on only when output is a terminal and NO_COLOR is unset,
// and never in text handed to the pager or written to files.

/// ANSI styling, or none.
struct Style {
    let enabled: Bool

    static let plain = Style(enabled: false)

    func bold(_ s: String) -> String { wrap(s, "1") }
    func dim(_ s: String) -> String { wrap(s, "2") }
    func red(_ s: String) -> String { wrap(s, "31") }
    func yellow(_ s: String) -> String { wrap(s, "33") }

    private func wrap(_ s: String, _ code: String) -> String {
        enabled && !s.isEmpty ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
