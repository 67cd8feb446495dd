// `stream: true` cursors: the query runs on a thread of its own on a read snapshot held for
// the cursor's life, and hands its rows through a channel that holds at most about two
// batches; each fetch takes the next batch, so a result of any size is never materialised.
// Closing or expiring the cursor stops the query.

#if canImport(Glibc)
import Glibc
#endif
import Locus
import LocusValues
import NIOPosix
import Synchronization

/// Rows passed from the producing query to the fetching requests.
final class RowChannel: @unchecked Sendable {
    // Guarded by `mutex`; waits use `changed`.
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()
    private var buffer: [Value] = []
    private var head = 0
    private var finished = false
    private var failure: LocusError?
    private var closed = false
    private var summary: QueryResult?
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&changed, nil)
    }

    deinit {
        pthread_cond_destroy(&changed)
        pthread_mutex_destroy(&mutex)
    }

    private func locked<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }

    /// Producer: adds a row, waiting while the channel is full; throws once the consumer closed.
    func put(_ row: Value) throws {
        try locked {
            while buffer.count - head > capacity && !closed { pthread_cond_wait(&changed, &mutex) }
            if closed { throw LocusError(.queryKilled) }
            buffer.append(row)
            pthread_cond_broadcast(&changed)
        }
    }

    /// Producer: the query ended, with its warnings and statistics or its error.
    func finish(_ result: QueryResult?, _ error: LocusError?) {
        locked {
            finished = true
            summary = result
            failure = error
            pthread_cond_broadcast(&changed)
        }
    }

    /// Consumer: the next `n` rows (fewer at the end), whether more follow, and at the end the
    /// query's summary. Throws the query's error.
    func take(_ n: Int) throws -> (rows: [Value], more: Bool, summary: QueryResult?) {
        try locked {
            while buffer.count - head <= n && !finished { pthread_cond_wait(&changed, &mutex) }
            if let failure { throw failure }
            let end = min(buffer.count, head + n)
            let rows = Array(buffer[head..<end])
            head = end
            if head > capacity {
                buffer.removeFirst(head)
                head = 0
            }
            pthread_cond_broadcast(&changed)
            let more = buffer.count > head || !finished
            return (rows, more, more ? nil : summary)
        }
    }

    /// Consumer: no more rows are wanted; the producer stops at its next row.
    func close() {
        locked {
            closed = true
            pthread_cond_broadcast(&changed)
        }
    }
}

/// The threads stream cursors run their queries on, and how many may run at once.
final class StreamRunner: Sendable {
    static let maxOpen = 32
    private let pool: NIOThreadPool
    private let open = Atomic<Int>(0)

    init() {
        pool = NIOThreadPool(numberOfThreads: StreamRunner.maxOpen)
        pool.start()
    }

    /// Starts `query` on its own thread, feeding a new channel; error 32 when too many stream
    /// cursors are open.
    func start(database: Database, query: String, bindVars: [String: Value], options: QueryOptions, batchSize: Int)
        throws -> RowChannel
    {
        guard open.wrappingAdd(1, ordering: .relaxed).newValue <= StreamRunner.maxOpen else {
            open.wrappingSubtract(1, ordering: .relaxed)
            throw LocusError(
                code: .resourceLimit,
                message: "resource limit exceeded: \(StreamRunner.maxOpen) stream cursors are open")
        }
        let channel = RowChannel(capacity: batchSize)
        pool.submit { [self] state in
            defer { open.wrappingSubtract(1, ordering: .relaxed) }
            guard case .active = state else {
                channel.finish(nil, LocusError(.httpServiceUnavailable, "the server is shutting down"))
                return
            }
            do {
                let result = try database.stream(query, bindVars: bindVars, options: options) { try channel.put($0) }
                channel.finish(result, nil)
            } catch let e as LocusError {
                channel.finish(nil, e)
            } catch {
                channel.finish(nil, LocusError(.internalError, "\(error)"))
            }
        }
        return channel
    }

    func shutdown() async { try? await pool.shutdownGracefully() }
}
