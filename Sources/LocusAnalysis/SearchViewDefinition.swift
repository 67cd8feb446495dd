// What an `arangosearch` view is: its name, its links to collections (which attributes are
// indexed, with which analyzers, and how lists and unnamed attributes are treated), and the
// properties ArangoDB shows with them, read from ArangoDB's JSON and shown back with its
// defaults. Checking a definition is error 10; a view's links name collections, which storage
// checks.

import LocusErrors
import LocusValues

/// How one collection (or one attribute within it) is indexed by a view. Unset options are
/// inherited from the enclosing link, as in ArangoDB.
public struct SearchLink: Sendable, Equatable {
    public var analyzers: [String]?
    public var fields: [String: SearchLink]
    public var includeAllFields: Bool?
    public var trackListPositions: Bool?
    public var storeValues: String?

    public init(
        analyzers: [String]? = nil, fields: [String: SearchLink] = [:], includeAllFields: Bool? = nil,
        trackListPositions: Bool? = nil, storeValues: String? = nil
    ) {
        self.analyzers = analyzers
        self.fields = fields
        self.includeAllFields = includeAllFields
        self.trackListPositions = trackListPositions
        self.storeValues = storeValues
    }

    /// Reads a link or field object of ArangoDB's JSON (error 10 for a bad one).
    public init(json: Value) throws {
        guard case .object(let o) = json else { throw LocusError(.badParameter, "a view link must be an object") }
        if let a = o["analyzers"], a != .null {
            guard case .array(let names) = a, names.allSatisfy({ $0.stringValue != nil }) else {
                throw LocusError(.badParameter, "a view link's 'analyzers' must be an array of names")
            }
            analyzers = names.compactMap(\.stringValue)
        }
        fields = [:]
        if let f = o["fields"], f != .null {
            guard case .object(let fo) = f else {
                throw LocusError(.badParameter, "a view link's 'fields' must be an object")
            }
            for (name, sub) in fo { fields[name] = try SearchLink(json: sub == .null ? .object([:]) : sub) }
        }
        func flag(_ name: String) throws -> Bool? {
            switch o[name] {
            case nil, .null?: return nil
            case .bool(let b)?: return b
            default: throw LocusError(.badParameter, "a view link's '\(name)' must be a boolean")
            }
        }
        includeAllFields = try flag("includeAllFields")
        trackListPositions = try flag("trackListPositions")
        switch o["storeValues"] {
        case nil, .null?: storeValues = nil
        case .string(let s)? where s == "none" || s == "id": storeValues = s
        default: throw LocusError(.badParameter, "a view link's 'storeValues' is \"none\" or \"id\"")
        }
    }

    /// The link as ArangoDB shows it: a collection's link with every option, a field with
    /// those it sets.
    public func json(top: Bool) -> Value {
        var o: Object = [:]
        if top || analyzers != nil { o["analyzers"] = .array((analyzers ?? ["identity"]).map { .string($0) }) }
        if top || !fields.isEmpty {
            var f: Object = [:]
            for name in fields.keys.sorted() { f[name] = fields[name]!.json(top: false) }
            o["fields"] = .object(f)
        }
        if top || includeAllFields != nil { o["includeAllFields"] = .bool(includeAllFields ?? false) }
        if top || storeValues != nil { o["storeValues"] = .string(storeValues ?? "none") }
        if top || trackListPositions != nil { o["trackListPositions"] = .bool(trackListPositions ?? false) }
        return .object(o)
    }

    /// Every analyzer name the link and its fields use.
    public var analyzerNames: Set<String> {
        var names = Set(analyzers ?? ["identity"])
        for f in fields.values { names.formUnion(f.analyzers ?? []); names.formUnion(f.analyzerNames) }
        return names
    }
}

/// An `arangosearch` view's definition.
///
/// ```swift
/// let view = try SearchViewDefinition(json: [
///     "name": "articles", "type": "arangosearch",
///     "links": ["posts": ["fields": ["body": ["analyzers": ["text_en"]]]]],
/// ])
/// ```
public struct SearchViewDefinition: Sendable, Equatable {
    public var name: String
    /// The linked collections, by name.
    public var links: [String: SearchLink]
    /// ArangoDB's `primarySort` (kept and shown; results are ordered by SORT, not by it).
    public var primarySort: [Value]
    public var storedValues: [Value]

    public init(name: String, links: [String: SearchLink] = [:], primarySort: [Value] = [], storedValues: [Value] = [])
    {
        self.name = name
        self.links = links
        self.primarySort = primarySort
        self.storedValues = storedValues
    }

    /// Reads ArangoDB's body of `POST /_api/view`; `type` must be `arangosearch` (or Macrometa's
    /// `search`).
    public init(json: Value) throws {
        guard case .object(let o) = json else { throw LocusError(.badParameter, "a view must be a JSON object") }
        guard let name = o["name"]?.stringValue, !name.isEmpty else {
            throw LocusError(.badParameter, "a view needs a 'name'")
        }
        // Macrometa calls the same views `search`.
        if let type = o["type"], type != .null, type != "arangosearch", type != "search" {
            throw LocusError(
                .badParameter, "view type \(JSONWriter.string(type)) is not supported; Locus has arangosearch views")
        }
        self.name = name
        links = [:]
        primarySort = []
        storedValues = []
        try applyProperties(o, partial: false)
    }

    /// Sets the properties of a `PUT` (all of them) or a `PATCH` (`partial`: links merge, and a
    /// link set to null is removed).
    public mutating func applyProperties(_ o: Object, partial: Bool) throws {
        if let l = o["links"], l != .null {
            guard case .object(let lo) = l else {
                throw LocusError(.badParameter, "a view's 'links' must be an object")
            }
            if !partial { links = [:] }
            for (collection, link) in lo {
                links[collection] = link == .null ? nil : try SearchLink(json: link)
            }
        } else if !partial {
            links = [:]
        }
        func list(_ name: String) throws -> [Value]? {
            switch o[name] {
            case nil, .null?: return nil
            case .array(let xs)?: return xs
            default: throw LocusError(.badParameter, "a view's '\(name)' must be an array")
            }
        }
        if let p = try list("primarySort") { primarySort = p } else if !partial { primarySort = [] }
        if let s = try list("storedValues") { storedValues = s } else if !partial { storedValues = [] }
    }

    /// ArangoDB's properties JSON of the view (`GET /_api/view/NAME/properties`).
    public func json(id: String) -> Value {
        var l: Object = [:]
        for c in links.keys.sorted() { l[c] = links[c]!.json(top: true) }
        return [
            "globallyUniqueId": .string("h" + id), "id": .string(id), "name": .string(name), "type": "arangosearch",
            "links": .object(l), "primarySort": .array(primarySort), "primarySortCompression": "lz4",
            "storedValues": .array(storedValues), "cleanupIntervalStep": 2, "commitIntervalMsec": 1000,
            "consolidationIntervalMsec": 1000, "writebufferActive": 0, "writebufferIdle": 64,
            "writebufferSizeMax": 33_554_432,
            "consolidationPolicy": [
                "type": "tier", "segmentsBytesFloor": 2_097_152, "segmentsBytesMax": 5_368_709_120,
                "segmentsMax": 10, "segmentsMin": 1, "minScore": 0,
            ],
        ]
    }

    /// The definition as stored in the catalog.
    public var storedJSON: Value {
        var l: Object = [:]
        for c in links.keys.sorted() { l[c] = links[c]!.json(top: true) }
        return [
            "name": .string(name), "type": "arangosearch", "links": .object(l), "primarySort": .array(primarySort),
            "storedValues": .array(storedValues),
        ]
    }
}
