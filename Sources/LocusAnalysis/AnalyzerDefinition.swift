// What an ArangoSearch analyzer is: its name, type, properties and features, read from
// ArangoDB's JSON (`{name, type, properties, features}`), checked, and shown back with every
// property ArangoDB fills in by default. The built-in analyzers (`identity`, `text_en`, …) are
// listed here; custom ones live in a database's catalog.

import LocusErrors
import LocusValues

/// An analyzer's definition, as `POST /_api/analyzer` takes it and `GET` shows it.
///
/// ```swift
/// let hyphen = try AnalyzerDefinition(
///     json: ["name": "hyphen", "type": "delimiter", "properties": ["delimiter": "-"]])
/// try Analyzer(hyphen).tokens("some-delimited-words")   // ["some", "delimited", "words"]
/// ```
public struct AnalyzerDefinition: Sendable, Equatable {
    /// The name without a database prefix.
    public var name: String
    public var type: String
    /// The properties with ArangoDB's defaults filled in.
    public var properties: Object
    public var features: [String]

    /// The analyzer types Locus implements (ArangoDB's others are refused with error 10).
    public static let types = ["identity", "delimiter", "stem", "norm", "ngram", "text", "pipeline", "minhash"]

    /// The features ArangoDB knows, in the order it lists them.
    static let knownFeatures = ["frequency", "norm", "position", "offset"]

    /// Checks a definition (error 10 for a bad name, type, property or feature set) and fills
    /// in the defaults.
    public init(name: String, type: String, properties: Object = [:], features: [String] = []) throws {
        guard AnalyzerDefinition.isValidName(name) else {
            throw LocusError(.badParameter, "invalid characters in analyzer name '\(name)'")
        }
        self.name = name
        self.type = type
        self.properties = try AnalyzerDefinition.normalized(type: type, properties)
        self.features = try AnalyzerDefinition.checked(features)
    }

    /// Reads ArangoDB's JSON body: `name`, `type`, optional `properties` and `features`.
    public init(json: Value) throws {
        guard case .object(let o) = json else { throw LocusError(.badParameter, "an analyzer must be a JSON object") }
        guard let name = o["name"]?.stringValue else { throw LocusError(.badParameter, "an analyzer needs a 'name'") }
        guard let type = o["type"]?.stringValue else {
            throw LocusError(.badParameter, "analyzer '\(name)' needs a 'type'")
        }
        var properties: Object = [:]
        switch o["properties"] {
        case nil, .null?: break
        case .object(let p)?: properties = p
        default: throw LocusError(.badParameter, "analyzer '\(name)': 'properties' must be an object")
        }
        var features: [String] = []
        switch o["features"] {
        case nil, .null?: break
        case .array(let fs)?:
            features = try fs.map {
                guard let f = $0.stringValue else {
                    throw LocusError(.badParameter, "analyzer '\(name)': features must be strings")
                }
                return f
            }
        default: throw LocusError(.badParameter, "analyzer '\(name)': 'features' must be an array")
        }
        try self.init(name: name, type: type, properties: properties, features: features)
    }

    /// ArangoDB's JSON of the analyzer, its name given as `shownName` (`db::name` for a
    /// custom one).
    public func json(shownName: String? = nil) -> Value {
        [
            "name": .string(shownName ?? name), "type": .string(type), "properties": .object(properties),
            "features": .array(features.map { .string($0) }),
        ]
    }

    /// The name an analyzer reference means in its database: `name` of `db::name` or `::name`
    /// (each database is a file of its own, so the prefix only says which).
    public static func shortName(_ reference: String) -> String {
        guard let separator = reference.range(of: "::") else { return reference }
        return String(reference[separator.upperBound...])
    }

    /// ArangoDB's error for a reference to no analyzer (10).
    public static func notFound(_ reference: String) -> LocusError {
        LocusError(.badParameter, "failure to find arangosearch analyzer with name '\(reference)'")
    }

    /// A letter, then letters, digits, `_` and `-`; at most 254 bytes.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 254,
            first.properties.isAlphabetic, first.isASCII
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
        }
    }

    private static func checked(_ features: [String]) throws -> [String] {
        for f in features where !knownFeatures.contains(f) {
            throw LocusError(.badParameter, "unknown analyzer feature '\(f)'")
        }
        let set = Set(features)
        if set.contains("position") && !set.contains("frequency") {
            throw LocusError(.badParameter, "analyzer feature 'position' requires 'frequency'")
        }
        if set.contains("offset") && !set.contains("position") {
            throw LocusError(.badParameter, "analyzer feature 'offset' requires 'position'")
        }
        return knownFeatures.filter(set.contains)
    }
}

// MARK: - Properties

extension AnalyzerDefinition {
    static func bad(_ type: String, _ why: String) -> LocusError {
        LocusError(.badParameter, "failure parsing properties of a '\(type)' analyzer: \(why)")
    }

    /// The properties of a type with ArangoDB's defaults, after checking each.
    static func normalized(type: String, _ p: Object) throws -> Object {
        let reader = PropertyReader(type: type, properties: p)
        switch type {
        case "identity":
            return [:]
        case "delimiter":
            return ["delimiter": .string(try reader.string("delimiter", required: true) ?? "")]
        case "stem":
            return ["locale": .string(try reader.locale())]
        case "norm":
            return [
                "locale": .string(try reader.locale()), "case": .string(try reader.caseMode(default: "none")),
                "accent": .bool(try reader.bool("accent") ?? true),
            ]
        case "ngram":
            guard let min = try reader.int("min"), let max = try reader.int("max") else {
                throw bad(type, "'min' and 'max' are required")
            }
            guard min >= 1, max >= min else { throw bad(type, "'min' must be at least 1 and 'max' at least 'min'") }
            let stream = try reader.string("streamType") ?? "binary"
            guard stream == "binary" || stream == "utf8" else { throw bad(type, "'streamType' is binary or utf8") }
            return [
                "min": .int(min), "max": .int(max),
                "preserveOriginal": .bool(try reader.bool("preserveOriginal") ?? false),
                "streamType": .string(stream), "startMarker": .string(try reader.string("startMarker") ?? ""),
                "endMarker": .string(try reader.string("endMarker") ?? ""),
            ]
        case "text":
            var out: Object = [
                "locale": .string(try reader.locale()), "case": .string(try reader.caseMode(default: "lower")),
                "stopwords": .array((try reader.strings("stopwords") ?? []).map { .string($0) }),
                "accent": .bool(try reader.bool("accent") ?? false),
                "stemming": .bool(try reader.bool("stemming") ?? true),
            ]
            if let edge = p["edgeNgram"], edge != .null {
                guard case .object(let e) = edge else { throw bad(type, "'edgeNgram' must be an object") }
                let edgeReader = PropertyReader(type: type, properties: e)
                var normalized: Object = [:]
                let min = try edgeReader.int("min")
                let max = try edgeReader.int("max")
                if let min { normalized["min"] = .int(min) }
                if let max { normalized["max"] = .int(max) }
                if let min, let max, min > max { throw bad(type, "edgeNgram 'min' exceeds 'max'") }
                if let min, min < 1 { throw bad(type, "edgeNgram 'min' must be at least 1") }
                normalized["preserveOriginal"] = .bool(try edgeReader.bool("preserveOriginal") ?? false)
                out["edgeNgram"] = .object(normalized)
            }
            return out
        case "minhash":
            guard let count = try reader.int("numHashes"), count >= 1, count <= 65536 else {
                throw bad(type, "'numHashes' must be an integer from 1 to 65536")
            }
            var inner: Value = ["type": "identity", "properties": [:]]
            if let a = p["analyzer"], a != .null {
                guard case .object(let o) = a, let t = o["type"]?.stringValue else {
                    throw bad(type, "'analyzer' must be an object with a 'type'")
                }
                guard t != "minhash" else { throw bad(type, "a minhash analyzer cannot wrap a minhash analyzer") }
                var props: Object = [:]
                if case .object(let given)? = o["properties"] { props = given }
                inner = ["type": .string(t), "properties": .object(try normalized(type: t, props))]
            }
            return ["analyzer": inner, "numHashes": .int(count)]
        case "pipeline":
            guard case .array(let stages)? = p["pipeline"], !stages.isEmpty else {
                throw bad(type, "'pipeline' must be a non-empty array of analyzers")
            }
            return [
                "pipeline": .array(
                    try stages.map { stage in
                        guard case .object(let s) = stage, let t = s["type"]?.stringValue else {
                            throw bad(type, "each stage needs a 'type'")
                        }
                        guard t != "pipeline" else { throw bad(type, "a pipeline cannot hold a pipeline") }
                        var inner: Object = [:]
                        if case .object(let props)? = s["properties"] { inner = props }
                        return ["type": .string(t), "properties": .object(try normalized(type: t, inner))]
                    })
            ]
        default:
            throw LocusError(
                .badParameter,
                "analyzer type '\(type)' is not supported; Locus has " + types.joined(separator: ", "))
        }
    }

    /// Reads typed properties, refusing a property of the wrong type.
    struct PropertyReader {
        let type: String
        let properties: Object

        func string(_ name: String, required: Bool = false) throws -> String? {
            switch properties[name] {
            case nil, .null?:
                if required { throw bad(type, "'\(name)' is required") }
                return nil
            case .string(let s)?: return s
            default: throw bad(type, "'\(name)' must be a string")
            }
        }

        func bool(_ name: String) throws -> Bool? {
            switch properties[name] {
            case nil, .null?: return nil
            case .bool(let b)?: return b
            default: throw bad(type, "'\(name)' must be a boolean")
            }
        }

        func int(_ name: String) throws -> Int? {
            switch properties[name] {
            case nil, .null?: return nil
            case .number(let n)? where n == n.rounded() && abs(n) < 1e9: return Int(n)
            default: throw bad(type, "'\(name)' must be an integer")
            }
        }

        func strings(_ name: String) throws -> [String]? {
            switch properties[name] {
            case nil, .null?: return nil
            case .array(let xs)?:
                return try xs.map {
                    guard let s = $0.stringValue else { throw bad(type, "'\(name)' must hold strings") }
                    return s
                }
            default: throw bad(type, "'\(name)' must be an array of strings")
            }
        }

        /// ArangoDB's locale form: the language and country of `de_DE.UTF-8@euro` (`de_DE`).
        func locale() throws -> String {
            guard let raw = try string("locale", required: true), !raw.isEmpty else {
                throw bad(type, "'locale' is required")
            }
            let base = raw.split(whereSeparator: { $0 == "." || $0 == "@" }).first.map(String.init) ?? raw
            return String(base.map { $0 == "-" ? "_" : $0 })
        }

        func caseMode(default fallback: String) throws -> String {
            let mode = try string("case") ?? fallback
            guard ["lower", "upper", "none"].contains(mode) else { throw bad(type, "'case' is lower, upper or none") }
            return mode
        }
    }
}

// MARK: - Built-in analyzers

extension AnalyzerDefinition {
    /// The languages of ArangoDB's built-in `text_xx` analyzers.
    static let builtInTextLanguages = ["de", "en", "es", "fi", "fr", "it", "nl", "no", "pt", "ru", "sv", "zh"]

    /// ArangoDB's built-in analyzers, by name.
    public static let builtIn: [String: AnalyzerDefinition] = {
        var all: [String: AnalyzerDefinition] = [:]
        // The definitions are fixed and valid, so these initializers cannot fail.
        all["identity"] = try? AnalyzerDefinition(name: "identity", type: "identity", features: ["frequency", "norm"])
        for language in builtInTextLanguages {
            all["text_" + language] = try? AnalyzerDefinition(
                name: "text_" + language, type: "text",
                properties: ["locale": .string(language), "stopwords": [], "stemming": .bool(language != "zh")],
                features: ["frequency", "norm", "position"])
        }
        return all
    }()
}
