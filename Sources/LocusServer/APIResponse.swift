// What an API handler answers: a status, JSON bytes and extra headers. Errors take
// ArangoDB's shape, `{error: true, code, errorNum, errorMessage}`, with the HTTP status the
// error table gives each number.

import Locus
import LocusValues

/// A response before it becomes HTTP.
struct APIResponse: Sendable {
    var status: Int
    var body: [UInt8]
    var headers: [(String, String)] = []

    /// A JSON body.
    static func json(_ status: Int, _ value: Value, headers: [(String, String)] = []) -> APIResponse {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        JSONWriter.write(value, into: &out)
        return APIResponse(status: status, body: out, headers: headers)
    }

    /// `{error: false, code: status, ...fields}`, the shape of most ArangoDB answers.
    static func ok(_ status: Int = 200, _ fields: Object = Object()) -> APIResponse {
        var o = Object()
        o["error"] = false
        o["code"] = .int(status)
        for (k, v) in fields { o[k] = v }
        return json(status, .object(o))
    }

    /// `{error: false, code: status, result: value}`.
    static func result(_ status: Int = 200, _ value: Value) -> APIResponse {
        ok(status, ["result": value])
    }

    /// An error in ArangoDB's shape; a query error also carries its line and column.
    static func error(_ e: LocusError, status: Int? = nil) -> APIResponse {
        let code = status ?? e.code.httpStatus
        return json(code, .object(errorObject(e, status: code)))
    }

    /// `{error: true, code, errorNum, errorMessage}`, with `line` and `column` for a query error.
    static func errorObject(_ e: LocusError, status: Int? = nil) -> Object {
        var o: Object = [
            "error": true, "code": .int(status ?? e.code.httpStatus), "errorNum": .int(e.code.number),
            "errorMessage": .string(e.message),
        ]
        if let p = e.position {
            o["line"] = .int(p.line)
            o["column"] = .int(p.column)
        }
        return o
    }
}
