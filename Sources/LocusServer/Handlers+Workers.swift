// Macrometa's query worker routes (`/_api/restql/...`): save, update, drop, list, import, and
// execute a saved query as a cursor whose later batches come from `restql/fetch/{id}`.

import Locus
import LocusValues

extension APIService {
    static let workerBatchSize = 100

    /// The `query` object of a save or update body.
    private func workerBody(_ r: APIRequest) throws -> Object {
        guard case .object(let q)? = try r.jsonObject()["query"] else {
            throw LocusError(
                .badParameter, "expecting {\"query\": {\"name\": ..., \"value\": ..., \"parameter\": {...}}}")
        }
        return q
    }

    func saveWorker(_ r: APIRequest) throws -> APIResponse {
        let worker = try database(r).saveQueryWorker(try QueryWorker(json: .object(try workerBody(r))))
        return APIResponse.result(201, worker.json)
    }

    func updateWorker(_ r: APIRequest) throws -> APIResponse {
        var q = try workerBody(r)
        q["name"] = .string(r.parameter(0))
        let worker = try database(r).saveQueryWorker(try QueryWorker(json: .object(q)), replacing: true)
        return APIResponse.result(200, worker.json)
    }

    func dropWorker(_ r: APIRequest) throws -> APIResponse {
        try database(r).dropQueryWorker(r.parameter(0))
        return APIResponse.result(200, true)
    }

    func listWorkers(_ r: APIRequest) throws -> APIResponse {
        APIResponse.result(200, .array(try database(r).queryWorkers().map(\.json)))
    }

    /// `POST /restql/import {queries: [...]}`: every worker is checked before any is saved;
    /// existing ones are replaced.
    func importWorkers(_ r: APIRequest) throws -> APIResponse {
        guard case .array(let list)? = try r.jsonObject()["queries"] else {
            throw LocusError(.badParameter, "expecting {\"queries\": [...]}")
        }
        let db = try database(r)
        let workers = try list.map { try QueryWorker(json: $0) }
        for w in workers { try Database.check(w) }
        var created = 0, updated = 0
        for w in workers {
            let exists = try db.queryWorker(w.name) != nil
            try db.saveQueryWorker(w, replacing: exists)
            if exists { updated += 1 } else { created += 1 }
        }
        return APIResponse.result(200, ["created": .int(created), "updated": .int(updated), "errors": 0])
    }

    /// `POST /restql/execute/{name} {bindVars, batchSize}`: a cursor over the worker's result.
    func executeWorker(_ r: APIRequest) throws -> APIResponse {
        let body = r.body.isEmpty ? Object() : try r.jsonObject()
        let bindVars = try APIService.bindVars(body["bindVars"] ?? .null)
        var batchSize = APIService.workerBatchSize
        if let b = body["batchSize"], !b.isNull {
            guard let n = b.numberValue, n >= 1 else {
                throw LocusError(.badParameter, "batchSize must be a positive number")
            }
            batchSize = Int(n.clamped(to: 1...1_000_000))
        }
        let db = try database(r)
        guard let worker = try db.queryWorker(r.parameter(0)) else {
            throw LocusError(code: .httpNotFound, message: "query worker '\(r.parameter(0))' not found")
        }
        return try runAsCursor(
            r, worker.query, worker.bindVars(overriddenBy: bindVars), batchSize: batchSize, ttl: 30)
    }

    /// Runs a query (refused 11 when it writes and the user may only read) and answers its
    /// whole result as a cursor of `batchSize` rows a batch, kept for `ttl` seconds.
    func runAsCursor(_ r: APIRequest, _ text: String, _ bindVars: [String: Value], batchSize: Int, ttl: Double)
        throws -> APIResponse
    {
        if try database(r).writes(query: text) { try requireWrite(r) }
        let started = APIService.now()
        var options = QueryOptions()
        options.rowsAsJSON = true
        let result = try queries.run(
            database: r.database, user: r.user, query: text, bindVars: bindVars, options: options
        ) {
            try query(r, text, bindVars, options: $0)
        }
        var stats = APIService.stats(result.stats)
        if case .object(var s) = stats {
            s["executionTime"] = .number(APIService.now() - started)
            stats = .object(s)
        }
        return cursors.open(
            database: r.database, user: r.user, rows: result.jsonRows, batchSize: batchSize, count: result.count,
            extra: ["stats": stats, "warnings": APIService.warnings(result.warnings)], ttl: ttl, allowRetry: false,
            now: APIService.now())
    }
}
