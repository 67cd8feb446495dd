// Stream transaction routes (`/_api/transaction`): begin, status, commit, abort and list.
// A transaction that declares write or exclusive collections takes the write lock at begin,
// waiting at most `lockTimeout` seconds (error 18 past that).

import Locus
import LocusValues

extension APIService {
    func beginTransaction(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        guard case .object(let collections)? = body["collections"] else {
            throw LocusError(.badParameter, "missing 'collections' for transaction")
        }
        func names(_ v: Value?) throws -> [String] {
            switch v {
            case nil, .null?: return []
            case .string(let s)?: return [s]
            case .array(let a)?: return a.compactMap(\.stringValue)
            default: throw LocusError(.badParameter, "transaction collections must be names or arrays of names")
            }
        }
        let writes = try names(collections["write"]) + names(collections["exclusive"])
        let reads = try names(collections["read"])
        let db = try database(r)
        let known = Set(try db.collectionNames().map(\.name))
        for c in writes + reads where !known.contains(c) { throw LocusError(.dataSourceNotFound, c) }
        let lockTimeout = body["lockTimeout"]?.numberValue.map { $0 <= 0 ? 86_400 : $0 } ?? 10
        let maxSize = body["maxTransactionSize"]?.numberValue.map { Int($0.clamped(to: 0...1e15)) } ?? 0
        let tx = try db.beginTransaction(write: !writes.isEmpty, lockTimeout: lockTimeout, maxTransactionSize: maxSize)
        let idle = body["idleTimeout"]?.numberValue ?? TransactionStore.defaultIdleTimeout
        let id = transactions.begin(
            database: r.database, user: r.user, transaction: tx, idleTimeout: max(1, min(idle, 3600)),
            now: APIService.now())
        return APIResponse.result(201, ["id": .string(id), "status": "running"])
    }

    func transactionStatus(_ r: APIRequest) throws -> APIResponse {
        let id = r.parameter(0)
        return APIResponse.result(
            200, ["id": .string(id), "status": .string(try transactions.status(id, database: r.database))])
    }

    func endTransaction(_ r: APIRequest) throws -> APIResponse {
        let id = r.parameter(0)
        let status = try transactions.end(id, database: r.database, commit: r.method == .PUT)
        return APIResponse.result(200, ["id": .string(id), "status": .string(status)])
    }

    func listTransactions(_ r: APIRequest) throws -> APIResponse {
        APIResponse.ok(
            200,
            [
                "transactions": .array(
                    transactions.running(database: r.database).map {
                        ["id": .string($0), "state": "running"]
                    })
            ])
    }
}
