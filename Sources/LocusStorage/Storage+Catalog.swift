// The catalog of a database: its collections and indexes, created, dropped and listed, with
// the tables and index maintenance each one needs.

import LocusErrors
import LocusValues

extension Storage {
    public var collections: [CollectionInfo] { catalog.collections }

    public func collection(_ name: String) -> CollectionInfo? { catalog.collection(name) }

    public func requireCollection(_ name: String) throws -> CollectionInfo {
        guard let c = catalog.collection(name) else { throw LocusError(.dataSourceNotFound, name) }
        return c
    }

    @discardableResult
    public func createCollection(_ name: String, type: CollectionType) throws -> CollectionInfo {
        try flushPendingInserts()
        guard DocumentKey.isValidCollectionName(name) else { throw LocusError(.illegalName, name) }
        if catalog.collection(name) != nil { throw LocusError(.duplicateName, name) }
        return try transaction(write: true) {
            // Views and collections share one namespace, as in ArangoDB.
            if try definition(.view, name) != nil { throw LocusError(.duplicateName, name) }
            let c = try catalog.addCollection(name, type: type)
            let t = c.table
            switch type {
            case .document:
                try sql.execute("CREATE TABLE \(t)(key TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL)")
            case .edge:
                try sql.execute(
                    """
                    CREATE TABLE \(t)(key TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL, from_id TEXT NOT NULL, to_id TEXT NOT NULL);
                    CREATE INDEX \(t)_from ON \(t)(from_id); CREATE INDEX \(t)_to ON \(t)(to_id);
                    """)
            case .kv:
                try sql.execute(
                    """
                    CREATE TABLE \(t)(key TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL, expire_at REAL);
                    CREATE INDEX \(t)_expire ON \(t)(expire_at) WHERE expire_at IS NOT NULL;
                    """)
            }
            if capturing { try recordCollection(name, live: true) }
            return c
        }
    }

    public func dropCollection(_ name: String) throws {
        try flushPendingInserts()
        let c = try requireCollection(name)
        try transaction(write: true) {
            for (view, _) in try viewLinks(of: name) {
                let d = try sql.prepare("DELETE FROM \(view.table) WHERE coll = ?")
                d.bind(1, c.id)
                try d.run()
            }
            for ix in catalog.indexes(of: name) { try sql.execute("DROP TABLE IF EXISTS \(ix.table)") }
            try sql.execute("DROP TABLE IF EXISTS \(c.table)")
            try catalog.removeCollection(c)
            if replica != nil {
                let dc = try sql.prepare("DELETE FROM locus_clock WHERE coll = ?")
                dc.bind(1, c.id)
                try dc.run()
                try placements.forget(coll: c.id)
                try stream.erase(collection: c.id)
                if capturing { try recordCollection(name, live: false) }
            }
        }
        sql.clearCache()
        catalog.forget(name)
    }

    /// All indexes of a collection, the implicit primary and edge indexes first.
    public func indexes(_ collection: String) throws -> [IndexInfo] {
        let c = try requireCollection(collection)
        var out = [
            IndexInfo(
                id: 0, collection: c.name, name: "primary", type: .primary, fields: ["_key"], unique: true,
                sparse: false, expireAfter: nil)
        ]
        if c.type == .edge {
            out.append(
                IndexInfo(
                    id: 0, collection: c.name, name: "edge", type: .edge, fields: ["_from", "_to"],
                    unique: false, sparse: false, expireAfter: nil))
        }
        return out + catalog.indexes(of: c.name)
    }

    /// A name for a new index of `collection` that no index of it has: from its fields, with a
    /// counter when that is taken (indexes of different types or options on the same fields
    /// coexist).
    func generatedIndexName(collection: String, fields: [String]) -> String {
        let taken = Set(catalog.indexes(of: collection).map(\.name))
        let base =
            "idx_\(collection)_\(fields.joined(separator: "_").filter { $0.isLetter || $0.isNumber || $0 == "_" })"
        var name = base, n = 2
        while taken.contains(name) { name = base + "_\(n)"; n += 1 }
        return name
    }

    /// Creates a persistent or TTL index and fills it from the existing documents.
    /// An identical existing index is returned instead of a new one, as ArangoDB does.
    @discardableResult
    public func createIndex(
        collection: String, type: IndexType, fields: [String], unique: Bool = false,
        sparse: Bool = false, expireAfter: Double? = nil, minLength: Int? = nil,
        geoJson: Bool? = nil, name: String? = nil
    ) throws -> IndexInfo {
        try flushPendingInserts()
        let c = try requireCollection(collection)
        guard type == .persistent || type == .ttl || type == .fulltext || type == .geo else {
            throw LocusError(.badParameter, "cannot create an index of type '\(type.rawValue)'")
        }
        var sparse = sparse, minLength = minLength, geoJson = geoJson
        if type == .geo {
            guard (1...2).contains(fields.count), !unique else {
                throw LocusError(
                    .badParameter,
                    "a geo index covers one field (a coordinate pair or GeoJSON) or two (latitude, longitude)")
            }
            (sparse, geoJson) = (true, geoJson ?? false)
        } else {
            geoJson = nil
        }
        if type == .fulltext {
            guard fields.count == 1, !unique else {
                throw LocusError(.badParameter, "a fulltext index covers exactly one field and is not unique")
            }
            let m = minLength ?? 2
            guard m >= 1, m <= FulltextIndex.maxWordLength else {
                throw LocusError(.badParameter, "minLength must be between 1 and \(FulltextIndex.maxWordLength)")
            }
            (sparse, minLength) = (true, m)
        } else {
            minLength = nil
        }
        guard !fields.isEmpty, fields.allSatisfy({ !$0.isEmpty }) else {
            throw LocusError(.badParameter, "index needs at least one field")
        }
        if type == .ttl {
            guard fields.count == 1, let e = expireAfter, e >= 0 else {
                throw LocusError(.badParameter, "a ttl index needs exactly one field and expireAfter >= 0")
            }
        }
        if let same = catalog.indexes(of: collection).first(where: {
            $0.type == type && $0.fields == fields && $0.unique == unique && $0.sparse == sparse
                && $0.minLength == minLength
                && $0.geoJson == geoJson
        }) {
            return same
        }
        return try transaction(write: true) {
            let n = name ?? generatedIndexName(collection: collection, fields: fields)
            let info = try catalog.addIndex(
                collection: collection, name: n, type: type, fields: fields, unique: unique, sparse: sparse,
                expireAfter: expireAfter, minLength: minLength, geoJson: geoJson)
            try sql.execute(
                "CREATE TABLE \(info.table)(k BLOB NOT NULL, key TEXT NOT NULL, PRIMARY KEY(k, key)) WITHOUT ROWID")
            if capturing { try recordIndex(collection: collection, name: n) }
            try fillIndex(info, from: c)
            return info
        }
    }

    public func dropIndex(collection: String, name: String) throws {
        try flushPendingInserts()
        guard let ix = catalog.indexes(of: collection).first(where: { $0.name == name || String($0.id) == name })
        else {
            throw LocusError(.indexNotFound)
        }
        try transaction(write: true) {
            try sql.execute("DROP TABLE IF EXISTS \(ix.table)")
            try catalog.removeIndex(ix)
            if capturing { try recordIndex(collection: collection, name: ix.name) }
        }
        sql.clearCache()
    }
}

extension Storage {
    /// Every stored document of `c`, read whole before anything is written for them.
    func storedDocuments(_ c: CollectionInfo) throws -> [Object] {
        var docs: [Object] = []
        try scan(c) { bytes in
            if case .object(let o) = try JSONReader.parseStored(bytes) { docs.append(o) }
            return true
        }
        return docs
    }

    /// Adds the entries of every document of `c` to the (empty) index `ix`: when an index is
    /// created, and when an older file's index keys are rebuilt.
    func fillIndex(_ ix: IndexInfo, from c: CollectionInfo) throws {
        for d in try storedDocuments(c) {
            guard let key = d["_key"]?.stringValue else { continue }
            try indexes.add(try indexes.entries(c.name, doc: d, key: key, only: ix), key: key)
        }
    }
}
