// Index routes (`/_api/index`): list, create, get and drop. Types are named as
// `IndexType(named:)` reads them, ArangoDB's old aliases included. Creating an index identical
// to an existing one answers that index with `isNewlyCreated: false`.

import Locus
import LocusValues

extension APIService {
    func collectionParameter(_ r: APIRequest) throws -> String {
        guard let c = r.query["collection"], !c.isEmpty else {
            throw LocusError(code: .badParameter, message: "collection parameter 'collection' not found")
        }
        return c
    }

    func listIndexes(_ r: APIRequest) throws -> APIResponse {
        let c = try collectionParameter(r)
        _ = try collectionEntry(r, c)
        let indexes = try database(r).indexes(collection: c)
        var identifiers = Object()
        for ix in indexes { if let id = ix[attribute: "id"].stringValue { identifiers[id] = ix } }
        return APIResponse.ok(200, ["indexes": .array(indexes), "identifiers": .object(identifiers)])
    }

    func createIndex(_ r: APIRequest) throws -> APIResponse {
        let c = try collectionParameter(r)
        _ = try collectionEntry(r, c)
        let body = try r.jsonObject()
        guard let typeName = body["type"]?.stringValue else { throw LocusError(.badParameter, "index type missing") }
        let type = try IndexType(named: typeName)
        guard let fields = body["fields"]?.arrayValue?.compactMap(\.stringValue), !fields.isEmpty,
            fields.count == body["fields"]?.arrayValue?.count
        else { throw LocusError(.badParameter, "index fields must be a non-empty array of attribute names") }
        let db = try database(r)
        let before = Set(try db.indexes(collection: c).compactMap { $0[attribute: "id"].stringValue })
        let made = try db.createIndex(
            collection: c, fields: fields, type: type, unique: body["unique"]?.isTruthy ?? false,
            sparse: body["sparse"]?.isTruthy ?? false, expireAfter: body["expireAfter"]?.numberValue,
            minLength: body["minLength"]?.numberValue.map { Int($0.clamped(to: 0...1e6)) },
            geoJson: body["geoJson"]?.boolValue, name: body["name"]?.stringValue)
        let isNew = !before.contains(made[attribute: "id"].stringValue ?? "")
        var o = made.objectValue ?? Object()
        o["isNewlyCreated"] = .bool(isNew)
        o["error"] = false
        o["code"] = .int(isNew ? 201 : 200)
        return APIResponse.json(isNew ? 201 : 200, .object(o))
    }

    /// The index `{collection}/{id or name}`.
    func findIndex(_ r: APIRequest) throws -> Value {
        let (c, handle) = (r.parameter(0), r.parameter(1))
        _ = try collectionEntry(r, c)
        let indexes = try database(r).indexes(collection: c)
        guard
            let ix = indexes.first(where: {
                $0[attribute: "id"].stringValue == c + "/" + handle || $0[attribute: "name"].stringValue == handle
            })
        else { throw LocusError(.indexNotFound) }
        return ix
    }

    func getIndex(_ r: APIRequest) throws -> APIResponse {
        var o = try findIndex(r).objectValue ?? Object()
        o["error"] = false
        o["code"] = 200
        return APIResponse.json(200, .object(o))
    }

    func dropIndex(_ r: APIRequest) throws -> APIResponse {
        let ix = try findIndex(r)
        guard let name = ix[attribute: "name"].stringValue else { throw LocusError(.indexNotFound) }
        if ["primary", "edge"].contains(ix[attribute: "type"].stringValue ?? "") {
            throw LocusError(code: .forbidden, message: "forbidden: the \(name) index cannot be dropped")
        }
        try database(r).dropIndex(collection: r.parameter(0), name: name)
        return APIResponse.ok(200, ["id": ix[attribute: "id"]])
    }
}
