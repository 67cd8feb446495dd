// Named graphs in the catalog: created with their missing collections, listed, and dropped
// (optionally with collections no other graph uses).

import LocusErrors
import LocusValues

extension Storage {
    func ensureGraphTable() throws {
        try sql.execute(
            "CREATE TABLE IF NOT EXISTS locus_graphs(name TEXT PRIMARY KEY NOT NULL, definition TEXT NOT NULL)")
    }

    /// Marks a change to what the catalog says of graphs: graph definitions are rows, so a
    /// throwaway index moves the schema version, which is what other connections watch.
    func bumpGraphVersion() throws {
        try sql.execute(
            "CREATE INDEX locus_graphs_changed ON locus_graphs(definition); DROP INDEX locus_graphs_changed")
    }

    /// Every named graph, by name.
    public func graphs() throws -> [GraphInfo] {
        try flushPendingInserts()
        let exists = try sql.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'locus_graphs'")
        defer { exists.reset() }
        guard try exists.step() else { return [] }
        exists.reset()
        let s = try sql.prepare("SELECT name, definition FROM locus_graphs ORDER BY name")
        defer { s.reset() }
        var out: [GraphInfo] = []
        while try s.step() {
            let def = try JSONReader.parse(s.text(1) ?? "{}")
            out.append(
                GraphInfo(
                    name: s.text(0) ?? "",
                    edgeDefinitions: try GraphInfo.edgeDefinitions(from: def[attribute: "edgeDefinitions"]),
                    orphans: def[attribute: "orphanCollections"].arrayValue?.compactMap(\.stringValue) ?? []))
        }
        return out
    }

    public func graph(_ name: String) throws -> GraphInfo? {
        try graphs().first { $0.name == name }
    }

    /// Creates a graph, creating its missing collections (edge collections as edges).
    @discardableResult
    public func createGraph(_ name: String, edgeDefinitions: [GraphInfo.EdgeDefinition], orphans: [String]) throws
        -> GraphInfo
    {
        guard DocumentKey.isValidCollectionName(name) else { throw LocusError(.illegalName, name) }
        return try transaction(write: true) {
            try ensureGraphTable()
            if try graph(name) != nil { throw LocusError(.graphDuplicate) }
            // As ArangoDB: an edge collection appears once per graph, and every graph that uses
            // it gives it the same definition.
            var seen = Set<String>()
            for d in edgeDefinitions where !seen.insert(d.collection).inserted {
                throw LocusError(.graphInvalid, "edge collection '\(d.collection)' is defined twice")
            }
            for other in try graphs() {
                for mine in edgeDefinitions {
                    if let theirs = other.edgeDefinitions.first(where: { $0.collection == mine.collection }),
                        Set(theirs.from) != Set(mine.from) || Set(theirs.to) != Set(mine.to)
                    {
                        throw LocusError(
                            .graphInvalid,
                            "edge collection '\(mine.collection)' is defined differently in graph '\(other.name)'")
                    }
                }
            }
            for v in Set(edgeDefinitions.flatMap { $0.from + $0.to } + orphans) {
                if let c = collection(v), c.type == .edge { throw LocusError(.collectionTypeInvalid, v) }
            }
            for d in edgeDefinitions {
                if let c = collection(d.collection) {
                    guard c.type == .edge else { throw LocusError(.collectionTypeInvalid, d.collection) }
                } else {
                    try createCollection(d.collection, type: .edge)
                }
                for v in d.from + d.to where collection(v) == nil { try createCollection(v, type: .document) }
            }
            for v in orphans where collection(v) == nil { try createCollection(v, type: .document) }
            let info = GraphInfo(name: name, edgeDefinitions: edgeDefinitions, orphans: orphans)
            let ins = try sql.prepare("INSERT INTO locus_graphs(name, definition) VALUES (?, ?)")
            ins.bind(1, name)
            ins.bind(2, JSONWriter.string(info.description))
            try ins.run()
            try bumpGraphVersion()
            return info
        }
    }

    /// Drops a graph; with `dropCollections`, also its collections that no other graph uses.
    public func dropGraph(_ name: String, dropCollections: Bool) throws {
        try transaction(write: true) {
            guard let g = try graph(name) else { throw LocusError(.graphNotFound, name) }
            let d = try sql.prepare("DELETE FROM locus_graphs WHERE name = ?")
            d.bind(1, name)
            try d.run()
            try bumpGraphVersion()
            if dropCollections {
                let others = Set(
                    try graphs().flatMap { o in
                        o.edgeDefinitions.flatMap { [$0.collection] + $0.from + $0.to } + o.orphans
                    })
                let mine = Set(g.edgeDefinitions.flatMap { [$0.collection] + $0.from + $0.to } + g.orphans)
                for c in mine.subtracting(others).sorted() where collection(c) != nil { try dropCollection(c) }
            }
        }
    }
}
