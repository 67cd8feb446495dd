// Presents the storage catalog to the planner, which must not know storage types.

import LocusPlanner
import LocusStorage

/// The planner's view of a database's collections and indexes.
public struct StorageCatalog: PlannerCatalog {
    public let storage: Storage
    /// Counting documents costs a scan of the key index; only EXPLAIN needs the numbers.
    public let withCounts: Bool

    public init(storage: Storage, withCounts: Bool = false) {
        self.storage = storage
        self.withCounts = withCounts
    }

    public func collection(_ name: String) -> PlannerCollection? {
        guard let c = storage.collection(name) else { return nil }
        let indexes = ((try? storage.indexes(name)) ?? []).map {
            var ix = PlannerIndex(name: $0.name, type: $0.type, fields: $0.fields, unique: $0.unique, sparse: $0.sparse)
            ix.geoJson = $0.geoJson ?? false
            return ix
        }
        return PlannerCollection(
            name: c.name, type: c.type,
            count: withCounts ? ((try? storage.count(c)) ?? 0) : 0, indexes: indexes)
    }

    public func placementSummary(of collections: Set<String>) -> [String]? {
        guard let pop = storage.replica?.pop, let gate = storage.placementGate else { return nil }
        var lines = [
            "Placement at PoP \(pop) (policy version \(gate.version)); rows placed elsewhere are not held here:"
        ]
        for c in collections.sorted() { lines.append("  " + gate.summary(collection: c)) }
        return lines
    }

    public func view(_ name: String) -> PlannerView? {
        guard let v = (try? storage.view(name)) ?? nil else { return nil }
        return PlannerView(name: v.name, collections: v.definition.links.keys.sorted())
    }

    public func graph(_ name: String) -> PlannerGraph? {
        guard let g = (try? storage.graph(name)) ?? nil else { return nil }
        return PlannerGraph(
            name: g.name, edgeCollections: g.edgeDefinitions.map(\.collection),
            vertexCollections: g.vertexCollections.sorted())
    }
}
