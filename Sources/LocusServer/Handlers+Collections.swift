// Collection routes: list, create, info, properties, count, truncate, drop. Key-value
// collections show Macrometa's `collectionModel: "KV"`; documents and edges are "DOC";
// `hasStream` is true at a PoP, where every collection has a change stream.

import Locus
import LocusValues

extension APIService {
    /// ArangoDB's description of a collection (with Macrometa's fields; at a PoP every
    /// collection has a change stream).
    static func describe(_ name: String, _ type: CollectionType, id: Int, stream: Bool) -> Object {
        [
            "id": .string(String(id)), "name": .string(name), "isSystem": false, "status": 3,
            "type": .int(type == .edge ? 3 : 2), "globallyUniqueId": .string(name),
            "collectionModel": .string(type == .kv ? "KV" : "DOC"), "isLocal": false, "isSpot": false,
            "hasStream": .bool(stream),
            "waitForSync": false, "keyOptions": ["type": "traditional", "allowUserKeys": true, "lastValue": 0],
            "schema": nil, "computedValues": nil, "cacheEnabled": false, "syncByRevision": true,
        ]
    }

    func collectionEntry(_ r: APIRequest, _ name: String) throws -> (Object, CollectionType) {
        let db = try database(r)
        let all = try db.collectionNames()
        guard let i = all.firstIndex(where: { $0.name == name }) else { throw LocusError(.dataSourceNotFound, name) }
        return (APIService.describe(name, all[i].type, id: i + 1, stream: db.replica != nil), all[i].type)
    }

    func listCollections(_ r: APIRequest) throws -> APIResponse {
        let db = try database(r)
        let all = try db.collectionNames()
        let stream = db.replica != nil
        return APIResponse.result(
            200,
            .array(all.enumerated().map { .object(APIService.describe($1.name, $1.type, id: $0 + 1, stream: stream)) }))
    }

    func createCollection(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        guard let name = body["name"]?.stringValue else { throw LocusError(.illegalName, "") }
        var type: CollectionType = .document
        if let t = body["type"], !t.isNull {
            switch t.numberValue ?? 0 {
            case 2: type = .document
            case 3: type = .edge
            default: throw LocusError(.collectionTypeInvalid, JSONWriter.string(t))
            }
        }
        if body["collectionModel"]?.stringValue == "KV" || body["isKV"]?.boolValue == true { type = .kv }
        if let keyOptions = body["keyOptions"]?.objectValue, let kt = keyOptions["type"]?.stringValue,
            !["traditional", "autoincrement", "uuid", "padded"].contains(kt)
        {
            throw LocusError(code: .badParameter, message: "invalid key generator '\(kt)'")
        }
        try database(r).createCollection(name, type: type)
        var o = try collectionEntry(r, name).0
        o["error"] = false
        o["code"] = 200
        return APIResponse.json(200, .object(o))
    }

    func collectionInfo(_ r: APIRequest) throws -> APIResponse {
        var o = try collectionEntry(r, r.parameter(0)).0
        o["error"] = false
        o["code"] = 200
        return APIResponse.json(200, .object(o))
    }

    func collectionCount(_ r: APIRequest) throws -> APIResponse {
        var o = try collectionEntry(r, r.parameter(0)).0
        if let tx = try transaction(r) {
            o["count"] = try tx.query("RETURN LENGTH(@@c)", bindVars: ["@c": .string(r.parameter(0))]).rows.first ?? 0
        } else {
            o["count"] = .int(try database(r).collection(r.parameter(0)).count)
        }
        o["error"] = false
        o["code"] = 200
        return APIResponse.json(200, .object(o))
    }

    func collectionFigures(_ r: APIRequest) throws -> APIResponse {
        var o = try collectionEntry(r, r.parameter(0)).0
        let count = try database(r).collection(r.parameter(0)).count
        o["count"] = .int(count)
        o["figures"] = ["indexes": ["count": .int(try database(r).indexes(collection: r.parameter(0)).count)]]
        o["error"] = false
        o["code"] = 200
        return APIResponse.json(200, .object(o))
    }

    /// Removes every document as writes (so that the removals replicate), in one transaction.
    func truncateCollection(_ r: APIRequest) throws -> APIResponse {
        _ = try collectionEntry(r, r.parameter(0))
        _ = try query(r, "FOR d IN @@c REMOVE d IN @@c", ["@c": .string(r.parameter(0))])
        var o = try collectionEntry(r, r.parameter(0)).0
        o["error"] = false
        o["code"] = 200
        return APIResponse.json(200, .object(o))
    }

    func dropCollection(_ r: APIRequest) throws -> APIResponse {
        let (o, _) = try collectionEntry(r, r.parameter(0))
        try database(r).dropCollection(r.parameter(0))
        return APIResponse.ok(200, ["id": o["id"] ?? nil])
    }

    /// Properties can be read; of the writable ones only `waitForSync` and `schema: null`
    /// are accepted, as Locus has no per-collection settings.
    func collectionProperties(_ r: APIRequest) throws -> APIResponse {
        var o = try collectionEntry(r, r.parameter(0)).0
        if r.method == .PUT {
            let body = try r.jsonObject()
            for (k, v) in body where !(k == "waitForSync" || (k == "schema" && v.isNull) || k == "cacheEnabled") {
                throw LocusError(code: .badParameter, message: "collection property '\(k)' cannot be changed in Locus")
            }
        }
        o["error"] = false
        o["code"] = 200
        return APIResponse.json(200, .object(o))
    }
}
