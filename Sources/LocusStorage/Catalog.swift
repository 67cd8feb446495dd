// Descriptions of collections and indexes as the storage catalog records them.

import LocusValues

/// The three collection kinds: documents, edges (with `_from`/`_to`) and key-value entries.
public enum CollectionType: String, Sendable, CaseIterable {
    case document, edge, kv
}

/// A collection in the catalog.
public struct CollectionInfo: Sendable, Equatable {
    public let id: Int
    public let name: String
    public let type: CollectionType
    var table: String { "c\(id)" }
}

/// The kinds of index storage maintains.
public enum IndexType: String, Sendable {
    case primary, edge, persistent, ttl
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
    var table: String { "i\(id)" }

    /// The ArangoDB-style description of the index.
    public var description: Value {
        var o: Value = [
            "id": .string("\(collection)/\(type == .primary ? "0" : type == .edge ? "1" : String(id))"),
            "name": .string(name), "type": .string(type.rawValue), "fields": .array(fields.map { .string($0) }),
            "unique": .bool(unique), "sparse": .bool(sparse),
        ]
        if let expireAfter, case .object(var obj) = o { obj["expireAfter"] = .number(expireAfter); o = .object(obj) }
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
