// Fans one collection's change stream out to its WebSocket subscribers: a single follower
// reads each new change once and keeps the newest ones in memory, so that a commit costs one
// read however many subscribers there are. A subscriber behind what the ring holds reads
// the database instead. An eviction empties the ring, so that no earlier entry of the evicted
// record is served from memory after it is erased from the file.

import Locus
import LocusValues
import Synchronization

/// The in-memory tail of one collection's change stream.
final class ChangeTail: Sendable {
    static let capacity = 4096

    /// A change with its message text, encoded once for every subscriber.
    struct Message: Sendable {
        var position: Int
        var text: String

        init(_ entry: StreamEntry) {
            position = entry.position
            text = JSONWriter.string(entry.json)
        }
    }

    private struct Ring {
        var entries: [Message] = []
        /// Every change of the collection after this position is in `entries`.
        var base: Int
    }

    private let ring: Mutex<Ring>
    /// Advances with every change the tail receives.
    let signal = ChangeNotifier()
    private let follower = Mutex<Task<Void, Never>?>(nil)

    init(database: Database, collection: String, from position: Int) {
        ring = Mutex(Ring(base: position))
        let task = Task { [weak self] in
            do {
                for try await change in database.changes(in: collection, since: position) {
                    guard let self else { return }
                    self.append(change)
                }
            } catch {
                // The collection is gone, or the follower fell out of the stream: subscribers
                // read the database from now on, which reports the error to them.
                self?.ring.withLock { $0.base = Int.max }
                self?.signal.signal()
            }
        }
        follower.withLock { $0 = task }
    }

    private func append(_ change: StreamEntry) {
        ring.withLock { r in
            if change.operation == .evict {
                r.entries = [Message(change)]
                r.base = change.position - 1
            } else {
                r.entries.append(Message(change))
                if r.entries.count > ChangeTail.capacity {
                    r.entries.removeFirst(ChangeTail.capacity / 2)
                    r.base = r.entries[0].position - 1
                }
            }
        }
        signal.signal()
    }

    /// Up to `limit` changes after `position`; nil when the ring no longer reaches back there.
    func read(after position: Int, limit: Int) -> [Message]? {
        ring.withLock { r in
            guard position >= r.base, r.base != Int.max else { return nil }
            var lo = 0, hi = r.entries.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if r.entries[mid].position <= position { lo = mid + 1 } else { hi = mid }
            }
            return Array(r.entries[lo..<min(r.entries.count, lo + limit)])
        }
    }

    /// True once the follower failed: a new tail must replace this one.
    var isDead: Bool { ring.withLock { $0.base == Int.max } }

    func stop() { follower.withLock { $0?.cancel() } }
}

/// The tails of every followed collection, by database and name.
final class ChangeHub: Sendable {
    private let tails = Mutex<[String: ChangeTail]>([:])

    func tail(_ database: Database, name: String, collection: String, from position: Int) -> ChangeTail {
        tails.withLock { all in
            let key = name + "/" + collection
            if let t = all[key], !t.isDead { return t }
            let t = ChangeTail(database: database, collection: collection, from: position)
            all[key] = t
            return t
        }
    }

    func stopAll() {
        let all = tails.withLock { t -> [ChangeTail] in
            defer { t = [:] }
            return Array(t.values)
        }
        for t in all { t.stop() }
    }
}
