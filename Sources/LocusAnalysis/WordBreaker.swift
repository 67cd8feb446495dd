// Splits text into words by a simplified form of Unicode's word boundaries (UAX #29):
// runs of letters, digits, marks and connectors (`_`), kept whole across an apostrophe or a
// period between letters (`don't`, `e.g`) and a period or comma between digits (`3.14`,
// `1,000`); each ideograph is a word of its own. Punctuation, symbols and spaces separate words
// and are dropped, as ArangoDB's text analyzer drops them.

/// Word segmentation of the text analyzer.
enum WordBreaker {
    private enum Kind { case letter, digit, ideograph, midLetter, midNumber, midBoth, other }

    private static func kind(_ c: Character) -> Kind {
        guard let scalar = c.unicodeScalars.first else { return .other }
        let p = scalar.properties
        switch scalar {
        case "'", "\u{2019}", ".", "\u{FE52}", "\u{FF0E}": return .midBoth
        case ":", "\u{00B7}", "\u{2027}": return .midLetter
        case ",", ";", "\u{066C}": return .midNumber
        default: break
        }
        if p.isIdeographic { return .ideograph }
        switch p.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return .digit
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .connectorPunctuation:
            return .letter
        default: return .other
        }
    }

    /// The words of `text`, in order, with their UTF-8 byte ranges.
    static func words(_ text: String) -> [(String, Range<Int>)] {
        let chars = Array(text)
        let at = Analyzer.byteOffsets(chars)
        let kinds = chars.map(kind)
        var words: [(String, Range<Int>)] = []
        var i = 0
        while i < chars.count {
            switch kinds[i] {
            case .ideograph:
                words.append((String(chars[i]), at[i]..<at[i + 1]))
                i += 1
            case .letter, .digit:
                let start = i
                i += 1
                while i < chars.count {
                    let k = kinds[i]
                    if k == .letter || k == .digit {
                        i += 1
                        continue
                    }
                    // A middle character joins two letters or two digits when one follows.
                    guard i + 1 < chars.count else { break }
                    let before = kinds[i - 1]
                    let after = kinds[i + 1]
                    let joinsLetters = (k == .midLetter || k == .midBoth) && before == .letter && after == .letter
                    let joinsDigits = (k == .midNumber || k == .midBoth) && before == .digit && after == .digit
                    if joinsLetters || joinsDigits { i += 2 } else { break }
                }
                words.append((String(chars[start..<i]), at[start]..<at[i]))
            default:
                i += 1
            }
        }
        return words
    }
}
