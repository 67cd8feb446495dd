// Reads of one document or one collection's figures without a query: what the server's
// document routes and the drivers' `has`/`get`/`count` calls need on every request, so they
// neither parse nor plan.

import LocusErrors
import LocusStorage
import LocusValues

extension Database {
    /// The document `key` of `collection`, or nil when there is none; error 1203 when the
    /// collection does not exist.
    public func document(collection: String, key: String) throws -> Value? {
        func read(_ storage: Storage) throws -> Value? {
            // The transaction first: it brings the catalog up to date with other connections.
            try storage.transaction(write: false) {
                try storage.get(try storage.requireCollection(collection), key: key)
            }
        }
        if path == ":memory:" { return try store.withLock { try read($0) } }
        return try withReader { try read($0) }
    }

    /// A collection's type and live document count; error 1203 when it does not exist.
    public func collection(_ name: String) throws -> (type: CollectionType, count: Int) {
        func read(_ storage: Storage) throws -> (type: CollectionType, count: Int) {
            try storage.transaction(write: false) {
                let c = try storage.requireCollection(name)
                return (c.type, try storage.count(c))
            }
        }
        if path == ":memory:" { return try store.withLock { try read($0) } }
        return try withReader { try read($0) }
    }

    /// The names and types of every collection, without counting documents.
    public func collectionNames() throws -> [(name: String, type: CollectionType)] {
        try store.withLock { s in try s.transaction(write: false) { s.collections.map { ($0.name, $0.type) } } }
    }
}

extension TransactionSession {
    /// The document `key` of `collection` as this transaction sees it.
    public func document(collection: String, key: String) throws -> Value? {
        let c = try storage.requireCollection(collection)
        return try storage.get(c, key: key)
    }
}
