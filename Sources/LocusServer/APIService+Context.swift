// What handlers share: the request's database, the stream transaction its
// `x-arango-trx-id` names, running a query or a group of statements in the right place, and
// the JSON shapes of statistics and warnings.

import Locus
import LocusValues

extension APIService {
    func database(_ r: APIRequest) throws -> Database { try registry.database(r.database) }

    /// The stream transaction named by `x-arango-trx-id`, if the request carries one.
    func transaction(_ r: APIRequest) throws -> StreamTransaction? {
        guard let id = r.header("x-arango-trx-id"), !id.isEmpty else { return nil }
        return try transactions.get(id, database: r.database, now: APIService.now())
    }

    /// Runs one query, in the request's stream transaction when it names one.
    func query(
        _ r: APIRequest, _ text: String, _ bindVars: [String: Value] = [:], options: QueryOptions = QueryOptions()
    ) throws -> QueryResult {
        if let tx = try transaction(r) { return try tx.query(text, bindVars: bindVars, options: options) }
        return try database(r).query(text, bindVars: bindVars, options: options)
    }

    /// Runs several statements in one transaction: the request's stream transaction, or a
    /// write transaction of their own committed at the end.
    func session<R: Sendable>(_ r: APIRequest, _ body: (TransactionSession) throws -> R) throws -> R {
        if let tx = try transaction(r) { return try tx.withSession(body) }
        return try database(r).withWriteTransaction(body)
    }

    /// Refuses a writing request from a user with read access only.
    func requireWrite(_ r: APIRequest) throws {
        let level = try level(of: r.user, for: r)
        guard level >= .rw else {
            throw LocusError(
                code: .forbidden,
                message: "forbidden: user '\(r.user)' has read-only access to database '\(r.database)'")
        }
    }

    static func stats(_ s: ExecutionStats) -> Value {
        var o: Object = [
            "writesExecuted": .int(s.writesExecuted), "writesIgnored": .int(s.writesIgnored),
            "scannedFull": .int(s.scannedFull), "scannedIndex": .int(s.scannedIndex),
            "filtered": .int(s.filtered), "httpRequests": 0, "executionTime": .number(s.executionTime),
            "peakMemoryUsage": 0,
        ]
        if let fc = s.fullCount { o["fullCount"] = .int(fc) }
        return .object(o)
    }

    static func warnings(_ ws: [QueryWarning]) -> Value {
        .array(ws.map { ["code": .int($0.code), "message": .string($0.message)] })
    }

    /// An object's members as bind variables (`@@name` keys keep their `@`).
    static func bindVars(_ v: Value) throws -> [String: Value] {
        if v.isNull { return [:] }
        guard case .object(let o) = v else { throw LocusError(.bindParametersInvalid) }
        var out: [String: Value] = [:]
        for (k, v) in o { out[k] = v }
        return out
    }
}
