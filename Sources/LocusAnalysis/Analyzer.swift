// An analyzer ready to run: its definition compiled into the steps that turn a string into
// tokens as ArangoDB's analyzers do (identity, delimiter, stem, norm, ngram, text, pipeline).
// TOKENS and search views call it, so that both make exactly the same tokens.

import Foundation
import LocusErrors
import LocusValues

/// A compiled analyzer.
///
/// ```swift
/// let english = try Analyzer(AnalyzerDefinition.builtIn["text_en"]!)
/// english.tokens("The quick brown foxes")   // ["the", "quick", "brown", "fox"]
/// ```
public struct Analyzer: Sendable {
    public let definition: AnalyzerDefinition
    private let steps: [Step]

    enum CaseMode: String, Sendable { case lower, upper, none }

    struct NGram: Sendable {
        var min: Int
        var max: Int
        var preserveOriginal: Bool
        var startMarker: String
        var endMarker: String
        /// Counts UTF-8 bytes (`binary`) or characters (`utf8`).
        var bytes: Bool
    }

    struct Text: Sendable {
        var caseMode: CaseMode
        var keepAccents: Bool
        var stopwords: Set<String>
        var stemmer: Stemmer?
        var edge: (min: Int?, max: Int?, preserveOriginal: Bool)?
    }

    enum Step: Sendable {
        case identity
        case delimiter(String)
        case stem(Stemmer?)
        case norm(CaseMode, keepAccents: Bool)
        case ngram(NGram)
        case text(Text)
        /// The MinHash signature of the inner analyzer's tokens.
        case minhash(inner: [Step], count: Int)
    }

    public init(_ definition: AnalyzerDefinition) {
        self.definition = definition
        steps = Analyzer.steps(type: definition.type, .object(definition.properties))
    }

    /// The language of a locale (`de` of `de_DE`), lowercased.
    static func language(_ locale: Value) -> String {
        let s = locale.stringValue ?? ""
        return String(s.prefix { $0 != "_" }).lowercased()
    }

    /// The steps of a definition's type and normalized properties.
    private static func steps(type: String, _ p: Value) -> [Step] {
        if type == "pipeline", case .array(let stages) = p[attribute: "pipeline"] {
            return stages.map { step(type: $0[attribute: "type"].stringValue ?? "", $0[attribute: "properties"]) }
        }
        return [step(type: type, p)]
    }

    /// One step from normalized properties (checked by `AnalyzerDefinition`).
    private static func step(type: String, _ p: Value) -> Step {
        let caseMode = CaseMode(rawValue: p[attribute: "case"].stringValue ?? "none") ?? .none
        switch type {
        case "delimiter": return .delimiter(p[attribute: "delimiter"].stringValue ?? "")
        case "stem": return .stem(Stemmer.forLanguage(language(p[attribute: "locale"])))
        case "norm": return .norm(caseMode, keepAccents: p[attribute: "accent"] != false)
        case "ngram":
            return .ngram(
                NGram(
                    min: Int(p[attribute: "min"].numberValue ?? 1), max: Int(p[attribute: "max"].numberValue ?? 1),
                    preserveOriginal: p[attribute: "preserveOriginal"] == true,
                    startMarker: p[attribute: "startMarker"].stringValue ?? "",
                    endMarker: p[attribute: "endMarker"].stringValue ?? "",
                    bytes: p[attribute: "streamType"].stringValue != "utf8"))
        case "text":
            let edge = p[attribute: "edgeNgram"]
            return .text(
                Text(
                    caseMode: caseMode, keepAccents: p[attribute: "accent"] == true,
                    stopwords: Set((p[attribute: "stopwords"].arrayValue ?? []).compactMap(\.stringValue)),
                    stemmer: p[attribute: "stemming"] == false
                        ? nil : Stemmer.forLanguage(language(p[attribute: "locale"])),
                    edge: edge == .null
                        ? nil
                        : (
                            edge[attribute: "min"].numberValue.map { Int($0) },
                            edge[attribute: "max"].numberValue.map { Int($0) },
                            edge[attribute: "preserveOriginal"] == true
                        )))
        case "minhash":
            let inner = p[attribute: "analyzer"]
            return .minhash(
                inner: steps(type: inner[attribute: "type"].stringValue ?? "identity", inner[attribute: "properties"]),
                count: Int(p[attribute: "numHashes"].numberValue ?? 1))
        default: return .identity
        }
    }

    /// A token with the UTF-8 byte range of the input it came from.
    public struct Token: Sendable, Equatable {
        public var term: String
        public var start: Int
        public var end: Int
    }

    /// The tokens of `input`, in order.
    public func tokens(_ input: String) -> [String] { tokensWithOffsets(input).map(\.term) }

    /// The tokens of `input` with where in it (UTF-8 bytes) each came from: a word's own bytes,
    /// a field's, a gram's; a token a step rewrote (stemmed, normalized, hashed) keeps the bytes
    /// of what it was made from.
    public func tokensWithOffsets(_ input: String) -> [Token] {
        Analyzer.run(steps, Token(term: input, start: 0, end: input.utf8.count))
    }

    private static func run(_ steps: [Step], _ input: Token) -> [Token] {
        var tokens = [input]
        for step in steps { tokens = tokens.flatMap { apply(step, $0) } }
        return tokens
    }

    private static func apply(_ step: Step, _ t: Token) -> [Token] {
        func same(_ term: String) -> [Token] { [Token(term: term, start: t.start, end: t.end)] }
        func within(_ pieces: [(String, Range<Int>)]) -> [Token] {
            pieces.map { Token(term: $0.0, start: t.start + $0.1.lowerBound, end: t.start + $0.1.upperBound) }
        }
        switch step {
        case .identity: return [t]
        case .delimiter(let d): return within(delimited(t.term, by: d))
        case .stem(let stemmer): return same(stemmer?.stem(t.term) ?? t.term)
        case .norm(let mode, let keepAccents): return same(normalize(t.term, mode, keepAccents: keepAccents))
        case .ngram(let g): return within(ngrams(t.term, g))
        case .text(let options): return within(text(t.term, options))
        case .minhash(let inner, let count):
            let items = run(inner, Token(term: t.term, start: 0, end: t.term.utf8.count)).map { Array($0.term.utf8) }
            return items.isEmpty ? [] : MinHash.signature(of: items, count: count).flatMap(same)
        }
    }

    static func normalize(_ s: String, _ mode: CaseMode, keepAccents: Bool) -> String {
        var out: String
        switch mode {
        case .lower: out = s.lowercased()
        case .upper: out = s.uppercased()
        case .none: out = s
        }
        if !keepAccents && !out.utf8.allSatisfy({ $0 < 0x80 }) {
            var scalars = String.UnicodeScalarView()
            for u in out.decomposedStringWithCanonicalMapping.unicodeScalars
            where u.properties.generalCategory != .nonspacingMark {
                scalars.append(u)
            }
            out = String(scalars).precomposedStringWithCanonicalMapping
        }
        return out
    }

    /// The UTF-8 byte offset of each character of `chars`, and of their end.
    static func byteOffsets(_ chars: [Character]) -> [Int] {
        var out = [0]
        out.reserveCapacity(chars.count + 1)
        for c in chars { out.append(out[out.count - 1] + c.utf8.count) }
        return out
    }

    /// Fields between delimiters, with their byte ranges; a field in double quotes may hold the
    /// delimiter, and `""` inside it is one quote (CSV's rule, as ArangoDB's delimiter analyzer
    /// reads it).
    static func delimited(_ s: String, by delimiter: String) -> [(String, Range<Int>)] {
        guard !delimiter.isEmpty else { return [(s, 0..<s.utf8.count)] }
        let chars = Array(s)
        let at = byteOffsets(chars)
        let d = Array(delimiter)
        var fields: [(String, Range<Int>)] = []
        var i = 0
        func atDelimiter(_ i: Int) -> Bool { i + d.count <= chars.count && Array(chars[i..<i + d.count]) == d }
        while true {
            if i < chars.count, chars[i] == "\"" {
                var field = ""
                var j = i + 1
                var closed = false
                while j < chars.count {
                    if chars[j] == "\"" {
                        if j + 1 < chars.count, chars[j + 1] == "\"" {
                            field.append("\"")
                            j += 2
                            continue
                        }
                        closed = true
                        j += 1
                        break
                    }
                    field.append(chars[j])
                    j += 1
                }
                if closed && (j == chars.count || atDelimiter(j)) {
                    fields.append((field, at[i + 1]..<at[j - 1]))
                    if j == chars.count { return fields }
                    i = j + d.count
                    continue
                }
            }
            var j = i
            while j < chars.count && !atDelimiter(j) { j += 1 }
            fields.append((String(chars[i..<j]), at[i]..<at[j]))
            if j >= chars.count { return fields }
            i = j + d.count
        }
    }

    /// The n-grams of `s` with their byte ranges: at each start, the grams of every length
    /// from min to max; the original after the first start's grams when asked; the start marker
    /// on grams at the beginning, the end marker on grams at the end.
    static func ngrams(_ s: String, _ g: NGram) -> [(String, Range<Int>)] {
        let bytes = Array(s.utf8)
        let chars = Array(s)
        // Unit boundaries in bytes: every byte (`binary`) or every character (`utf8`).
        let at = g.bytes ? Array(0...bytes.count) : byteOffsets(chars)
        let n = at.count - 1
        func piece(_ from: Int, _ to: Int) -> String {
            g.bytes ? String(decoding: bytes[from..<to], as: UTF8.self) : String(chars[from..<to])
        }
        var out: [(String, Range<Int>)] = []
        func marked(_ text: String, _ from: Int, _ to: Int) -> String {
            (from == 0 ? g.startMarker : "") + text + (to == n ? g.endMarker : "")
        }
        var originalShown = false
        func showOriginal() {
            guard g.preserveOriginal, !originalShown else { return }
            originalShown = true
            let whole = 0..<bytes.count
            if g.startMarker.isEmpty && g.endMarker.isEmpty {
                if n > g.max || n < g.min { out.append((s, whole)) }
                return
            }
            if !g.startMarker.isEmpty { out.append((g.startMarker + s, whole)) }
            if !g.endMarker.isEmpty { out.append((s + g.endMarker, whole)) }
        }
        for start in 0..<n {
            for length in g.min...g.max where start + length <= n {
                out.append(
                    (marked(piece(start, start + length), start, start + length), at[start]..<at[start + length]))
            }
            if start == 0 { showOriginal() }
        }
        if n == 0 { showOriginal() }
        return out
    }

    /// Words, case and accents converted, stop words dropped, stemmed, then edge n-grams; each
    /// with the bytes of its word.
    static func text(_ s: String, _ t: Text) -> [(String, Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        for (word, range) in WordBreaker.words(s) {
            let normalized = normalize(word, t.caseMode, keepAccents: t.keepAccents)
            if t.stopwords.contains(normalized) { continue }
            let stemmed = t.stemmer?.stem(normalized) ?? normalized
            guard let edge = t.edge else {
                out.append((stemmed, range))
                continue
            }
            let chars = Array(stemmed)
            let low = Swift.max(edge.min ?? 1, 1)
            let high = Swift.min(edge.max ?? chars.count, chars.count)
            if low <= high { for length in low...high { out.append((String(chars[..<length]), range)) } }
            if edge.preserveOriginal && (chars.count > high || chars.count < low) { out.append((stemmed, range)) }
        }
        return out
    }
}

extension Analyzer {
    /// A built-in analyzer by name, compiled once.
    public static func builtIn(_ name: String) -> Analyzer? { compiledBuiltIns[name] }

    private static let compiledBuiltIns: [String: Analyzer] = AnalyzerDefinition.builtIn.mapValues { Analyzer($0) }
}
