// What read transactions remember across each other on one connection while the database file
// is unchanged: the endpoints of the edges at a vertex (as ArangoDB keeps an in-memory cache in
// front of its edge index), whether a document key exists, and decoded documents read by key.
// Traversals ask for the same neighbourhoods and vertices again and again; from here they cost
// a dictionary lookup instead of index searches, row reads and JSON decoding.
//
// Validity rests on SQLite's data version of the file, which moves with every commit by any
// connection of any process. Storage checks it when a read transaction begins and empties the
// cache on any change; write transactions neither read nor fill it, so a write can never be
// hidden from the transaction that made it. Only what is stored at this PoP is ever cached, so
// the cache holds nothing that placement would keep from this site.

import LocusValues

/// One edge at a vertex: its key, the `_id` at its other end, and whether that vertex exists
/// in the collection the lookup checked.
public struct EdgeEndpoint: Sendable {
    public var key: String
    public var far: String
    public var farExists: Bool
}

/// Remembered neighbourhoods, key checks and documents of one connection, bounded in size.
struct ReadCache {
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
    /// The most stored JSON, in bytes, of the documents held: each is kept as that text and
    /// decoded, which takes a few times as much again.
    static let documentBudget = 8 << 20

    private var neighborhoods: [NeighborhoodKey: [EdgeEndpoint]] = [:]
    private var existence: [DocumentRef: Bool] = [:]
    private var documents: [DocumentRef: StoredDocument] = [:]
    private var size = 0
    private var documentBytes = 0
    /// The data version the entries were read under; nil before the first read.
    private var dataVersion: UInt32?

    /// Keeps the entries when the file is still at the version they were read under.
    /// True inside a read transaction whose data version the cache was checked against.
    private var checked = false
    /// The connection's count of changed rows when that transaction began.
    private var changesAtRead: Int64 = 0

    /// A read transaction begins at the file's `dataVersion`, with the connection's count of
    /// changed rows: the cache is emptied if the file moved since it was filled.
    mutating func beginRead(dataVersion version: UInt32, changes: Int64) {
        if dataVersion != version { clear() }
        dataVersion = version
        checked = true
        changesAtRead = changes
    }

    /// The transaction ended (or was a write, which never uses the cache).
    mutating func endTransaction() { checked = false }

    /// Whether the cache may answer now: in a read transaction that has not written (should
    /// anything write in one, the cache is dropped rather than trusted).
    mutating func usable(changes: Int64) -> Bool {
        guard checked else { return false }
        if changes == changesAtRead { return true }
        clear()
        checked = false
        return false
    }

    mutating func clear() {
        if size > 0 {
            neighborhoods.removeAll()
            existence.removeAll()
            size = 0
        }
        if documentBytes > 0 {
            documents.removeAll()
            documentBytes = 0
        }
    }

    func neighborhood(_ key: NeighborhoodKey) -> [EdgeEndpoint]? { neighborhoods[key] }

    mutating func remember(_ key: NeighborhoodKey, _ endpoints: [EdgeEndpoint]) {
        reserve(max(1, endpoints.count))
        neighborhoods[key] = endpoints
    }

    func exists(_ ref: DocumentRef) -> Bool? { documents[ref] != nil ? true : existence[ref] }

    mutating func remember(_ ref: DocumentRef, exists: Bool) {
        reserve(1)
        existence[ref] = exists
    }

    func document(_ ref: DocumentRef) -> StoredDocument? { documents[ref] }

    /// Keeps a document with its stored JSON; very large ones are not kept, so that one of
    /// them cannot push out everything else.
    mutating func remember(_ ref: DocumentRef, document: StoredDocument) {
        let bytes = document.json.count
        guard bytes <= ReadCache.documentBudget / 64 else { return }
        if documentBytes + bytes > ReadCache.documentBudget {
            documents.removeAll()
            documentBytes = 0
        }
        documentBytes += bytes
        documents[ref] = document
    }

    private mutating func reserve(_ n: Int) {
        if size + n > ReadCache.capacity { clear() }
        size += n
    }

    /// Edges and key answers held.
    var count: Int { size }
    /// Stored bytes of the documents held.
    var documentsHeld: Int { documentBytes }
}
