// How many terminal columns text occupies: East Asian wide and fullwidth characters and emoji
// take two, combining marks and zero-width characters none, everything else one. Tables are
// laid out, and cells truncated, with this measure rather than character counts.

enum DisplayWidth {
    /// Columns occupied by `text` (control characters are shown escaped, never raw).
    static func of(_ text: Substring) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    static func of(_ text: String) -> Int { of(text[...]) }

    /// Columns of one grapheme cluster: the widest of its scalars, so that a base letter with
    /// combining marks is one and an emoji sequence joined by ZWJ is two.
    static func of(_ character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars { width = max(width, of(scalar)) }
        return width
    }

    static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        for range in wide where range.contains(v) { return 2 }
        return 1
    }

    /// The East Asian Wide (W) and Fullwidth (F) blocks of Unicode's EastAsianWidth.txt.
    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
        0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// The longest prefix of `text` that fits in `columns`, with `…` when something was cut.
    static func truncate(_ text: String, to columns: Int) -> String {
        guard of(text) > columns else { return text }
        guard columns > 0 else { return "" }
        var out = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > columns - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// `text` padded with spaces to `columns`, on the right or (for numbers) on the left.
    static func pad(_ text: String, to columns: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, columns - of(text)))
        return right ? fill + text : text + fill
    }
}
