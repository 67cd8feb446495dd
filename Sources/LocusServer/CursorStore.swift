// Open query cursors: the rows not yet handed out (or, for a stream cursor, the channel its
// running query feeds), the batch size, the `extra` of the query, and the last batch (for
// `allowRetry`). A cursor expires `ttl` seconds after it was last used; a closed or expired
// one answers error 1600, and a stream cursor's query is stopped. Other cursors' results are
// materialised as JSON texts when the query runs (within its memoryLimit), then handed out
// batch by batch.

import Locus
import LocusValues
import Synchronization

final class CursorStore: Sendable {
    struct Cursor: Sendable {
        var database: String
        var user: String
        /// The rows not yet handed out begin at `position`.
        var rows: JSONRows
        var position: Int
        var batchSize: Int
        var count: Int?
        var extra: Value
        var ttl: Double
        var expires: Double
        /// The number of the batch to be fetched next (the first response was batch 1).
        var nextBatch: Int
        /// The last batch handed out, with its number, kept for a retry.
        var lastBatch: (number: Int, body: [UInt8])?
        var allowRetry: Bool
        /// A stream cursor's channel from its running query.
        var stream: RowChannel? = nil
        /// True while a request fetches from a stream cursor (a second one gets 1601).
        var busy = false
    }

    private let cursors = Mutex<[String: Cursor]>([:])
    private let nextId = Atomic<Int>(1)
    /// More open cursors than this and the oldest-expiring are closed first.
    static let maxOpen = 10_000

    /// Opens a cursor over `rows` and answers its first batch.
    func open(
        database: String, user: String, rows: JSONRows, batchSize: Int, count: Int?, extra: Value,
        ttl: Double, allowRetry: Bool, now: Double
    ) -> APIResponse {
        var cursor = Cursor(
            database: database, user: user, rows: rows, position: 0, batchSize: max(1, batchSize), count: count,
            extra: extra, ttl: ttl, expires: now + ttl, nextBatch: 1, lastBatch: nil, allowRetry: allowRetry)
        let id = String(nextId.wrappingAdd(1, ordering: .relaxed).oldValue)
        let response = CursorStore.batch(&cursor, id: id, status: 201)
        if cursor.position < cursor.rows.count || allowRetry {
            cursors.withLock { all in
                all[id] = cursor
                if all.count > CursorStore.maxOpen, let oldest = all.min(by: { $0.value.expires < $1.value.expires }) {
                    all.removeValue(forKey: oldest.key)
                }
            }
        }
        return response
    }

    /// Opens a stream cursor over a running query's channel and answers its first batch.
    func openStream(
        database: String, user: String, channel: RowChannel, batchSize: Int, ttl: Double, allowRetry: Bool,
        now: Double
    ) throws -> APIResponse {
        let first: (rows: [Value], more: Bool, summary: QueryResult?)
        do { first = try channel.take(batchSize) } catch {
            channel.close()
            throw error
        }
        let id = String(nextId.wrappingAdd(1, ordering: .relaxed).oldValue)
        var cursor = Cursor(
            database: database, user: user, rows: JSONRows(), position: 0, batchSize: max(1, batchSize), count: nil,
            extra: .object(Object()), ttl: ttl, expires: now + ttl, nextBatch: 1, lastBatch: nil,
            allowRetry: allowRetry,
            stream: channel)
        let response = CursorStore.render(
            &cursor, id: id, rows: first.rows, hasMore: first.more, summary: first.summary, status: 201)
        if first.more || allowRetry {
            cursors.withLock { $0[id] = cursor }
        }
        return response
    }

    /// The next batch of a stream cursor, fetched without holding the store's lock.
    func nextStream(id: String, batchId: String?, database: String, user: String, now: Double) throws -> APIResponse? {
        let claimed: Cursor? = try cursors.withLock { all in
            guard var c = all[id], c.stream != nil else { return nil }
            guard c.database == database, c.user == user, c.expires > now else {
                if c.expires <= now { c.stream?.close(); all.removeValue(forKey: id) }
                throw LocusError(.cursorNotFound)
            }
            if let batchId, let last = c.lastBatch, Int(batchId) == last.number, c.allowRetry { return c }
            if let batchId, Int(batchId) != c.nextBatch { throw LocusError(.cursorNotFound) }
            guard !c.busy else { throw LocusError(code: .cursorBusy, message: "cursor is busy") }
            c.busy = true
            all[id] = c
            return c
        }
        guard var cursor = claimed, let channel = cursor.stream else { return nil }
        if let batchId, let last = cursor.lastBatch, Int(batchId) == last.number, !cursor.busy {
            return APIResponse(status: 200, body: last.body)
        }
        let batch: (rows: [Value], more: Bool, summary: QueryResult?)
        do { batch = try channel.take(cursor.batchSize) } catch {
            _ = cursors.withLock { $0.removeValue(forKey: id) }
            throw error
        }
        let response = CursorStore.render(
            &cursor, id: id, rows: batch.rows, hasMore: batch.more, summary: batch.summary, status: 200)
        cursor.busy = false
        cursor.expires = APIService.now() + cursor.ttl
        cursors.withLock { all in
            if batch.more || cursor.allowRetry { all[id] = cursor } else { all.removeValue(forKey: id) }
        }
        return response
    }

    /// The next batch (`batchId` nil), or the last batch again when `batchId` names it.
    func next(id: String, batchId: String?, database: String, user: String, now: Double) throws -> APIResponse {
        if let streamed = try nextStream(id: id, batchId: batchId, database: database, user: user, now: now) {
            return streamed
        }
        return try cursors.withLock { all in
            guard var cursor = all[id], cursor.database == database, cursor.user == user, cursor.expires > now else {
                if let c = all[id], c.expires <= now { all.removeValue(forKey: id) }
                throw LocusError(.cursorNotFound)
            }
            cursor.expires = now + cursor.ttl
            if let batchId {
                guard let n = Int(batchId) else {
                    throw LocusError(.badParameter, "batch id '\(batchId)' is not a number")
                }
                if let last = cursor.lastBatch, last.number == n, cursor.allowRetry {
                    all[id] = cursor
                    return APIResponse(status: 200, body: last.body)
                }
                guard n == cursor.nextBatch else { throw LocusError(.cursorNotFound) }
            }
            guard cursor.position < cursor.rows.count else {
                all.removeValue(forKey: id)
                throw LocusError(.cursorNotFound)
            }
            let response = CursorStore.batch(&cursor, id: id, status: 200)
            if cursor.position >= cursor.rows.count && !cursor.allowRetry {
                all.removeValue(forKey: id)
            } else {
                all[id] = cursor
            }
            return response
        }
    }

    /// Closes a cursor; error 1600 when there is none.
    func close(id: String, database: String, user: String) throws {
        try cursors.withLock { all in
            guard let c = all[id], c.database == database, c.user == user else { throw LocusError(.cursorNotFound) }
            c.stream?.close()
            all.removeValue(forKey: id)
        }
    }

    /// Closes every cursor (shutdown), stopping stream cursors' queries.
    func closeAll() {
        cursors.withLock { all in
            for c in all.values { c.stream?.close() }
            all.removeAll()
        }
    }

    /// Closes the cursors past their ttl (a busy stream cursor is being read, so it stays).
    func expire(now: Double) {
        cursors.withLock { all in
            for (id, c) in all where c.expires <= now && !c.busy {
                c.stream?.close()
                all.removeValue(forKey: id)
            }
        }
    }

    /// Renders a batch of a stream cursor; the query's statistics come with its last batch.
    static func render(
        _ cursor: inout Cursor, id: String, rows: [Value], hasMore: Bool, summary: QueryResult?, status: Int
    ) -> APIResponse {
        let extra: Value =
            summary.map { ["stats": APIService.stats($0.stats), "warnings": APIService.warnings($0.warnings)] }
            ?? ["stats": .object(Object()), "warnings": []]
        var encoded = JSONRows()
        for row in rows { encoded.append(row) }
        return render(&cursor, id: id, rows: encoded, encoded.indices, hasMore: hasMore, extra: extra, status: status)
    }

    /// Renders one batch in ArangoDB's cursor shape and keeps it for a retry.
    static func render(
        _ cursor: inout Cursor, id: String, rows: JSONRows, _ range: Range<Int>, hasMore: Bool, extra: Value,
        status: Int
    ) -> APIResponse {
        var o: Object = ["hasMore": .bool(hasMore)]
        if hasMore || cursor.allowRetry { o["id"] = .string(id) }
        if let count = cursor.count { o["count"] = .int(count) }
        o["extra"] = extra
        o["cached"] = false
        if hasMore { o["nextBatchId"] = .string(String(cursor.nextBatch + 1)) }
        o["error"] = false
        o["code"] = .int(status)
        var body: [UInt8] = []
        rows.writeObject(key: "result", range, then: o, into: &body)
        let response = APIResponse(status: status, body: body)
        cursor.lastBatch = (cursor.nextBatch, response.body)
        cursor.nextBatch += 1
        return response
    }

    /// Takes the next batch of a materialised cursor and renders it.
    static func batch(_ cursor: inout Cursor, id: String, status: Int) -> APIResponse {
        let start = cursor.position
        let end = min(cursor.rows.count, start + cursor.batchSize)
        let hasMore = end < cursor.rows.count
        let response = render(
            &cursor, id: id, rows: cursor.rows, start..<end, hasMore: hasMore, extra: cursor.extra, status: status)
        // Handed-out rows are released once they are half the buffer (so that releasing them
        // stays in proportion to the rows): a cursor holds at most twice what it has left.
        cursor.position = end
        if !hasMore {
            cursor.rows = JSONRows()
            cursor.position = 0
        } else if cursor.position * 2 >= cursor.rows.count {
            cursor.rows.removeFirst(cursor.position)
            cursor.position = 0
        }
        return response
    }
}
