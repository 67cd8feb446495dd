// ArangoSearch view routes (`/_api/view`): list, create, read (summary and properties), change
// (PUT replaces the properties, PATCH merges them) and drop, in ArangoDB's shapes. Renaming a
// view is not offered (error 9).

import Locus
import LocusValues

extension APIService {
    /// `{globallyUniqueId, id, name, type}` of a view's properties.
    private func viewSummary(_ properties: Value) -> Object {
        var o: Object = [:]
        for k in ["globallyUniqueId", "id", "name", "type"] { o[k] = properties[attribute: k] }
        return o
    }

    private func viewProperties(_ r: APIRequest) throws -> Value {
        guard let v = try database(r).view(r.parameter(0)) else {
            throw LocusError(.dataSourceNotFound, r.parameter(0))
        }
        return v
    }

    func listViews(_ r: APIRequest) throws -> APIResponse {
        APIResponse.result(200, .array(try database(r).views().map { .object(viewSummary($0)) }))
    }

    func createView(_ r: APIRequest) throws -> APIResponse {
        let view = try database(r).createView(try SearchViewDefinition(json: .object(try r.jsonObject())))
        return APIResponse.json(201, view)
    }

    func getView(_ r: APIRequest) throws -> APIResponse {
        APIResponse.ok(200, viewSummary(try viewProperties(r)))
    }

    func getViewProperties(_ r: APIRequest) throws -> APIResponse {
        guard case .object(let o) = try viewProperties(r) else { return APIResponse.ok(200) }
        return APIResponse.ok(200, o)
    }

    func changeView(_ r: APIRequest, partial: Bool) throws -> APIResponse {
        let updated = try database(r).updateView(r.parameter(0), properties: try r.jsonObject(), partial: partial)
        guard case .object(let o) = updated else { return APIResponse.ok(200) }
        return APIResponse.ok(200, o)
    }

    func dropView(_ r: APIRequest) throws -> APIResponse {
        try database(r).dropView(r.parameter(0))
        return APIResponse.result(200, true)
    }

    func renameView(_ r: APIRequest) throws -> APIResponse {
        throw LocusError(code: .notImplemented, message: "not implemented: renaming a view")
    }
}
