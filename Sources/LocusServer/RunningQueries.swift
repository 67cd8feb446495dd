// The queries running now (`GET /_api/query/current`) and killing one
// (`DELETE /_api/query/{id}`): a killed query stops at its next checkpoint with error 1500 and
// its writes are rolled back.

import Locus
import LocusValues
import Synchronization

final class RunningQueries: Sendable {
    struct Entry: Sendable {
        var database: String
        var user: String
        var query: String
        var bindVars: [String: Value]
        var started: Double
        let killed: KillSwitch
    }

    /// Set once to stop a query; read by the query's checkpoints.
    final class KillSwitch: Sendable {
        private let flag = Atomic<Bool>(false)
        func kill() { flag.store(true, ordering: .relaxed) }
        var isKilled: Bool { flag.load(ordering: .relaxed) }
    }

    private let running = Mutex<[String: Entry]>([:])
    private let nextId = Atomic<Int>(1)

    /// Runs `body` as a registered query; `options` gains the kill switch.
    func run<R>(
        database: String, user: String, query: String, bindVars: [String: Value], options: QueryOptions,
        _ body: (QueryOptions) throws -> R
    ) rethrows -> R {
        let id = String(nextId.wrappingAdd(1, ordering: .relaxed).oldValue)
        let killed = KillSwitch()
        running.withLock {
            $0[id] = Entry(
                database: database, user: user, query: query, bindVars: bindVars, started: APIService.now(),
                killed: killed)
        }
        defer { _ = running.withLock { $0.removeValue(forKey: id) } }
        var o = options
        let earlier = options.isCancelled
        o.isCancelled = { killed.isKilled || (earlier?() ?? false) }
        return try body(o)
    }

    /// The running queries of `database`, as ArangoDB lists them.
    func current(database: String, now: Double) -> [Value] {
        running.withLock { all in
            all.filter { $0.value.database == database }.sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }.map {
                id, e in
                var binds = Object()
                for (k, v) in e.bindVars.sorted(by: { $0.key < $1.key }) { binds[k] = v }
                return [
                    "id": .string(id), "database": .string(e.database), "user": .string(e.user),
                    "query": .string(e.query),
                    "bindVars": .object(binds), "runTime": .number(now - e.started), "state": "executing",
                    "stream": false,
                ]
            }
        }
    }

    /// Marks a query of `database` to stop; error 1591 when there is none.
    func kill(_ id: String, database: String) throws {
        try running.withLock { all in
            guard let e = all[id], e.database == database else {
                throw LocusError(code: .queryNotFound, message: "query ID not found")
            }
            e.killed.kill()
        }
    }
}
