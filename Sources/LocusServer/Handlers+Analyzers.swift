// ArangoSearch's analyzer routes (`/_api/analyzer`): list the built-in and custom analyzers,
// get, create and drop one, in ArangoDB's shapes. A custom analyzer is shown with its
// database's prefix (`_system::hyphen`), a built-in one by its bare name.

import Locus
import LocusValues

extension APIService {
    /// ArangoDB's JSON of an analyzer in database `database`.
    private func analyzerJSON(_ a: AnalyzerDefinition, database: String) -> Object {
        let builtIn = AnalyzerDefinition.builtIn[a.name] != nil
        guard case .object(let o) = a.json(shownName: builtIn ? a.name : database + "::" + a.name) else { return [:] }
        return o
    }

    func listAnalyzers(_ r: APIRequest) throws -> APIResponse {
        let builtIn = AnalyzerDefinition.builtIn.values.sorted { $0.name < $1.name }
        let all = builtIn + (try database(r).analyzers())
        return APIResponse.result(200, .array(all.map { .object(analyzerJSON($0, database: r.database)) }))
    }

    func getAnalyzer(_ r: APIRequest) throws -> APIResponse {
        guard let a = try database(r).analyzer(r.parameter(0)) else {
            throw LocusError(code: .documentNotFound, message: "analyzer not found: \(r.parameter(0))")
        }
        return APIResponse.ok(200, analyzerJSON(a, database: r.database))
    }

    /// `POST /_api/analyzer {name, type, properties, features}`: 201 when created, 200 with
    /// the existing one when an identical one is there.
    func createAnalyzer(_ r: APIRequest) throws -> APIResponse {
        var body = try r.jsonObject()
        if let name = body["name"]?.stringValue, name.contains("::") {
            // `db::name` may only name the database of the request.
            let short = AnalyzerDefinition.shortName(name)
            let prefix = String(name.dropLast(short.count + 2))
            guard prefix.isEmpty || prefix == r.database else {
                throw LocusError(.forbidden, "analyzer '\(name)' belongs to another database")
            }
            body["name"] = .string(short)
        }
        let (analyzer, created) = try database(r).createAnalyzer(try AnalyzerDefinition(json: .object(body)))
        return APIResponse.json(created ? 201 : 200, .object(analyzerJSON(analyzer, database: r.database)))
    }

    func dropAnalyzer(_ r: APIRequest) throws -> APIResponse {
        let name = r.parameter(0)
        try database(r).dropAnalyzer(name)
        let shown = name.contains("::") ? name : r.database + "::" + name
        return APIResponse.ok(200, ["name": .string(shown)])
    }
}
