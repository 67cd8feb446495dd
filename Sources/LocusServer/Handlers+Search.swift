// Macrometa's search routes (`/_fabric/{f}/_api/search/...`, as pyC8 calls them): views and
// analyzers under `search/`, a collection's search capability (`search/collection/C`), and
// `POST /search`, which runs a C8QL fragment over a collection, or, when the text is no
// fragment, a text search of the fields its search capability covers, answered as a cursor.

import Locus
import LocusValues

extension APIService {
    /// `POST /search/collection/C?enable=true|false&field=F`.
    func setCollectionSearch(_ r: APIRequest) throws -> APIResponse {
        guard let field = r.query["field"], !field.isEmpty else {
            throw LocusError(.badParameter, "the query parameter 'field' is required")
        }
        let enable = try r.flag("enable", default: true)
        try database(r).setCollectionSearch(r.parameter(0), field: field, enabled: enable)
        return APIResponse.ok(200, ["result": true])
    }

    /// `POST /search {collection, search, bindVars, ttl}`.
    func searchCollection(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        guard let collection = body["collection"]?.stringValue, DocumentKey.isValidCollectionName(collection) else {
            throw LocusError(.badParameter, "expecting a valid 'collection'")
        }
        guard let search = body["search"]?.stringValue, !search.isEmpty else {
            throw LocusError(.badParameter, "expecting the 'search' text")
        }
        var bindVars = try APIService.bindVars(body["bindVars"] ?? .null)
        let db = try database(r)
        var text = "FOR doc IN \(collection) \(search)"
        if (try? Database.queryWrites(text)) == nil {
            // Not a C8QL fragment: a text search of the fields the collection's search covers.
            let view = try db.view(Database.searchViewName(for: collection)) ?? .null
            guard let fields = view[attribute: "links"][attribute: collection][attribute: "fields"].objectValue?.keys,
                !fields.isEmpty
            else {
                throw LocusError(code: .queryParse, message: "search is not enabled on collection '\(collection)'")
            }
            let conditions = fields.enumerated().map { i, _ in
                "ANALYZER(doc.@f\(i) IN TOKENS(@c8search, \"text_en\"), \"text_en\")"
            }
            for (i, f) in fields.enumerated() { bindVars["f\(i)"] = .string(f) }
            bindVars["c8search"] = .string(search)
            text =
                "FOR doc IN \(Database.searchViewName(for: collection)) SEARCH "
                + conditions.joined(separator: " OR ") + " SORT BM25(doc) DESC RETURN doc"
        }
        let ttl = body["ttl"]?.numberValue.map { $0.clamped(to: 1...3600) } ?? 60
        return try runAsCursor(r, text, bindVars, batchSize: 100, ttl: ttl)
    }
}
