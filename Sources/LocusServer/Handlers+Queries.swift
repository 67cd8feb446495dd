// Query routes: cursors (`/_api/cursor`), explain, parse (`/_api/query`), and the running
// queries list. A cursor runs its query when it is created, inside the request's stream
// transaction when it names one; later batches come from the cursor store and need no
// transaction header.

import Locus
import LocusValues

extension APIService {
    /// The cursor request's options: top-level fields and `options` both count, as
    /// python-arango sends them in both places.
    struct CursorRequest {
        var query: String
        var bindVars: [String: Value]
        var count: Bool
        var batchSize: Int
        var ttl: Double
        var allowRetry: Bool
        /// `options.stream`: rows produced batch by batch rather than materialised.
        var stream: Bool
        var options: QueryOptions

        /// `defaultBatchSize`: ArangoDB's 1,000, or Macrometa's 100 on its paths.
        init(_ body: Object, defaultBatchSize: Int = 1000) throws {
            guard let q = body["query"]?.stringValue else { throw LocusError(.queryEmpty) }
            if q.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) { throw LocusError(.queryEmpty) }
            query = q
            bindVars = try APIService.bindVars(body["bindVars"] ?? .null)
            count = body["count"]?.isTruthy ?? false
            var merged = body["options"]?.objectValue ?? Object()
            var o = QueryOptions()
            batchSize = defaultBatchSize
            if let b = body["batchSize"], !b.isNull {
                guard let n = b.numberValue, n >= 1 else {
                    throw LocusError(.badParameter, "batchSize must be a positive number")
                }
                batchSize = Int(n.clamped(to: 1...1_000_000))
            }
            ttl = max(1, min(body["ttl"]?.numberValue ?? 30, 86_400))
            if let m = body["memoryLimit"]?.numberValue, m > 0 { o.memoryLimit = Int(m.clamped(to: 0...1e15)) }
            allowRetry = merged["allowRetry"]?.isTruthy ?? false
            merged["allowRetry"] = nil
            stream = merged["stream"]?.isTruthy ?? false
            var known = Object()
            for (k, v) in merged {
                switch k {
                case "fullCount", "failOnWarning", "maxRuntime", "optimizer", "profile", "stream", "maxWarningCount",
                    "cache",
                    "maxPlans", "satelliteSyncWait", "memoryLimit", "count", "batchSize", "maxTransactionSize":
                    known[k] = v
                case "maxNumberOfPlans", "intermediateCommitCount", "intermediateCommitSize",
                    "skipInaccessibleCollections",
                    "spillOverThresholdMemoryUsage", "spillOverThresholdNumRows", "maxNodesPerCallstack",
                    "maxDNFConditionMembers",
                    "usePlanCache", "allowDirtyReads", "fillBlockCache", "shardIds", "forceOneShardAttributeValue",
                    "traversalProjections":
                    break
                default:
                    throw LocusError(.badParameter, "unknown query option '\(k)'")
                }
            }
            let parsed = try QueryOptions(json: .object(known))
            o.fullCount = parsed.fullCount
            o.failOnWarning = parsed.failOnWarning
            o.maxRuntime = parsed.maxRuntime
            o.optimizerRules = parsed.optimizerRules
            o.profile = parsed.profile
            o.maxTransactionSize = parsed.maxTransactionSize
            if parsed.memoryLimit > 0 { o.memoryLimit = parsed.memoryLimit }
            options = o
        }
    }

    func createCursor(_ r: APIRequest) throws -> APIResponse {
        let c = try CursorRequest(try r.jsonObject(), defaultBatchSize: r.isFabricPath ? 100 : 1000)
        let writes = try database(r).writes(query: c.query)
        if writes { try requireWrite(r) }
        // A read-only stream cursor outside a stream transaction runs lazily; the others
        // materialise (ArangoDB's stream cursors see their transaction's writes, which a
        // snapshot of their own would not).
        if c.stream && !writes && r.header("x-arango-trx-id") == nil {
            let channel = try streams.start(
                database: try database(r), query: c.query, bindVars: c.bindVars, options: c.options,
                batchSize: c.batchSize)
            return try cursors.openStream(
                database: r.database, user: r.user, channel: channel, batchSize: c.batchSize, ttl: c.ttl,
                allowRetry: c.allowRetry, now: APIService.now())
        }
        let started = APIService.now()
        var options = c.options
        options.rowsAsJSON = true  // rows are only written out: a document returned whole is never decoded
        let result = try queries.run(
            database: r.database, user: r.user, query: c.query, bindVars: c.bindVars, options: options
        ) {
            try query(r, c.query, c.bindVars, options: $0)
        }
        var stats = APIService.stats(result.stats)
        if case .object(var s) = stats {
            s["executionTime"] = .number(APIService.now() - started)
            stats = .object(s)
        }
        var extra: Object = ["stats": stats, "warnings": APIService.warnings(result.warnings)]
        if let p = result.profile { extra["profile"] = p.json }
        return cursors.open(
            database: r.database, user: r.user, rows: result.jsonRows, batchSize: c.batchSize,
            count: c.count ? result.count : nil, extra: .object(extra), ttl: c.ttl, allowRetry: c.allowRetry,
            now: APIService.now())
    }

    func nextBatch(_ r: APIRequest) throws -> APIResponse {
        try cursors.next(
            id: r.parameter(0), batchId: r.parameters.count > 1 ? r.parameter(1) : nil, database: r.database,
            user: r.user, now: APIService.now())
    }

    func deleteCursor(_ r: APIRequest) throws -> APIResponse {
        try cursors.close(id: r.parameter(0), database: r.database, user: r.user)
        return APIResponse.ok(202, ["id": .string(r.parameter(0))])
    }

    /// `GET /_api/query/rules`: the optimizer's rules with ArangoDB's flags.
    func optimizerRules(_ r: APIRequest) throws -> APIResponse {
        .json(200, .array(Database.optimizerRules.map(\.json)))
    }

    func explain(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        guard let q = body["query"]?.stringValue else { throw LocusError(.queryEmpty) }
        var options = QueryOptions()
        if let rules = body["options"]?[attribute: "optimizer"][attribute: "rules"].arrayValue {
            options.optimizerRules = rules.compactMap(\.stringValue)
        }
        let (_, json) = try database(r).explain(
            q, bindVars: try APIService.bindVars(body["bindVars"] ?? .null), options: options)
        var o = Object()
        let allPlans = body["options"]?[attribute: "allPlans"].isTruthy ?? false
        if allPlans {
            o["plans"] = .array([json[attribute: "plan"].isNull ? json : json[attribute: "plan"]])
        } else {
            o["plan"] = json[attribute: "plan"].isNull ? json : json[attribute: "plan"]
        }
        o["cacheable"] = false
        o["warnings"] = json[attribute: "warnings"].isNull ? [] : json[attribute: "warnings"]
        o["stats"] = ["rulesExecuted": 0, "rulesSkipped": 0, "plansCreated": 1, "executionTime": 0]
        if !json[attribute: "placement"].isNull { o["placement"] = json[attribute: "placement"] }
        o["error"] = false
        o["code"] = 200
        return APIResponse.json(200, .object(o))
    }

    func currentQueries(_ r: APIRequest) throws -> APIResponse {
        APIResponse.json(200, .array(queries.current(database: r.database, now: APIService.now())))
    }

    func killQuery(_ r: APIRequest) throws -> APIResponse {
        try queries.kill(r.parameter(0), database: r.database)
        return APIResponse.ok(200)
    }

    /// Parses a query without running it.
    func parseQuery(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        guard let q = body["query"]?.stringValue else { throw LocusError(.queryEmpty) }
        let parsed = try Database.parse(q)
        return APIResponse.ok(
            200,
            [
                "parsed": true, "collections": .array(parsed.collections.map { .string($0) }),
                "bindVars": .array(parsed.bindVars.map { .string($0) }), "ast": parsed.ast,
            ])
    }
}

extension Double {
    func clamped(to range: ClosedRange<Double>) -> Double {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
