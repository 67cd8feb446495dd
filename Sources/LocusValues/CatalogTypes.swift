// The kinds of collection and index, shared by the planner (which reasons about them) and
// storage (which keeps them), so that neither compares names as strings; and what an index's
// field paths say of its entries.

import LocusErrors

/// The three collection kinds: documents, edges (with `_from`/`_to`) and key-value entries.
public enum CollectionType: String, Sendable, CaseIterable {
    case document, edge, kv
}

/// The kinds of index storage maintains. Primary and edge indexes are implicit.
public enum IndexType: String, Sendable, CaseIterable {
    case primary, edge, persistent, ttl, fulltext, geo

    /// The index a user asks for by ArangoDB's name of it, older aliases included (`hash` and
    /// `skiplist` are persistent indexes, `geo1` and `geo2` geo indexes).
    ///
    /// ```swift
    /// try IndexType(named: "skiplist")   // .persistent
    /// try IndexType(named: "primary")    // error 10: implicit, never created
    /// ```
    public init(named name: String) throws {
        switch name {
        case "persistent", "hash", "skiplist": self = .persistent
        case "geo", "geo1", "geo2": self = .geo
        case "ttl": self = .ttl
        case "fulltext": self = .fulltext
        default:
            throw LocusError(
                .badParameter, "index type '\(name)' is not supported; use persistent, ttl, fulltext or geo")
        }
    }
}

/// What an index's field paths (`a.b`, `tags[*]`, `tags[*].name`) say of its entries.
public enum IndexFields {
    /// Whether any field expands an array: a document may then have several entries, and a
    /// range read may meet it more than once.
    public static func expandArrays(_ fields: [String]) -> Bool {
        fields.contains { $0.containsBytes("[*]") }
    }
}
