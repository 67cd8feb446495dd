// Change streams through the embedding API: a collection's committed changes at this PoP,
// read in batches from a position, or followed as an `AsyncSequence` that commits of this
// database object wake (no polling). Records this PoP may not hold never appear: their
// entries are erased when they are evicted, which leaves a removal.

import LocusErrors
import LocusStorage
import LocusValues

extension StreamEntry {
    /// `{position, operation, collection, key, document?, origin?}`, one line of the HTTP
    /// stream. An eviction is a `remove` with `movedAway: true` and the record's `digest`
    /// instead of its key.
    public var json: Value {
        var o: Object = ["position": .int(position), "collection": .string(collection)]
        if operation == .evict {
            o["operation"] = "remove"
            o["movedAway"] = true
            o["digest"] = .string(key)
        } else {
            o["operation"] = .string(operation.rawValue)
            o["key"] = .string(key)
        }
        if let document { o["document"] = document }
        if let origin { o["origin"] = .string(origin) }
        return .object(o)
    }
}

extension Database {
    /// The newest position of this PoP's change stream (0 when it is empty).
    public func streamPosition() throws -> Int {
        try readStream { try $0.streamPosition() }
    }

    /// Up to `limit` changes of `collection` after position `since`. A position older than
    /// the stream still holds is refused (error 10, saying where to resume).
    public func changes(in collection: String, since: Int, limit: Int = 1000) throws -> [StreamEntry] {
        guard limit > 0 else { throw LocusError(.badParameter, "limit must be positive") }
        return try readStream { try $0.streamEntries(collection: collection, after: since, limit: limit) }
    }

    /// Follows `collection`'s changes after `since` (by default, from now on), waking on each
    /// commit of this `Database` object that appends to the stream.
    ///
    /// ```swift
    /// for try await change in db.changes(in: "orders") {
    ///     print(change.position, change.operation, change.key)
    /// }
    /// ```
    public func changes(in collection: String, since: Int? = nil) -> CollectionChanges {
        CollectionChanges(database: self, collection: collection, since: since)
    }

    /// The commit generation: it changes whenever a commit appends to the stream.
    public var changeGeneration: UInt64 { notifier.generation }

    /// Waits until the generation differs from `generation`, at most `timeout` seconds.
    public func waitForChanges(after generation: UInt64, timeout: Double) async {
        await notifier.wait(after: generation, timeout: timeout)
    }

    private func readStream<R: Sendable>(_ body: (Storage) throws -> R) throws -> R {
        if path == ":memory:" { return try store.withLock { s in try s.transaction(write: false) { try body(s) } } }
        return try withReader { s in try s.transaction(write: false) { try body(s) } }
    }
}

/// The live changes of one collection: an endless sequence that ends only when its task is
/// cancelled, or throws when its position falls out of the stream.
public struct CollectionChanges: AsyncSequence, Sendable {
    public typealias Element = StreamEntry
    let database: Database
    let collection: String
    let since: Int?

    /// Without `since`, the iterator starts from the stream's position when it is made (when
    /// the `for try await` loop begins).
    public func makeAsyncIterator() -> Iterator {
        Iterator(database: database, collection: collection, position: since ?? (try? database.streamPosition()))
    }

    public struct Iterator: AsyncIteratorProtocol {
        let database: Database
        let collection: String
        var position: Int?
        var buffer: [StreamEntry] = []
        var index = 0

        public mutating func next() async throws -> StreamEntry? {
            while true {
                if index < buffer.count {
                    index += 1
                    return buffer[index - 1]
                }
                if Task.isCancelled { return nil }
                let generation = database.changeGeneration
                let from = try position ?? database.streamPosition()
                position = from
                buffer = try database.changes(in: collection, since: from, limit: 256)
                index = 0
                if let last = buffer.last {
                    position = last.position
                    continue
                }
                await database.waitForChanges(after: generation, timeout: 60)
            }
        }
    }
}
