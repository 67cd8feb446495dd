// The catalog of a database file: the rows of `locus_collections` and `locus_indexes`, and
// this connection's copy of them. The copy follows SQLite's schema version, which every
// connection's DDL moves, and is reloaded when a transaction that changed it is undone.
// Creating the tables a collection or index stores its data in is storage's job, not this one.

import LocusErrors
import LocusValues

/// The collections and indexes of one database, as this connection knows them.
final class Catalog {
    private let sql: SQLiteConnection
    private var collectionsByName: [String: CollectionInfo] = [:]
    private var indexesByCollection: [String: [IndexInfo]] = [:]
    /// SQLite's schema version when the copy was read.
    private var schemaVersion = -1
    /// Set by DDL inside a transaction, so that undoing it reloads the copy.
    private var changed = false

    /// The state of the catalog as every connection to the file sees it, read when a
    /// transaction begins: SQLite's schema version, which collection, index and graph
    /// definitions all change. Plans made under one value stay valid while it holds.
    private(set) var version: Int64 = -1

    init(sql: SQLiteConnection) { self.sql = sql }

    /// Creates the catalog's tables in a new file.
    func createTables() throws {
        try sql.execute(
            """
            CREATE TABLE IF NOT EXISTS locus_collections(
                id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, type TEXT NOT NULL,
                key_counter INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS locus_indexes(
                id INTEGER PRIMARY KEY, collection TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,
                fields TEXT NOT NULL, is_unique INTEGER NOT NULL, sparse INTEGER NOT NULL,
                expire_after REAL,  -- a ttl index's expireAfter, a fulltext index's minLength, a geo index's geoJson
                UNIQUE(collection, name));
            """)
    }

    // MARK: - Reading

    var collections: [CollectionInfo] { collectionsByName.values.sorted { $0.name < $1.name } }

    func collection(_ name: String) -> CollectionInfo? { collectionsByName[name] }

    /// The secondary indexes of `collection`, oldest first.
    func indexes(of collection: String) -> [IndexInfo] { indexesByCollection[collection] ?? [] }

    /// Reads the whole catalog again.
    func load() throws {
        if let v = try? currentSchemaVersion() { schemaVersion = v }
        collectionsByName = [:]
        indexesByCollection = [:]
        let s = try sql.prepare("SELECT id, name, type FROM locus_collections")
        while try s.step() {
            let c = CollectionInfo(
                id: s.int(0), name: s.text(1)!, type: CollectionType(rawValue: s.text(2)!) ?? .document)
            collectionsByName[c.name] = c
        }
        let ix = try sql.prepare(
            "SELECT id, collection, name, type, fields, is_unique, sparse, expire_after FROM locus_indexes ORDER BY id")
        while try ix.step() {
            let fields = (try? JSONReader.parse(ix.text(4)!))?.arrayValue?.compactMap(\.stringValue) ?? []
            let type = IndexType(rawValue: ix.text(3)!) ?? .persistent
            let parameter = ix.isNull(7) ? nil : ix.double(7)
            let info = IndexInfo(
                id: ix.int(0), collection: ix.text(1)!, name: ix.text(2)!, type: type, fields: fields,
                unique: ix.int(5) != 0, sparse: ix.int(6) != 0,
                expireAfter: type == .ttl ? parameter : nil,
                minLength: type == .fulltext ? Int(parameter ?? 2) : nil,
                geoJson: type == .geo ? (parameter ?? 0) != 0 : nil)
            indexesByCollection[info.collection, default: []].append(info)
        }
    }

    private func currentSchemaVersion() throws -> Int? {
        let s = try sql.prepare(.schemaVersion)
        defer { s.reset() }
        return try s.step() ? s.int(0) : nil
    }

    /// Takes `v` as the catalog version; reloads the copy when another connection moved the
    /// schema past it (a private in-memory database has no other connection).
    func adopt(schemaVersion v: Int, shared: Bool) throws {
        version = Int64(v)
        if v != schemaVersion && shared {
            sql.clearCache()
            try load()
        }
    }

    // MARK: - Changing

    /// Records a new collection; its data table is the caller's to create.
    func addCollection(_ name: String, type: CollectionType) throws -> CollectionInfo {
        let ins = try sql.prepare("INSERT INTO locus_collections(name, type) VALUES (?, ?)")
        ins.bind(1, name)
        ins.bind(2, type.rawValue)
        try ins.run()
        let c = CollectionInfo(id: sql.lastInsertRowID, name: name, type: type)
        changed = true
        collectionsByName[name] = c
        return c
    }

    /// Deletes the rows of `c` and of its indexes; the copy forgets them at `forget(_:)`.
    func removeCollection(_ c: CollectionInfo) throws {
        let d = try sql.prepare("DELETE FROM locus_collections WHERE id = ?")
        d.bind(1, c.id)
        try d.run()
        let di = try sql.prepare("DELETE FROM locus_indexes WHERE collection = ?")
        di.bind(1, c.name)
        try di.run()
        changed = true
    }

    /// Drops a removed collection and its indexes from the copy.
    func forget(_ name: String) {
        collectionsByName[name] = nil
        indexesByCollection[name] = nil
    }

    /// Records a new index under `name`; its entry table is the caller's to create and fill.
    func addIndex(
        collection: String, name: String, type: IndexType, fields: [String], unique: Bool, sparse: Bool,
        expireAfter: Double?, minLength: Int?, geoJson: Bool?
    ) throws -> IndexInfo {
        let ins = try sql.prepare(
            "INSERT INTO locus_indexes(collection, name, type, fields, is_unique, sparse, expire_after) VALUES (?,?,?,?,?,?,?)"
        )
        ins.bind(1, collection)
        ins.bind(2, name)
        ins.bind(3, type.rawValue)
        ins.bind(4, JSONWriter.string(.array(fields.map { .string($0) })))
        ins.bind(5, unique ? 1 : 0)
        ins.bind(6, sparse ? 1 : 0)
        if let p = expireAfter ?? minLength.map(Double.init) ?? geoJson.map({ $0 ? 1 : 0 }) {
            ins.bind(7, p)
        } else {
            ins.bindNull(7)
        }
        do {
            try ins.run()
        } catch let e as LocusError where e.code == .uniqueConstraintViolated {
            // UNIQUE(collection, name) is the only constraint of locus_indexes.
            throw LocusError(.duplicateName, name)
        }
        let info = IndexInfo(
            id: sql.lastInsertRowID, collection: collection, name: name, type: type, fields: fields, unique: unique,
            sparse: sparse, expireAfter: type == .ttl ? expireAfter : nil, minLength: minLength, geoJson: geoJson)
        changed = true
        indexesByCollection[collection, default: []].append(info)
        return info
    }

    /// Deletes the row of an index and drops it from the copy.
    func removeIndex(_ ix: IndexInfo) throws {
        let d = try sql.prepare("DELETE FROM locus_indexes WHERE id = ?")
        d.bind(1, ix.id)
        try d.run()
        changed = true
        indexesByCollection[ix.collection]?.removeAll { $0.id == ix.id }
    }

    // MARK: - Transactions

    /// The transaction kept what it changed.
    func committed() { changed = false }

    /// What the transaction (or statement) changed was undone: read the catalog again.
    func undone(endingTransaction: Bool) {
        if changed { try? load() }
        if endingTransaction { changed = false }
    }
}
