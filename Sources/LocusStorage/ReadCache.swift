// The edge index's read cache, as ArangoDB keeps one in front of its edge index: the
// endpoints of the edges at a vertex, and whether a document key exists, remembered across the
// read transactions of one connection while the database file is unchanged. Traversals ask
// the same neighbourhoods again and again; from here they cost a dictionary lookup instead of
// an index search, a row read and a key search per edge.
//
// Validity rests on SQLite's data version of the file, which moves with every commit by any
// connection of any process. Storage checks it when a read transaction begins and empties the
// cache on any change; write transactions neither read nor fill it, so a write can never be
// hidden from the transaction that made it. Only what is stored at this PoP is ever cached, so
// the cache holds nothing that placement would keep from this site.

/// One edge at a vertex: its key, the `_id` at its other end, and whether that vertex exists
/// in the collection the lookup checked.
public struct EdgeEndpoint: Sendable {
    public var key: String
    public var far: String
    public var farExists: Bool
}

/// Remembered neighbourhoods and key lookups of one connection, bounded in size.
struct EdgeCache {

    struct NeighborhoodKey: Hashable {
        var collection: Int
        var outbound: Bool
        var vertex: String
        /// The collection the far ends were checked against (0: none).
        var checked: Int
    }

    struct DocumentRef: Hashable {
        var collection: Int
        var key: String
    }

    /// The most edges and key answers held; reaching it empties the cache, which keeps the
    /// bookkeeping to a counter and costs one refill of the working set.
    static let capacity = 1 << 18

    private var neighborhoods: [NeighborhoodKey: [EdgeEndpoint]] = [:]
    private var existence: [DocumentRef: Bool] = [:]
    private var size = 0
    /// The data version the entries were read under; nil before the first read.
    private var dataVersion: UInt32?

    /// Keeps the entries when the file is still at the version they were read under.
    mutating func validate(dataVersion version: UInt32) {
        if dataVersion != version { clear() }
        dataVersion = version
    }

    mutating func clear() {
        if size > 0 {
            neighborhoods.removeAll()
            existence.removeAll()
            size = 0
        }
    }

    func neighborhood(_ key: NeighborhoodKey) -> [EdgeEndpoint]? { neighborhoods[key] }

    mutating func remember(_ key: NeighborhoodKey, _ endpoints: [EdgeEndpoint]) {
        reserve(max(1, endpoints.count))
        neighborhoods[key] = endpoints
    }

    func exists(_ ref: DocumentRef) -> Bool? { existence[ref] }

    mutating func remember(_ ref: DocumentRef, exists: Bool) {
        reserve(1)
        existence[ref] = exists
    }

    private mutating func reserve(_ n: Int) {
        if size + n > EdgeCache.capacity { clear() }
        size += n
    }

    var count: Int { size }
}
