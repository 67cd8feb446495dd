// Descriptions of collections and indexes as the storage catalog records them (`Catalog`).

import LocusErrors
import LocusValues

/// A collection in the catalog.
public struct CollectionInfo: Sendable, Equatable {
    public let id: Int
    public let name: String
    public let type: CollectionType
    var table: String { "c\(id)" }
}

/// An index on a collection. Primary and edge indexes are implicit and always present.
public struct IndexInfo: Sendable, Equatable {
    public let id: Int
    public let collection: String
    public let name: String
    public let type: IndexType
    public let fields: [String]
    public let unique: Bool
    public let sparse: Bool
    public let expireAfter: Double?
    /// The shortest word a fulltext index holds.
    public var minLength: Int? = nil
    /// Whether a one-field geo index reads coordinate pairs as [longitude, latitude] (GeoJSON
    /// order) rather than [latitude, longitude].
    public var geoJson: Bool? = nil
    var table: String { "i\(id)" }

    /// Whether a field expands an array (see `IndexFields`).
    public var expandsArrays: Bool { IndexFields.expandArrays(fields) }

    /// The ArangoDB-style description of the index.
    public var description: Value {
        var o: Value = [
            "id": .string("\(collection)/\(type == .primary ? "0" : type == .edge ? "1" : String(id))"),
            "name": .string(name), "type": .string(type.rawValue), "fields": .array(fields.map { .string($0) }),
            "unique": .bool(unique), "sparse": .bool(sparse),
        ]
        if let expireAfter, case .object(var obj) = o { obj["expireAfter"] = .number(expireAfter); o = .object(obj) }
        if let minLength, case .object(var obj) = o { obj["minLength"] = .int(minLength); o = .object(obj) }
        if let geoJson, case .object(var obj) = o { obj["geoJson"] = .bool(geoJson); o = .object(obj) }
        return o
    }
}

/// A key range over an index, as encoded IndexKey bytes; nil bounds are open.
public struct IndexRange: Sendable {
    public var lower: [UInt8]?
    public var upper: [UInt8]?  // exclusive
    public init(lower: [UInt8]?, upper: [UInt8]?) {
        self.lower = lower
        self.upper = upper
    }
}

/// A named graph: edge definitions (an edge collection with the vertex collections its edges
/// may come from and go to) and orphan vertex collections.
public struct GraphInfo: Sendable, Equatable {
    public struct EdgeDefinition: Sendable, Equatable {
        public var collection: String
        public var from: [String]
        public var to: [String]
        public init(collection: String, from: [String], to: [String]) {
            self.collection = collection
            self.from = from
            self.to = to
        }
    }
    public var name: String
    public var edgeDefinitions: [EdgeDefinition]
    public var orphans: [String]

    /// Every vertex collection the graph names: edge definition ends and orphans.
    public var vertexCollections: [String] {
        var out: [String] = []
        for c in edgeDefinitions.flatMap({ $0.from + $0.to }) + orphans where !out.contains(c) { out.append(c) }
        return out
    }

    /// ArangoDB's JSON form of the graph.
    public var description: Value {
        [
            "name": .string(name),
            "edgeDefinitions": .array(
                edgeDefinitions.map {
                    [
                        "collection": .string($0.collection), "from": .array($0.from.map { .string($0) }),
                        "to": .array($0.to.map { .string($0) }),
                    ]
                }),
            "orphanCollections": .array(orphans.map { .string($0) }),
        ]
    }

    /// Reads `[{"collection": "e", "from": ["v"], "to": ["v"]}]`; anything else is 1901.
    public static func edgeDefinitions(from v: Value) throws -> [EdgeDefinition] {
        // ArangoDB allows graphs without edge definitions (only orphans, or nothing at all).
        if v.isNull { return [] }
        guard case .array(let items) = v else {
            throw LocusError(.graphInvalid, "edge definitions must be an array")
        }
        return try items.map { item in
            guard case .string(let c)? = item[attribute: "collection"] as Value?, !c.isEmpty,
                case .array(let from) = item[attribute: "from"], case .array(let to) = item[attribute: "to"],
                let f = Optional(from.compactMap(\.stringValue)), f.count == from.count, !f.isEmpty,
                let t = Optional(to.compactMap(\.stringValue)), t.count == to.count, !t.isEmpty
            else {
                throw LocusError(.graphInvalid, "each edge definition needs \"collection\", \"from\" and \"to\"")
            }
            return EdgeDefinition(collection: c, from: f, to: t)
        }
    }
}
