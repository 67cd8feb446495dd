// The order in which records' placements are judged: every vertex (a record of a document or
// key-value collection) before any edge, because an edge's placement takes the placements of
// its endpoints. Storage re-judging its records under a new policy and the compliance audit
// judging a whole fabric both follow it.

import LocusValues

public enum PlacementOrder {
    /// `items` with those of non-edge collections first and edges last, each group in its
    /// original order.
    public static func verticesFirst<Item>(_ items: some Sequence<Item>, type: (Item) -> CollectionType) -> [Item] {
        var vertices: [Item] = []
        var edges: [Item] = []
        for item in items {
            if type(item) == .edge { edges.append(item) } else { vertices.append(item) }
        }
        return vertices + edges
    }
}
