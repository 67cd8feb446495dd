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

    static let reservedByUppercase: [String: Keyword] = {
        var d: [String: Keyword] = [:]
        for k in Keyword.allCases where k.isReserved { d[k.rawValue] = k }
        return d
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
        let upper = String(unsafeUninitializedCapacity: word.count) { buffer in
            for (i, c) in word.enumerated() { buffer[i] = c >= 0x61 && c <= 0x7A ? c - 0x20 : c }
            return word.count
        }
        return reservedByUppercase[upper]
    }
}
