// One HTTP request as the API handlers see it: which database, the path below `/_api/`,
// query parameters, headers, the collected body and the authenticated user. It parses
// ArangoDB's and Macrometa's path forms and reads booleans the way the drivers send them.

import Locus
import LocusValues

/// A request routed to the API.
struct APIRequest: Sendable {
    enum Method: String, Sendable { case GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS }

    var method: Method
    /// The request target's path, as sent (sync requests are signed over it).
    var rawPath: String
    /// The database the path names (`_system` for plain `/_api/...`).
    var database: String
    /// The path's segments after `_api` (or after `_open` / `_admin` / `_ws`, with that word first),
    /// percent-decoded.
    var segments: [String]
    var query: [String: String]
    /// Header names in lower case.
    var headers: [String: String]
    var body: [UInt8]
    /// The authenticated user.
    var user = "root"
    /// Filled in by the router: the values of the pattern's `:name` segments, in order.
    var parameters: [String] = []

    /// Splits a request target into database, segments and query parameters.
    /// Accepts `/_api/...`, `/_db/NAME/_api/...`, `/_fabric/NAME/_api/...` and the `_open`,
    /// `_admin` and `_ws` variants of each; anything else is nil.
    static func parseTarget(_ target: String) -> (database: String, segments: [String], query: [String: String])? {
        let pathPart: Substring
        var query: [String: String] = [:]
        if let q = target.firstIndex(of: "?") {
            pathPart = target[..<q]
            for pair in target[target.index(after: q)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = percentDecode(kv[0], plusIsSpace: true) else { return nil }
                let value = kv.count > 1 ? percentDecode(kv[1], plusIsSpace: true) : ""
                guard let value else { return nil }
                query[name] = value
            }
        } else {
            pathPart = target[...]
        }
        var raw = pathPart.split(separator: "/", omittingEmptySubsequences: true)
        var database = "_system"
        if raw.count >= 2, raw[0] == "_db" || raw[0] == "_fabric" {
            guard let name = percentDecode(raw[1], plusIsSpace: false) else { return nil }
            database = name
            raw.removeFirst(2)
        }
        guard let first = raw.first, first == "_api" || first == "_open" || first == "_admin" || first == "_ws" else {
            return nil
        }
        var segments: [String] = []
        if first != "_api" { segments.append(String(first)) }
        for s in raw.dropFirst() {
            guard let d = percentDecode(s, plusIsSpace: false) else { return nil }
            segments.append(d)
        }
        return (database, segments, query)
    }

    /// Decodes `%XX` escapes (and `+` in query strings); nil for a malformed escape or
    /// invalid UTF-8.
    static func percentDecode(_ s: Substring, plusIsSpace: Bool) -> String? {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(s)
        }
        var out: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let c = it.popFirst() {
            if c == UInt8(ascii: "%") {
                guard let h = it.popFirst(), let l = it.popFirst(), let hv = hex(h), let lv = hex(l) else { return nil }
                out.append(hv << 4 | lv)
            } else if plusIsSpace && c == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(c)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// True for Macrometa's form of the path (`/_fabric/NAME/_api/...`), whose defaults differ
    /// from ArangoDB's in places (a cursor's batch size).
    var isFabricPath: Bool { rawPath.hasPrefix("/_fabric/") }

    /// A path parameter captured by the route pattern.
    func parameter(_ i: Int) -> String { parameters[i] }

    /// A boolean query parameter: `true`/`1`/`yes` or `false`/`0`/`no` (and Python's `True`/`False`).
    func flag(_ name: String, default value: Bool = false) throws -> Bool {
        guard let raw = query[name] else { return value }
        switch raw.lowercased() {
        case "true", "1", "yes", "on", "": return true
        case "false", "0", "no", "off": return false
        default: throw LocusError(.badParameter, "query parameter '\(name)' must be true or false, not '\(raw)'")
        }
    }

    /// A non-negative integer query parameter; error 10 when it is something else.
    func count(_ name: String, default value: Int) throws -> Int {
        guard let raw = query[name], !raw.isEmpty else { return value }
        guard let n = Int(raw), n >= 0 else {
            throw LocusError(.badParameter, "query parameter '\(name)' must be a non-negative integer, not '\(raw)'")
        }
        return n
    }

    /// The body as JSON; error 600 when it is not valid JSON.
    func json() throws -> Value {
        if body.isEmpty { throw LocusError(.corruptedJSON, "the request body is empty") }
        do {
            return try body.withUnsafeBufferPointer { try JSONReader.parse($0) }
        } catch let e as LocusError {
            throw LocusError(
                code: .corruptedJSON, message: e.code == .corruptedJSON ? e.message : "invalid JSON: \(e.message)")
        }
    }

    /// The body as a JSON object; error 10 when it is another type.
    func jsonObject() throws -> Object {
        guard case .object(let o) = try json() else {
            throw LocusError(.badParameter, "the request body must be a JSON object")
        }
        return o
    }

    /// A header's value (name in lower case).
    func header(_ name: String) -> String? { headers[name] }
}

extension APIRequest {
    /// The request for `method` on `target` (path and query string); 405 for a method the API
    /// does not know, 404 for a target outside it.
    init(method: String, target: String, headers: [String: String], body: [UInt8]) throws {
        guard let m = Method(rawValue: method) else { throw LocusError(.httpMethodNotAllowed) }
        let path = String(target.prefix { $0 != "?" })
        guard let parsed = APIRequest.parseTarget(target) else { throw LocusError(.httpNotFound, path) }
        self.init(
            method: m, rawPath: path, database: parsed.database, segments: parsed.segments, query: parsed.query,
            headers: headers, body: body)
    }
}
