// ArangoSearch views in storage: each view's definition is a catalog definition (replicated as
// the others are), and its entries (tokens, lengths, typed values; see SearchKey) live in a
// table of its own, written in the transaction that writes the document, so a view is never
// behind its collections. Every path that removes a document's index entries removes its view
// entries with them: eviction leaves no token of an evicted record behind. The tables are
// plain SQLite B-trees, not FTS5: FTS5 would tokenize with its own tokenizers, order terms by
// its own rules and rank with a BM25 that is not ArangoSearch's, and a view must agree with
// TOKENS and with ArangoDB's scores exactly.

import LocusAnalysis
import LocusErrors
import LocusValues

/// A view as storage keeps it.
public struct ViewInfo: Sendable {
    public let definition: SearchViewDefinition
    /// The view's identifier (stable: made from its name).
    public let id: String
    var table: String { "locus_view_\(id)" }

    public var name: String { definition.name }

    init(_ definition: SearchViewDefinition) {
        self.definition = definition
        id = definition.name.utf8.map { String($0, radix: 16) }.joined()
    }
}

/// This connection's copy of the views, read again when the catalog moves.
struct ViewRegistry {
    var version: Int64 = .min
    var byName: [String: ViewInfo] = [:]
    var byCollection: [String: [(view: ViewInfo, link: SearchLink)]] = [:]
    /// Compiled custom analyzers with the definition text they were compiled from.
    var analyzers: [String: (text: String, analyzer: Analyzer)] = [:]

    mutating func invalidate() { version = .min }
}

extension Storage {
    // MARK: Reading the registry

    private func loadedViews() throws -> ViewRegistry {
        if viewRegistry.version == catalog.version && viewRegistry.version != .min { return viewRegistry }
        var r = ViewRegistry()
        r.version = catalog.version
        r.analyzers = viewRegistry.analyzers
        for (name, text) in try definitions(.view) {
            guard let d = try? SearchViewDefinition(json: try JSONReader.parse(text)) else { continue }
            let info = ViewInfo(d)
            r.byName[name] = info
            for (collection, link) in d.links { r.byCollection[collection, default: []].append((info, link)) }
        }
        viewRegistry = r
        return r
    }

    /// Every view, by name.
    public func views() throws -> [ViewInfo] { try loadedViews().byName.values.sorted { $0.name < $1.name } }

    /// A view, or nil.
    public func view(_ name: String) throws -> ViewInfo? { try loadedViews().byName[name] }

    /// The views linking `collection`, with their links.
    func viewLinks(of collection: String) throws -> [(view: ViewInfo, link: SearchLink)] {
        try loadedViews().byCollection[collection] ?? []
    }

    /// Whether any view links `collection` (its writes then maintain view entries).
    func hasViewLinks(_ collection: String) throws -> Bool { !(try viewLinks(of: collection)).isEmpty }

    /// An analyzer by name: a built-in one, or a custom one of this database.
    public func searchAnalyzer(_ name: String) throws -> Analyzer? {
        if let builtIn = Analyzer.builtIn(name) { return builtIn }
        guard let text = try definition(.analyzer, name) else { return nil }
        if let known = viewRegistry.analyzers[name], known.text == text { return known.analyzer }
        let compiled = Analyzer(try AnalyzerDefinition(json: try JSONReader.parse(text)))
        viewRegistry.analyzers[name] = (text, compiled)
        return compiled
    }

    // MARK: Changing views

    /// Creates a view: 1207 when a view or collection has its name, 1203 for a link to a
    /// missing collection, 10 for an unknown analyzer. Its entries are built at once.
    @discardableResult
    public func createView(_ d: SearchViewDefinition) throws -> ViewInfo {
        try flushPendingInserts()
        guard DefinitionKind.view.isValidName(d.name) else {
            throw LocusError(.illegalName, "invalid view name '\(d.name)'")
        }
        return try transaction(write: true) {
            if try definition(.view, d.name) != nil || catalog.collection(d.name) != nil {
                throw LocusError(code: .duplicateName, message: "duplicate name: \(d.name)")
            }
            try check(d)
            try setDefinition(.view, d.name, definition: JSONWriter.string(d.storedJSON))
            return try rebuildView(d)
        }
    }

    /// Replaces a view's definition (1203 when there is none) and rebuilds its entries.
    @discardableResult
    public func replaceView(_ d: SearchViewDefinition) throws -> ViewInfo {
        try flushPendingInserts()
        return try transaction(write: true) {
            guard try definition(.view, d.name) != nil else { throw LocusError(.dataSourceNotFound, d.name) }
            try check(d)
            try setDefinition(.view, d.name, definition: JSONWriter.string(d.storedJSON))
            return try rebuildView(d)
        }
    }

    /// Drops a view and its entries (1203 when there is none).
    public func dropView(_ name: String) throws {
        try flushPendingInserts()
        try transaction(write: true) {
            guard try definition(.view, name) != nil else { throw LocusError(.dataSourceNotFound, name) }
            try setDefinition(.view, name, definition: nil)
            try sql.execute("DROP TABLE IF EXISTS \(ViewInfo(SearchViewDefinition(name: name)).table)")
            viewRegistry.invalidate()
        }
        sql.clearCache()
    }

    private func check(_ d: SearchViewDefinition) throws {
        for (collection, link) in d.links {
            guard catalog.collection(collection) != nil else {
                throw LocusError(.dataSourceNotFound, collection)
            }
            for name in link.analyzerNames.sorted() where try searchAnalyzer(AnalyzerDefinition.shortName(name)) == nil
            {
                throw LocusError(.badParameter, "analyzer '\(name)' not found for view '\(d.name)'")
            }
        }
    }

    /// Makes a view's table hold exactly the entries of its linked collections' documents.
    @discardableResult
    func rebuildView(_ d: SearchViewDefinition) throws -> ViewInfo {
        let info = ViewInfo(d)
        try sql.execute("DROP TABLE IF EXISTS \(info.table)")
        try sql.execute(
            """
            CREATE TABLE \(info.table)(k BLOB NOT NULL, coll INTEGER NOT NULL, key TEXT NOT NULL, n INTEGER,
                PRIMARY KEY(k, coll, key)) WITHOUT ROWID;
            CREATE INDEX \(info.table)_doc ON \(info.table)(coll, key);
            """)
        viewRegistry.invalidate()
        for (collection, link) in d.links {
            guard let c = catalog.collection(collection) else { continue }
            for doc in try storedDocuments(c) {
                guard let key = doc["_key"]?.stringValue else { continue }
                try insertViewEntries(info, link, c, doc: doc, key: key)
            }
        }
        return info
    }

    /// Makes the stored view agree with a merged catalog entry (nil: dropped).
    func materializeView(_ name: String, definition text: String?) throws {
        guard let text else {
            try sql.execute("DROP TABLE IF EXISTS \(ViewInfo(SearchViewDefinition(name: name)).table)")
            viewRegistry.invalidate()
            return
        }
        try rebuildView(try SearchViewDefinition(json: try JSONReader.parse(text)))
    }

    // MARK: Entries

    private func insertViewEntries(_ v: ViewInfo, _ link: SearchLink, _ c: CollectionInfo, doc: Object, key: String)
        throws
    {
        let entries = SearchIndexer.entries(of: doc, link: link) { name in
            try? self.searchAnalyzer(AnalyzerDefinition.shortName(name))
        }
        guard !entries.isEmpty else { return }
        // A length entry also keeps its count in `n`, so that a field's totals are one SQL sum.
        let s = try sql.prepare("INSERT OR IGNORE INTO \(v.table)(k, coll, key, n) VALUES (?, ?, ?, ?)")
        for e in entries {
            s.bind(1, bytes: SearchKey.encode(e))
            s.bind(2, c.id)
            s.bind(3, key)
            if case .length(_, _, let count) = e { s.bind(4, count) } else { s.bindNull(4) }
            try s.run()
        }
    }

    /// Adds a document's entries to every view linking its collection.
    func addViewEntries(_ c: CollectionInfo, doc: Object, key: String) throws {
        for (view, link) in try viewLinks(of: c.name) {
            try insertViewEntries(view, link, c, doc: doc, key: key)
        }
    }

    /// Removes a document's entries from every view linking its collection.
    func removeViewEntries(_ c: CollectionInfo, key: String) throws {
        for (view, _) in try viewLinks(of: c.name) {
            let d = try sql.prepare("DELETE FROM \(view.table) WHERE coll = ? AND key = ?")
            d.bind(1, c.id)
            d.bind(2, key)
            try d.run()
        }
    }

    /// A view's entries in a key range, in key order, decoded, with the document's collection
    /// id and key; `body` returns false to stop.
    public func viewEntries(
        _ v: ViewInfo, _ range: IndexRange, _ body: (SearchEntry, Int, String) throws -> Bool
    ) throws {
        try flushPendingInserts()
        var conditions: [String] = []
        if range.lower != nil { conditions.append("k >= ?") }
        if range.upper != nil { conditions.append("k < ?") }
        let s = try sql.prepare(
            "SELECT k, coll, key FROM \(v.table)"
                + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY k")
        defer { s.reset() }
        var i: Int32 = 1
        if let l = range.lower {
            s.bind(i, bytes: l)
            i += 1
        }
        if let u = range.upper { s.bind(i, bytes: u) }
        while try s.step() {
            let coll = s.int(1)
            let key = s.text(2) ?? ""
            guard let entry = s.withBytes(0, { SearchKey.decode($0) }) else { continue }
            if try !body(entry, coll, key) { break }
        }
    }

    /// Binds the key range of the length entries of `path` by `analyzer` to parameters `first`
    /// and `first + 1` (`k >= ? AND k < ?`).
    private func bindLengths(_ s: PreparedStatement, at first: Int32, path: String, analyzer: String) {
        let range = SearchKey.lengths(path: path, analyzer: analyzer)
        s.bind(first, bytes: range.lower ?? [])
        s.bind(first + 1, bytes: range.upper ?? [IndexKey.high])
    }

    /// How many documents have tokens of `analyzer` at `path`, and how many tokens in all.
    public func viewFieldTotals(_ v: ViewInfo, path: String, analyzer: String) throws -> (docs: Int, tokens: Int) {
        try flushPendingInserts()
        let s = try sql.prepare("SELECT count(*), total(n) FROM \(v.table) WHERE k >= ? AND k < ?")
        defer { s.reset() }
        bindLengths(s, at: 1, path: path, analyzer: analyzer)
        guard try s.step() else { return (0, 0) }
        return (s.int(0), Int(s.double(1)))
    }

    /// How many tokens `analyzer` made of one document's strings at `path` (0 for none).
    public func viewFieldLength(_ v: ViewInfo, path: String, analyzer: String, collection: Int, key: String) throws
        -> Int
    {
        try flushPendingInserts()
        let s = try sql.prepare("SELECT n FROM \(v.table) WHERE coll = ? AND key = ? AND k >= ? AND k < ? LIMIT 1")
        defer { s.reset() }
        s.bind(1, collection)
        s.bind(2, key)
        bindLengths(s, at: 3, path: path, analyzer: analyzer)
        return try s.step() ? s.int(0) : 0
    }

    /// Every document's token count at `path` by `analyzer`: (collection id, key, count).
    public func viewFieldLengths(_ v: ViewInfo, path: String, analyzer: String, _ body: (Int, String, Int) -> Void)
        throws
    {
        try flushPendingInserts()
        let s = try sql.prepare("SELECT coll, key, n FROM \(v.table) WHERE k >= ? AND k < ?")
        defer { s.reset() }
        bindLengths(s, at: 1, path: path, analyzer: analyzer)
        while try s.step() { body(s.int(0), s.text(1) ?? "", s.int(2)) }
    }

    /// One document's entries in a view, in key order.
    public func viewEntries(_ v: ViewInfo, collection: Int, key: String) throws -> [SearchEntry] {
        try flushPendingInserts()
        let s = try sql.prepare("SELECT k FROM \(v.table) WHERE coll = ? AND key = ? ORDER BY k")
        defer { s.reset() }
        s.bind(1, collection)
        s.bind(2, key)
        var out: [SearchEntry] = []
        while try s.step() {
            if let e = s.withBytes(0, { SearchKey.decode($0) }) { out.append(e) }
        }
        return out
    }

    /// The collection with a catalog id, or nil.
    public func collection(id: Int) -> CollectionInfo? { catalog.collections.first { $0.id == id } }
}

extension Storage {
    /// The keys of a collection's documents, in key order.
    public func documentKeys(_ c: CollectionInfo) throws -> [String] {
        try flushPendingInserts()
        let s = try sql.prepare("SELECT key FROM \(c.table) ORDER BY key")
        defer { s.reset() }
        var keys: [String] = []
        while try s.step() { keys.append(s.text(0) ?? "") }
        return keys
    }
}
