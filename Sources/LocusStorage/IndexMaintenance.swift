// Secondary index maintenance: the entries a document needs in each index of its collection
// (persistent, array `[*]` fields, sparse, TTL, fulltext words and geo cells), unique
// constraints checked before anything is written, and entries added and removed as rows
// change. Each index is a SQLite table of (encoded key, document key); views keep their
// own entries (`Storage+Views`).

import LocusErrors
import LocusValues

/// Keeps the secondary index tables in step with the document rows.
final class IndexMaintenance {
    private let sql: SQLiteConnection
    private let catalog: Catalog

    init(sql: SQLiteConnection, catalog: Catalog) {
        self.sql = sql
        self.catalog = catalog
    }

    /// One entry of one index.
    struct Entry {
        let index: IndexInfo
        let key: [UInt8]
    }

    /// The values of an index field path such as `a.b` or `tags[*].name` in `doc`.
    static func fieldValues(_ doc: Value, _ path: String) -> [Value] {
        var current: [Value] = [doc]
        var expanded = false
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(part)
            let expand = name.hasSuffix("[*]")
            if expand { name = name.dropLast(3) }
            current = current.map { $0[attribute: String(name)] }
            if expand {
                expanded = true
                current = current.flatMap { v -> [Value] in
                    if case .array(let a) = v { return a }
                    return []
                }
            }
        }
        if expanded { return Array(Set(current)) }
        return current
    }

    /// The encoded keys `doc` has in `ix`: none when a field it needs is missing (sparse) or
    /// an expanded array is empty; one per combination of expanded values.
    func keys(_ ix: IndexInfo, doc: Value) -> [[UInt8]] {
        if ix.type == .fulltext {
            let values = IndexMaintenance.fieldValues(doc, ix.fields[0])
            return FulltextIndex.words(values, minLength: ix.minLength ?? 2).map { Array($0.utf8) }
        }
        if ix.type == .geo { return GeoIndex.location(ix, doc).map { [GeoIndex.key($0.latitude, $0.longitude)] } ?? [] }
        var combos: [[Value]] = [[]]
        for f in ix.fields {
            let vs = IndexMaintenance.fieldValues(doc, f)
            if vs.isEmpty { return [] }  // an empty expanded array indexes nothing
            combos = combos.flatMap { prefix in vs.map { prefix + [$0] } }
        }
        return combos.compactMap { vals in
            if ix.sparse && vals.contains(where: \.isNull) { return nil }
            if ix.type == .ttl, vals.first?.numberValue == nil { return nil }
            return IndexKey.encode(vals)
        }
    }

    /// The entries `doc` (stored under `key`) needs in the indexes of collection `c`, or in
    /// `only` that one. With `checkingUnique`, a unique index that holds one of the keys for
    /// another document fails with error 1210 before anything is written. (A merge of
    /// concurrent writes does not check: unique constraints hold per PoP at write time.)
    func entries(
        _ c: String, doc: Object, key: String, checkingUnique: Bool = true, only: IndexInfo? = nil
    ) throws -> [Entry] {
        var out: [Entry] = []
        for ix in catalog.indexes(of: c) where only.map({ $0.id == ix.id }) ?? true {
            for k in keys(ix, doc: .object(doc)) {
                if checkingUnique && ix.unique { try checkUnique(ix, entry: k, key: key) }
                out.append(Entry(index: ix, key: k))
            }
        }
        return out
    }

    private func checkUnique(_ ix: IndexInfo, entry: [UInt8], key: String) throws {
        let s = try sql.prepare(.conflictingEntry, id: ix.id, table: ix.table)
        defer { s.reset() }
        s.bind(1, bytes: entry)
        s.bind(2, key)
        guard try s.step() else { return }
        throw LocusError(
            code: .uniqueConstraintViolated,
            message:
                "unique constraint violated - in index \(ix.name) of type \(ix.type.rawValue) over '\(ix.fields.joined(separator: ", "))'; conflicting key: \(s.text(0) ?? "")"
        )
    }

    /// Writes entries for the document `key`.
    func add(_ entries: [Entry], key: String) throws {
        for e in entries {
            let s = try sql.prepare(.addEntry, id: e.index.id, table: e.index.table)
            s.bind(1, bytes: e.key)
            s.bind(2, key)
            try s.run()
        }
    }

    /// Deletes the entries the stored `doc` has in every index of collection `c`.
    func remove(_ c: String, doc: Object, key: String) throws {
        for ix in catalog.indexes(of: c) {
            for k in keys(ix, doc: .object(doc)) {
                let s = try sql.prepare(.removeEntry, id: ix.id, table: ix.table)
                s.bind(1, bytes: k)
                s.bind(2, key)
                try s.run()
            }
        }
    }
}
