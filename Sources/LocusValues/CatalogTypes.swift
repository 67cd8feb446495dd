// The kinds of collection and index, shared by the planner (which reasons about them) and
// storage (which keeps them), so that neither compares names as strings.

/// The three collection kinds: documents, edges (with `_from`/`_to`) and key-value entries.
public enum CollectionType: String, Sendable, CaseIterable {
    case document, edge, kv
}

/// The kinds of index storage maintains. Primary and edge indexes are implicit.
public enum IndexType: String, Sendable, CaseIterable {
    case primary, edge, persistent, ttl, fulltext, geo
}
