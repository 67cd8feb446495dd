// The keyword table of C8QL: reserved words (never names) and contextual words (names that
// mean something in one position). The grammar test compares this table with Grammar/.

/// A C8QL keyword. Matching is case-insensitive.
public enum Keyword: String, CaseIterable, Sendable {
    // Reserved.
    case aggregate = "AGGREGATE", all = "ALL", allShortestPaths = "ALL_SHORTEST_PATHS", and = "AND"
    case any = "ANY", asc = "ASC", collect = "COLLECT", desc = "DESC", distinct = "DISTINCT"
    case `false` = "FALSE", filter = "FILTER", `for` = "FOR", graph = "GRAPH", `in` = "IN"
    case inbound = "INBOUND", insert = "INSERT", into = "INTO", kPaths = "K_PATHS"
    case kShortestPaths = "K_SHORTEST_PATHS", `let` = "LET", like = "LIKE", limit = "LIMIT"
    case none = "NONE", not = "NOT", null = "NULL", or = "OR", outbound = "OUTBOUND"
    case remove = "REMOVE", replace = "REPLACE", `return` = "RETURN", shortestPath = "SHORTEST_PATH"
    case sort = "SORT", `true` = "TRUE", update = "UPDATE", upsert = "UPSERT", window = "WINDOW"
    case with = "WITH", at = "AT", least = "LEAST"
    // Contextual: lexed as names, recognised by the parser where they apply.
    case keep = "KEEP", count = "COUNT", options = "OPTIONS", prune = "PRUNE", search = "SEARCH"
    case to = "TO"

    /// Words that can never be used unquoted as names.
    public var isReserved: Bool {
        switch self {
        case .keep, .count, .options, .prune, .search, .to, .at, .least: false
        default: true
        }
    }

    /// The reserved keywords' uppercase spellings, by their length in bytes: a name is compared
    /// with the few of its length, byte by byte, without building a string to hash.
    static let reservedByLength: [[(spelling: [UInt8], keyword: Keyword)]] = {
        var table = [[(spelling: [UInt8], keyword: Keyword)]](repeating: [], count: longest + 1)
        for k in Keyword.allCases where k.isReserved {
            table[k.rawValue.utf8.count].append((Array(k.rawValue.utf8), k))
        }
        return table
    }()

    /// The reserved keyword spelled by `word`, ignoring case, as the lexer reads it.
    public static func reserved(_ word: String) -> Keyword? {
        reserved(ascii: Array(word.utf8)[...])
    }

    /// The longest keyword's length in bytes (`ALL_SHORTEST_PATHS`).
    static let longest = Keyword.allCases.map(\.rawValue.utf8.count).max()!

    /// The reserved keyword spelled by the ASCII bytes of a name, ignoring case: the lexer's
    /// lookup, which neither case-maps Unicode text nor builds a string for longer names.
    static func reserved(ascii word: ArraySlice<UInt8>) -> Keyword? {
        guard word.count >= 2, word.count <= longest else { return nil }
        candidates: for (spelling, keyword) in reservedByLength[word.count] {
            var i = word.startIndex
            for upper in spelling {
                if asciiUppercase(word[i]) != upper { continue candidates }
                i += 1
            }
            return keyword
        }
        return nil
    }

    /// Whether `name` spells this keyword, ignoring ASCII case only (`ſearch` is not `SEARCH`).
    func isSpelled(by name: String) -> Bool {
        let spelling = rawValue.utf8
        guard name.utf8.count == spelling.count else { return false }
        return zip(name.utf8, spelling).allSatisfy { Keyword.asciiUppercase($0) == $1 }
    }

    static func asciiUppercase(_ c: UInt8) -> UInt8 { c >= 0x61 && c <= 0x7A ? c - 0x20 : c }
}
