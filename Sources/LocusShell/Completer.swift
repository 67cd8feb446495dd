// Tab completion, by context: dot-commands and their arguments at the start of a line, bind
// parameters after `@`, attribute names seen in the last result after `name.`, collection and
// graph names where a collection or graph goes, else keywords, functions and collections.

#if canImport(Glibc)
import Glibc
#endif
import LocusFunctions
import LocusSyntax
import LocusValues

/// The case completed keywords and function names take (psql's COMP_KEYWORD_CASE).
public enum KeywordCase: String, CaseIterable, Sendable {
    case upper, lower
    /// Lower case when the word typed so far is lower case, else upper.
    case preserve
}

/// What completion knows at one moment; the shell builds one per Tab.
struct Completer {
    var commands: [String] = []
    /// Candidates for argument `index` of a dot-command; nil means file names.
    var commandArguments: (String, Int) -> [String]? = { _, _ in [] }
    var collections: [String] = []
    var graphs: [String] = []
    var parameters: [String] = []
    var attributes: [String] = []
    var keywordCase: KeywordCase = .upper
    /// False while a statement continues over lines: then a leading `.` is not a command.
    var atStatementStart = true

    static let keywords = Keyword.allCases.map(\.rawValue)
    static let functions = FunctionRegistry.all.keys.sorted()

    /// Candidates replacing the word from `wordStart` to `cursor` (UTF-8 offsets in `line`).
    func complete(line: String, wordStart: Int, cursor: Int) -> [String] {
        let bytes = Array(line.utf8)
        let end = min(cursor, bytes.count)
        let start = min(wordStart, end)
        let word = String(decoding: bytes[start..<end], as: UTF8.self)
        let before = String(decoding: bytes[..<start], as: UTF8.self)
        let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let lead = before.drop(while: { $0 == " " || $0 == "\t" })

        if atStatementStart, let first = (lead.isEmpty ? word : words.first),
            first.hasPrefix(".") || first.hasPrefix("\\")
        {
            if lead.isEmpty { return Completer.matching(commands, word) }
            guard let arguments = commandArguments(words[0], words.count - 1) else { return Completer.files(word) }
            return Completer.matching(arguments, word)
        }
        if word.hasPrefix("@") { return Completer.matching(parameters.map { "@" + $0 }, word) }
        if let dot = word.lastIndex(of: "."), !word.contains(".."), !word[..<dot].isEmpty,
            !word[..<dot].allSatisfy(\.isNumber)
        {
            let head = word[...dot]
            return Completer.matching(attributes, String(word[word.index(after: dot)...])).map { head + $0 }
        }
        switch words.last?.uppercased() {
        case "INTO", "WITH": return Completer.matching(collections, word)
        case "GRAPH":
            let typed = word.hasPrefix("\"") || word.hasPrefix("'") ? String(word.dropFirst()) : word
            return Completer.matching(graphs, typed).map(quoteIfNeeded)
        case "IN": return Completer.matching(collections, word) + styled(Completer.functions, word, suffix: "(")
        default: break
        }
        guard !word.isEmpty else { return [] }
        return styled(Completer.keywords, word, suffix: "") + styled(Completer.functions, word, suffix: "(")
            + Completer.matching(collections, word)
    }

    /// Names starting with `prefix`, ignoring case, sorted.
    static func matching(_ names: [String], _ prefix: String) -> [String] {
        let p = prefix.lowercased()
        return Array(Set(names.filter { $0.lowercased().hasPrefix(p) })).sorted()
    }

    func styled(_ names: [String], _ word: String, suffix: String) -> [String] {
        guard !word.isEmpty else { return [] }
        let lower =
            keywordCase == .lower
            || (keywordCase == .preserve && word.contains(where: \.isLowercase) && !word.contains(where: \.isUppercase))
        return Completer.matching(names, word).map { (lower ? $0.lowercased() : $0) + suffix }
    }

    func quoteIfNeeded(_ name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } ? name : "\"" + name + "\""
    }

    /// Paths starting with `prefix`; directories end in `/`.
    static func files(_ prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let directory = slash.map { String(prefix[...$0]) } ?? ""
        let base = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        var out: [String] = []
        for name in LocalFiles.names(in: directory.isEmpty ? "." : directory) {
            guard name.hasPrefix(base), !name.hasPrefix(".") || base.hasPrefix(".") else { continue }
            var info = stat()
            let path = directory + name
            let isDirectory = stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            out.append(path + (isDirectory ? "/" : ""))
        }
        return out.sorted()
    }
}
