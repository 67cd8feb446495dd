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

    /// The tokens of `input`, in order.
    public func tokens(_ input: String) -> [String] { Analyzer.run(steps, input) }

    private static func run(_ steps: [Step], _ input: String) -> [String] {
        var tokens = [input]
        for step in steps { tokens = tokens.flatMap { apply(step, $0) } }
        return tokens
    }

    private static func apply(_ step: Step, _ s: String) -> [String] {
        switch step {
        case .identity: return [s]
        case .delimiter(let d): return delimited(s, by: d)
        case .stem(let stemmer): return [stemmer?.stem(s) ?? s]
        case .norm(let mode, let keepAccents): return [normalize(s, mode, keepAccents: keepAccents)]
        case .ngram(let g): return ngrams(s, g)
        case .text(let t): return text(s, t)
        case .minhash(let inner, let count):
            let items = run(inner, s).map { Array($0.utf8) }
            return items.isEmpty ? [] : MinHash.signature(of: items, count: count)
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

    /// Fields between delimiters; a field in double quotes may hold the delimiter, and `""`
    /// inside it is one quote (CSV's rule, as ArangoDB's delimiter analyzer reads it).
    static func delimited(_ s: String, by delimiter: String) -> [String] {
        guard !delimiter.isEmpty else { return [s] }
        let chars = Array(s)
        let d = Array(delimiter)
        var fields: [String] = []
        var i = 0
        func atDelimiter(_ i: Int) -> Bool { i + d.count <= chars.count && Array(chars[i..<i + d.count]) == d }
        while true {
            var field = ""
            if i < chars.count, chars[i] == "\"" {
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
                    fields.append(field)
                    if j == chars.count { return fields }
                    i = j + d.count
                    continue
                }
                field = ""
            }
            var j = i
            while j < chars.count && !atDelimiter(j) { j += 1 }
            fields.append(String(chars[i..<j]))
            if j >= chars.count { return fields }
            i = j + d.count
        }
    }

    /// The n-grams of `s`: at each start, the grams of every length from min to max; the
    /// original after the first start's grams when asked; the start marker on grams at the
    /// beginning, the end marker on grams at the end.
    static func ngrams(_ s: String, _ g: NGram) -> [String] {
        let units: [String] = g.bytes ? s.utf8.map { String(decoding: [$0], as: UTF8.self) } : s.map { String($0) }
        // Byte grams of non-ASCII text are rebuilt from the bytes themselves.
        let bytes = Array(s.utf8)
        func piece(_ from: Int, _ to: Int) -> String {
            g.bytes ? String(decoding: bytes[from..<to], as: UTF8.self) : units[from..<to].joined()
        }
        let n = units.count
        var out: [String] = []
        func marked(_ text: String, _ from: Int, _ to: Int) -> String {
            (from == 0 ? g.startMarker : "") + text + (to == n ? g.endMarker : "")
        }
        var originalShown = false
        func showOriginal() {
            guard g.preserveOriginal, !originalShown else { return }
            originalShown = true
            if g.startMarker.isEmpty && g.endMarker.isEmpty {
                if n > g.max || n < g.min { out.append(s) }
                return
            }
            if !g.startMarker.isEmpty { out.append(g.startMarker + s) }
            if !g.endMarker.isEmpty { out.append(s + g.endMarker) }
        }
        for start in 0..<n {
            for length in g.min...g.max where start + length <= n {
                out.append(marked(piece(start, start + length), start, start + length))
            }
            if start == 0 { showOriginal() }
        }
        if n == 0 { showOriginal() }
        return out
    }

    /// Words, case and accents converted, stop words dropped, stemmed, then edge n-grams.
    static func text(_ s: String, _ t: Text) -> [String] {
        var out: [String] = []
        for word in WordBreaker.words(s) {
            let normalized = normalize(word, t.caseMode, keepAccents: t.keepAccents)
            if t.stopwords.contains(normalized) { continue }
            let stemmed = t.stemmer?.stem(normalized) ?? normalized
            guard let edge = t.edge else {
                out.append(stemmed)
                continue
            }
            let chars = Array(stemmed)
            let low = Swift.max(edge.min ?? 1, 1)
            let high = Swift.min(edge.max ?? chars.count, chars.count)
            if low <= high { for length in low...high { out.append(String(chars[..<length])) } }
            if edge.preserveOriginal && (chars.count > high || chars.count < low) { out.append(stemmed) }
        }
        return out
    }
}

extension Analyzer {
    /// A built-in analyzer by name, compiled once.
    public static func builtIn(_ name: String) -> Analyzer? { compiledBuiltIns[name] }

    private static let compiledBuiltIns: [String: Analyzer] = AnalyzerDefinition.builtIn.mapValues { Analyzer($0) }
}
