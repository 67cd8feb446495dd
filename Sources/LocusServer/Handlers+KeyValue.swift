// Macrometa's key-value routes (`/_api/kv/...`) on key-value collections. Every read and
// write is a C8QL statement, so the API sees exactly what queries see (an entry whose
// `expireAt` has passed is gone at once) and writes pass the placement gate and the change
// log like any other. Entries are `{_key, value, expireAt, groupID?}`; `expireAt` is in
// seconds since the epoch, -1 for never.

import Locus
import LocusValues

extension APIService {
    static let kvBatchGetLimit = 100
    static let kvBatchRemoveLimit = 1000
    static let kvGroupIndex = "groupID"

    /// The key-value collection a route names: 1203 when missing, 1218 when of another kind.
    func kvCollection(_ r: APIRequest) throws -> String {
        let name = r.parameter(0)
        guard let c = try database(r).collectionNames().first(where: { $0.name == name }) else {
            throw LocusError(.dataSourceNotFound, name)
        }
        guard c.type == .kv else {
            throw LocusError(code: .collectionTypeInvalid, message: "'\(name)' is not a key-value collection")
        }
        return name
    }

    /// The `groupID` filter of a route, or null.
    func groupFilter(_ r: APIRequest) -> Value { r.query["groupID"].map { .string($0) } ?? .null }

    func kvQuery(_ r: APIRequest, _ text: String, _ bind: [String: Value]) throws -> [Value] {
        try query(r, text, bind).rows
    }

    // MARK: - Collections

    func listKVCollections(_ r: APIRequest) throws -> APIResponse {
        let db = try database(r)
        let names = try db.collectionNames().filter { $0.type == .kv }.map(\.name)
        return APIResponse.result(
            200,
            .array(
                try names.map { name in
                    let grouped = try db.indexes(collection: name).contains {
                        $0[attribute: "name"].stringValue == APIService.kvGroupIndex
                    }
                    return ["name": .string(name), "expiration": true, "group": .bool(grouped)]
                }))
    }

    /// `POST /kv/{name}?expiration=&group=`: every key-value collection honours `expireAt`;
    /// `group` adds an index on `groupID`.
    func createKVCollection(_ r: APIRequest) throws -> APIResponse {
        let name = r.parameter(0)
        _ = try r.flag("expiration")
        let grouped = try r.flag("group")
        if !r.body.isEmpty, case .object(let o) = try r.json(), o["blobs"]?.isTruthy == true {
            throw LocusError(.badParameter, "blob key-value collections are not supported")
        }
        let db = try database(r)
        try db.createCollection(name, type: .kv)
        if grouped {
            _ = try db.createIndex(
                collection: name, fields: ["groupID"], type: .persistent, sparse: true, name: APIService.kvGroupIndex)
        }
        return APIResponse.ok(200, ["name": .string(name)])
    }

    func dropKVCollection(_ r: APIRequest) throws -> APIResponse {
        let name = try kvCollection(r)
        try database(r).dropCollection(name)
        return APIResponse.ok(200, ["name": .string(name)])
    }

    // MARK: - Entries

    /// One entry as stored: `_key` and `value` required, `expireAt` a number (default -1),
    /// `groupID` a string.
    static func kvEntry(_ v: Value, at index: Int?) throws -> Value {
        let place = index.map { " (entry \($0))" } ?? ""
        guard case .object(let o) = v else {
            throw LocusError(.badParameter, "a key-value entry must be an object\(place)")
        }
        guard let key = o["_key"], case .string = key else {
            throw LocusError(.badParameter, "a key-value entry needs a string '_key'\(place)")
        }
        guard let value = o["value"] else {
            throw LocusError(.badParameter, "a key-value entry needs a 'value'\(place)")
        }
        var entry: Object = ["_key": key, "value": value, "expireAt": -1]
        if let e = o["expireAt"], !e.isNull {
            guard case .number = e else {
                throw LocusError(.badParameter, "'expireAt' must be seconds since the epoch or -1\(place)")
            }
            entry["expireAt"] = e
        }
        if let g = o["groupID"], !g.isNull {
            guard case .string = g else { throw LocusError(.badParameter, "'groupID' must be a string\(place)") }
            entry["groupID"] = g
        }
        return .object(entry)
    }

    /// `PUT /kv/{name}/value`: one entry or a batch, each inserted or replaced whole.
    func putKVEntries(_ r: APIRequest) throws -> APIResponse {
        let name = try kvCollection(r)
        let body = try r.json()
        let single: Bool
        let entries: [Value]
        switch body {
        case .array(let a):
            single = false
            entries = try a.enumerated().map { try APIService.kvEntry($1, at: $0) }
        default:
            single = true
            entries = [try APIService.kvEntry(body, at: nil)]
        }
        let rows = try kvQuery(
            r,
            """
            FOR e IN @entries INSERT e INTO @@c OPTIONS {overwriteMode: "replace"}
              RETURN {_id: NEW._id, _key: NEW._key, _rev: NEW._rev}
            """, ["entries": .array(entries), "@c": .string(name)])
        return APIResponse.json(200, single ? rows.first ?? .null : .array(rows))
    }

    func getKVEntry(_ r: APIRequest) throws -> APIResponse {
        let name = try kvCollection(r)
        let rows = try kvQuery(
            r, "FOR d IN @@c FILTER d._key == @k RETURN d", ["@c": .string(name), "k": .string(r.parameter(1))])
        guard let d = rows.first else { throw LocusError(.documentNotFound) }
        return APIResponse.json(200, d)
    }

    func deleteKVEntry(_ r: APIRequest) throws -> APIResponse {
        let name = try kvCollection(r)
        let rows = try kvQuery(
            r, "REMOVE @k IN @@c RETURN {_id: OLD._id, _key: OLD._key, _rev: OLD._rev}",
            ["@c": .string(name), "k": .string(r.parameter(1))])
        return APIResponse.json(200, rows.first ?? .null)
    }

    /// The keys a batch route's body lists, at most `limit`; nil for no body.
    func kvKeys(_ r: APIRequest, limit: Int) throws -> [Value]? {
        if r.body.isEmpty { return nil }
        let body = try r.json()
        if body.isNull { return nil }
        guard case .array(let keys) = body, keys.allSatisfy({ if case .string = $0 { true } else { false } }) else {
            throw LocusError(.badParameter, "the body must be an array of keys")
        }
        guard keys.count <= limit else {
            throw LocusError(.badParameter, "at most \(limit) keys per request, not \(keys.count)")
        }
        return keys
    }

    /// `POST /kv/{name}/values`: the entries of the listed keys, or a page of all entries
    /// (`offset`, `limit` at most 100), of one `groupID` when given.
    func getKVEntries(_ r: APIRequest) throws -> APIResponse {
        let name = try kvCollection(r)
        let offset = try r.count("offset", default: 0)
        let limit = try r.count("limit", default: APIService.kvBatchGetLimit)
        guard limit <= APIService.kvBatchGetLimit else {
            throw LocusError(.badParameter, "limit must be at most \(APIService.kvBatchGetLimit)")
        }
        var bind: [String: Value] = ["@c": .string(name), "g": groupFilter(r), "o": .int(offset), "l": .int(limit)]
        let rows: [Value]
        if let keys = try kvKeys(r, limit: APIService.kvBatchGetLimit) {
            bind["keys"] = .array(keys)
            rows = try kvQuery(
                r,
                """
                FOR d IN @@c FILTER d._key IN @keys AND (@g == null OR d.groupID == @g) SORT d._key LIMIT @o, @l RETURN d
                """, bind)
        } else {
            rows = try kvQuery(
                r, "FOR d IN @@c FILTER @g == null OR d.groupID == @g SORT d._key LIMIT @o, @l RETURN d", bind)
        }
        return APIResponse.result(200, .array(rows))
    }

    /// `DELETE /kv/{name}/values`: removes the listed keys (at most 1000); absent ones are skipped.
    func deleteKVEntries(_ r: APIRequest) throws -> APIResponse {
        let name = try kvCollection(r)
        guard let keys = try kvKeys(r, limit: APIService.kvBatchRemoveLimit) else {
            throw LocusError(.badParameter, "the body must be an array of keys")
        }
        let rows = try kvQuery(
            r,
            """
            FOR k IN @keys REMOVE k IN @@c OPTIONS {ignoreErrors: true} RETURN {_id: OLD._id, _key: OLD._key, _rev: OLD._rev}
            """, ["@c": .string(name), "keys": .array(keys)])
        return APIResponse.result(200, .array(rows))
    }

    /// `GET /kv/{name}/keys?offset=&limit=&order=asc|desc&groupID=`.
    func listKVKeys(_ r: APIRequest) throws -> APIResponse {
        let name = try kvCollection(r)
        let order = (r.query["order"] ?? "asc").lowercased()
        guard order == "asc" || order == "desc" else {
            throw LocusError(.badParameter, "order must be asc or desc, not '\(order)'")
        }
        let offset = try r.count("offset", default: 0)
        let limit = try r.count("limit", default: Int(Int32.max))
        let rows = try kvQuery(
            r, "FOR d IN @@c FILTER @g == null OR d.groupID == @g SORT d._key @dir LIMIT @o, @l RETURN d._key",
            [
                "@c": .string(name), "g": groupFilter(r), "dir": .string(order.uppercased()),
                "o": .int(offset), "l": .int(limit),
            ])
        return APIResponse.result(200, .array(rows))
    }

    func countKVEntries(_ r: APIRequest) throws -> APIResponse {
        let name = try kvCollection(r)
        let rows = try kvQuery(
            r, "RETURN COUNT(FOR d IN @@c FILTER @g == null OR d.groupID == @g RETURN 1)",
            ["@c": .string(name), "g": groupFilter(r)])
        return APIResponse.ok(200, ["name": .string(name), "count": rows.first ?? 0])
    }

    /// `PUT /kv/{name}/truncate[?groupID=]`: removes every entry (of the group), as removals
    /// that replicate.
    func truncateKV(_ r: APIRequest) throws -> APIResponse {
        let name = try kvCollection(r)
        let rows = try kvQuery(
            r, "FOR d IN @@c FILTER @g == null OR d.groupID == @g REMOVE d IN @@c COLLECT WITH COUNT INTO n RETURN n",
            ["@c": .string(name), "g": groupFilter(r)])
        return APIResponse.ok(200, ["name": .string(name), "removed": rows.first ?? 0])
    }
}
