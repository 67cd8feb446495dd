// Presents the storage catalog to the planner, which must not know storage types.

import LocusPlanner
import LocusStorage

/// The planner's view of a database's collections and indexes.
struct StorageCatalog: PlannerCatalog {
    let storage: Storage
    /// Counting documents costs a scan of the key index; only EXPLAIN needs the numbers.
    let withCounts: Bool

    func collection(_ name: String) -> PlannerCollection? {
        guard let c = storage.collection(name) else { return nil }
        let indexes = ((try? storage.indexes(name)) ?? []).map {
            var ix = PlannerIndex(name: $0.name, type: $0.type.rawValue, fields: $0.fields, unique: $0.unique, sparse: $0.sparse)
            ix.geoJson = $0.geoJson ?? false
            return ix
        }
        return PlannerCollection(name: c.name, type: c.type.rawValue,
                                 count: withCounts ? ((try? storage.count(c)) ?? 0) : 0, indexes: indexes)
    }

    func graph(_ name: String) -> PlannerGraph? {
        guard let g = (try? storage.graph(name)) ?? nil else { return nil }
        return PlannerGraph(name: g.name, edgeCollections: g.edgeDefinitions.map(\.collection), vertexCollections: g.vertexCollections.sorted())
    }
}
