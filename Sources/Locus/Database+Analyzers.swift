// ArangoSearch's analyzers in a database: the built-in ones and the custom ones the catalog
// keeps (replicated to every PoP as catalog entries), created, listed and dropped as
// ArangoDB's `/_api/analyzer` does. TOKENS uses them in queries.

import LocusAnalysis
import LocusErrors
import LocusFunctions
import LocusStorage
import LocusValues

extension Database {
    /// Creates a custom analyzer. An identical one already there is returned with
    /// `created: false`, as ArangoDB does; a different one of the same name (a built-in
    /// included) is error 10, "name collision".
    ///
    /// ```swift
    /// let hyphen = try AnalyzerDefinition(name: "hyphen", type: "delimiter", properties: ["delimiter": "-"])
    /// try db.createAnalyzer(hyphen)
    /// try db.query(#"RETURN TOKENS("a-b", "hyphen")"#).rows   // [["a", "b"]]
    /// ```
    @discardableResult
    public func createAnalyzer(_ definition: AnalyzerDefinition) throws -> (analyzer: AnalyzerDefinition, created: Bool)
    {
        if let builtIn = AnalyzerDefinition.builtIn[definition.name] {
            guard builtIn == definition else { throw Database.nameCollision(definition.name) }
            return (builtIn, false)
        }
        return try store.withLock { storage in
            try storage.transaction(write: true) {
                if let text = try storage.definition(.analyzer, definition.name) {
                    let existing = try AnalyzerDefinition(json: try JSONReader.parse(text))
                    guard existing == definition else { throw Database.nameCollision(definition.name) }
                    return (existing, false)
                }
                try storage.setDefinition(.analyzer, definition.name, definition: JSONWriter.string(definition.json()))
                return (definition, true)
            }
        }
    }

    /// The custom analyzers, by name.
    public func analyzers() throws -> [AnalyzerDefinition] {
        try store.withLock { try $0.definitions(.analyzer) }.map {
            try AnalyzerDefinition(json: try JSONReader.parse($0.definition))
        }
    }

    /// An analyzer by name (built-in or custom; a `db::` prefix is dropped), or nil.
    public func analyzer(_ name: String) throws -> AnalyzerDefinition? {
        let short = AnalyzerDefinition.shortName(name)
        if let builtIn = AnalyzerDefinition.builtIn[short] { return builtIn }
        guard let text = try store.withLock({ try $0.definition(.analyzer, short) }) else { return nil }
        return try AnalyzerDefinition(json: try JSONReader.parse(text))
    }

    /// Drops a custom analyzer: 1202 when there is none, 11 for a built-in one, 1200 while a view
    /// uses it.
    public func dropAnalyzer(_ name: String) throws {
        let short = AnalyzerDefinition.shortName(name)
        if AnalyzerDefinition.builtIn[short] != nil {
            throw LocusError(.forbidden, "built-in analyzer '\(short)' cannot be dropped")
        }
        try store.withLock { storage in
            try storage.transaction(write: true) {
                guard try storage.definition(.analyzer, short) != nil else {
                    throw LocusError(code: .documentNotFound, message: "analyzer not found: \(short)")
                }
                // A view's entries were made with it: dropping it would leave them unreadable.
                for view in try storage.views()
                where view.definition.links.values.contains(where: { link in
                    link.analyzerNames.contains { AnalyzerDefinition.shortName($0) == short }
                }) {
                    throw LocusError(
                        code: .conflict, message: "conflict: analyzer '\(short)' is in use by view '\(view.name)'")
                }
                try storage.setDefinition(.analyzer, short, definition: nil)
            }
        }
    }

    static func nameCollision(_ name: String) -> LocusError {
        LocusError(.badParameter, "name collision detected: analyzer '\(name)' exists with another definition")
    }
}
