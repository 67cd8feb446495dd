// ArangoDB's fulltext index: the words of one attribute (a string, or the strings of an array),
// split at every character that is neither a letter nor a digit, lower-cased, at least
// `minLength` and at most 40 characters long, each an index entry. Queries use the index's own
// syntax: comma-separated words, each optionally `+` (and, the default), `|` (or) or `-` (not),
// then `prefix:` or `complete:` (the default), applied left to right.

import LocusErrors
import LocusValues

public enum FulltextIndex {
    public static let maxWordLength = 40

    /// The distinct index words of some values.
    static func words(_ values: [Value], minLength: Int) -> Set<String> {
        var out: Set<String> = []
        func add(_ text: String) {
            var word = ""
            func flush() {
                if word.count >= minLength { out.insert(String(word.prefix(maxWordLength))) }
                word = ""
            }
            for ch in text.lowercased() {
                if ch.isLetter || ch.isNumber { word.append(ch) } else { flush() }
            }
            flush()
        }
        for v in values {
            switch v {
            case .string(let s): add(s)
            case .array(let a): for case .string(let s) in a { add(s) }
            default: break
            }
        }
        return out
    }

    struct Term {
        enum Operation { case and, or, not }
        var operation: Operation
        var word: String
        var prefix: Bool
    }

    /// The terms of a query; an error 10 for a query without any word.
    static func parse(_ query: String) throws -> [Term] {
        var terms: [Term] = []
        for part in query.split(separator: ",") {
            var p = part.drop { $0 == " " }
            while p.last == " " { p = p.dropLast() }
            var operation = Term.Operation.and
            switch p.first {
            case "+": p = p.dropFirst()
            case "|": operation = .or; p = p.dropFirst()
            case "-": operation = .not; p = p.dropFirst()
            default: break
            }
            var prefix = false
            if p.lowercased().hasPrefix("prefix:") {
                prefix = true; p = p.dropFirst(7)
            } else if p.lowercased().hasPrefix("complete:") {
                p = p.dropFirst(9)
            }
            let word = String(p.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(maxWordLength))
            guard !word.isEmpty else { continue }
            terms.append(Term(operation: operation, word: word, prefix: prefix))
        }
        guard !terms.isEmpty else { throw LocusError(.badParameter, "fulltext query '\(query)' has no search word") }
        return terms
    }
}

extension Storage {
    /// The fulltext index over `attribute` of a collection, if there is one.
    public func fulltextIndex(collection: String, attribute: String) -> IndexInfo? {
        catalog.indexes(of: collection).first { $0.type == .fulltext && $0.fields == [attribute] }
    }

    /// The documents matching a fulltext query, in key order, at most `limit` of them.
    public func fulltextSearch(_ ix: IndexInfo, query: String, limit: Int?) throws -> [Object] {
        try flushPendingInserts()
        let c = try requireCollection(ix.collection)
        var result: Set<String>? = nil
        for term in try FulltextIndex.parse(query) {
            let bytes = Array(term.word.utf8)
            var matches: Set<String> = []
            try indexKeys(ix, range: IndexRange(lower: bytes, upper: term.prefix ? bytes + [0xFF] : bytes + [0x00])) {
                matches.insert($0)
                return true
            }
            switch term.operation {
            case .and: result = result.map { $0.intersection(matches) } ?? matches
            case .or: result = (result ?? []).union(matches)
            case .not:
                if result == nil {
                    var all: Set<String> = []
                    try indexKeys(ix, range: IndexRange(lower: nil, upper: nil)) {
                        all.insert($0); return true
                    }
                    result = all
                }
                result!.subtract(matches)
            }
        }
        var out: [Object] = []
        for key in (result ?? []).sorted() {
            if let limit, out.count >= limit { break }
            if let doc = try get(c, key: key)?.objectValue { out.append(doc) }
        }
        return out
    }
}
