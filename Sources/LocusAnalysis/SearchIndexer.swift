// What a view indexes of one document through one link: each string attribute's tokens by
// every analyzer of its field (with their positions, for phrases), each field's token count
// per analyzer (for BM25's and TF-IDF's length norms), and each number, boolean and null as a
// typed value (ArangoDB indexes those without analyzers). Attributes a link does not name are
// indexed only under `includeAllFields`; list elements share their list's field name unless
// `trackListPositions` gives each its index.

import LocusValues

/// One index entry of a document in a view.
public enum SearchEntry: Sendable, Hashable {
    /// A token of a string at `path`, made by `analyzer`, at `position` among the field's
    /// tokens, from the UTF-8 bytes `start..<end` of its string (for OFFSET_INFO).
    case token(path: String, analyzer: String, term: String, position: Int, start: Int = 0, end: Int = 0)
    /// How many tokens `analyzer` made of the strings at `path`.
    case length(path: String, analyzer: String, count: Int)
    /// A number, boolean or null at `path`.
    case value(path: String, Value)

    public var path: String {
        switch self {
        case .token(let p, _, _, _, _, _), .length(let p, _, _), .value(let p, _): p
        }
    }
}

/// Computes a document's entries for a link.
public enum SearchIndexer {
    /// The system attributes, which `includeAllFields` leaves out.
    static let systemAttributes: Set<String> = ["_key", "_id", "_rev", "_from", "_to"]

    struct Settings {
        var analyzers: [String]
        var includeAllFields: Bool
        var trackListPositions: Bool
        var fields: [String: SearchLink]

        func entering(_ link: SearchLink) -> Settings {
            Settings(
                analyzers: link.analyzers ?? analyzers, includeAllFields: link.includeAllFields ?? includeAllFields,
                trackListPositions: link.trackListPositions ?? trackListPositions, fields: link.fields)
        }
    }

    /// The entries of `document` under `link`; `analyzer` resolves names (an unknown one
    /// indexes nothing).
    public static func entries(of document: Object, link: SearchLink, analyzer: (String) -> Analyzer?) -> [SearchEntry]
    {
        var out: [SearchEntry] = []
        var counts: [String: [String: Int]] = [:]
        var order: [(String, String)] = []
        let root = Settings(analyzers: ["identity"], includeAllFields: false, trackListPositions: false, fields: [:])
            .entering(link)

        func visit(_ value: Value, _ path: String, _ s: Settings) {
            switch value {
            case .object(let o):
                for (name, v) in o {
                    let child = path.isEmpty ? name : path + "." + name
                    if let f = s.fields[name] {
                        visit(v, child, s.entering(f))
                    } else if s.includeAllFields && !(path.isEmpty && systemAttributes.contains(name)) {
                        var inner = s
                        inner.fields = [:]
                        visit(v, child, inner)
                    }
                }
            case .array(let xs):
                for (i, x) in xs.enumerated() { visit(x, s.trackListPositions ? "\(path)[\(i)]" : path, s) }
            case .string(let text):
                for name in s.analyzers {
                    guard let a = analyzer(name) else { continue }
                    let tokens = a.tokensWithOffsets(text)
                    if counts[path]?[name] == nil { order.append((path, name)) }
                    let start = counts[path]?[name] ?? 0
                    for (i, t) in tokens.enumerated() {
                        out.append(
                            .token(
                                path: path, analyzer: name, term: t.term, position: start + i, start: t.start,
                                end: t.end))
                    }
                    counts[path, default: [:]][name] = start + tokens.count
                }
            default:
                out.append(.value(path: path, value))
            }
        }
        visit(.object(document), "", root)
        for (path, name) in order {
            out.append(.length(path: path, analyzer: name, count: counts[path]?[name] ?? 0))
        }
        return out
    }
}
