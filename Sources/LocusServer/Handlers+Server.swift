// Routes about the server itself: version, login (`/_open/auth`), databases and users.

import Locus
import LocusValues

extension APIService {
    static let version = "0.1.0"

    func version(_ r: APIRequest) throws -> APIResponse {
        var o: Object = ["server": "locus", "version": .string(APIService.version), "license": "community"]
        if try r.flag("details") {
            o["details"] = ["mode": "server", "role": "SINGLE", "engine": "sqlite", "architecture": "64bit",
                            "server-version": .string(APIService.version)]
        }
        return APIResponse.json(200, .object(o))
    }

    func login(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        guard let name = body["username"]?.stringValue, let password = body["password"]?.stringValue else {
            throw LocusError(.badParameter, "expecting {\"username\": ..., \"password\": ...}")
        }
        let now = APIService.now()
        guard try !auth.enabled || auth.login(name, password) != nil else {
            throw HTTPStatusError(status: 401, error: LocusError(code: .httpUnauthorized, message: "Wrong credentials"))
        }
        return APIResponse.json(200, ["jwt": .string(auth.token(for: name, now: now))])
    }

    // MARK: - Databases

    func currentDatabase(_ r: APIRequest) throws -> APIResponse {
        let name = r.database == registry.alias ? "_system" : r.database
        _ = try registry.database(name)
        return APIResponse.result(200, ["name": .string(r.database), "id": .string(String((registry.names.firstIndex(of: name) ?? 0) + 1)),
                                        "path": .string(try database(r).path), "isSystem": .bool(name == "_system")])
    }

    func listDatabases(_ r: APIRequest) throws -> APIResponse {
        guard r.database == "_system" || r.database == registry.alias else { throw LocusError(.useSystemDatabase) }
        return APIResponse.result(200, .array(registry.names.map { .string($0) }))
    }

    func userDatabases(_ r: APIRequest) throws -> APIResponse {
        let names = try registry.names.filter { try auth.level(r.user, in: $0) > AccessLevel.none }
        return APIResponse.result(200, .array(names.map { .string($0) }))
    }

    func createDatabase(_ r: APIRequest) throws -> APIResponse {
        guard r.database == "_system" || r.database == registry.alias else { throw LocusError(.useSystemDatabase) }
        let body = try r.jsonObject()
        guard let name = body["name"]?.stringValue else { throw LocusError(.databaseNameInvalid, "") }
        // Users named with the database get rw on it, as ArangoDB does; validate them first.
        var grants: [(String, String?)] = []
        for u in body["users"]?.arrayValue ?? [] {
            guard let user = u[attribute: "username"].stringValue ?? u[attribute: "user"].stringValue else {
                throw LocusError(.badParameter, "every entry of 'users' needs a 'username'")
            }
            grants.append((user, u[attribute: "passwd"].stringValue))
        }
        _ = try registry.create(name)
        for (user, password) in grants {
            var record = try auth.user(user) ?? UserRecord(name: user, passwordHash: try Authentication.hash(password ?? ""),
                                                            active: true, extra: .object(Object()), grants: [:])
            record.grants[name] = .rw
            try auth.save(record)
        }
        return APIResponse.result(201, true)
    }

    func dropDatabase(_ r: APIRequest) throws -> APIResponse {
        guard r.database == "_system" || r.database == registry.alias else { throw LocusError(.useSystemDatabase) }
        try registry.drop(r.parameter(0))
        return APIResponse.result(200, true)
    }

    // MARK: - Users

    func listUsers(_ r: APIRequest) throws -> APIResponse {
        // Any user may read itself; listing all needs admin rights.
        if try auth.level(r.user, in: "_system") < .rw {
            guard let me = try auth.user(r.user) else { return APIResponse.result(200, []) }
            return APIResponse.result(200, [me.publicJSON])
        }
        return APIResponse.result(200, .array(try auth.users().map(\.publicJSON)))
    }

    func getUser(_ r: APIRequest) throws -> APIResponse {
        let name = r.parameter(0)
        guard try name == r.user || auth.level(r.user, in: "_system") >= .rw else { throw LocusError(.forbidden, "") }
        guard let u = try auth.user(name) else { throw LocusError(.userNotFound) }
        return APIService.userResponse(u, status: 200)
    }

    func createUser(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        guard let name = body["user"]?.stringValue, !name.isEmpty, name.utf8.count <= 256 else { throw LocusError(.userInvalidName) }
        if try auth.user(name) != nil { throw LocusError(.userDuplicate) }
        let u = UserRecord(name: name, passwordHash: try Authentication.hash(body["passwd"]?.stringValue ?? ""),
                           active: body["active"]?.boolValue ?? true, extra: body["extra"] ?? .object(Object()), grants: [:])
        try auth.save(u)
        return APIService.userResponse(u, status: 201)
    }

    /// PATCH changes what the body names; PUT replaces password, active and extra.
    func changeUser(_ r: APIRequest) throws -> APIResponse {
        let name = r.parameter(0)
        guard try name == r.user || auth.level(r.user, in: "_system") >= .rw else { throw LocusError(.forbidden, "") }
        guard var u = try auth.user(name) else { throw LocusError(.userNotFound) }
        let body = try r.jsonObject()
        if let p = body["passwd"]?.stringValue { u.passwordHash = try Authentication.hash(p) }
        else if r.method == .PUT { u.passwordHash = try Authentication.hash("") }
        if let a = body["active"]?.boolValue { u.active = a }
        if let e = body["extra"] { u.extra = e }
        try auth.save(u)
        return APIService.userResponse(u, status: 200)
    }

    /// A user's description with `error` and `code`, as the user routes answer.
    static func userResponse(_ u: UserRecord, status: Int) -> APIResponse {
        var o = u.publicJSON.objectValue ?? Object()
        o["error"] = false
        o["code"] = .int(status)
        return APIResponse.json(status, .object(o))
    }

    func deleteUser(_ r: APIRequest) throws -> APIResponse {
        let name = r.parameter(0)
        if name == "root" { throw LocusError(.forbidden, "the root user cannot be removed") }
        try auth.remove(name)
        return APIResponse.ok(202)
    }

    /// `PUT /_api/user/{user}/database/{db}` with `{grant: "rw"|"ro"|"none"}`; DELETE revokes.
    func grant(_ r: APIRequest) throws -> APIResponse {
        guard var u = try auth.user(r.parameter(0)) else { throw LocusError(.userNotFound) }
        let db = r.parameter(1)
        if r.method == .DELETE {
            u.grants.removeValue(forKey: db)
        } else {
            let body = try r.jsonObject()
            guard let level = body["grant"]?.stringValue.flatMap(AccessLevel.init(rawValue:)) else {
                throw LocusError(.badParameter, "grant must be rw, ro or none")
            }
            if db != "*" { _ = try registry.database(db) }
            u.grants[db] = level
        }
        try auth.save(u)
        return APIResponse.ok(r.method == .DELETE ? 202 : 200, [db: .string(u.grants[db]?.rawValue ?? "none")])
    }

    func userPermissions(_ r: APIRequest) throws -> APIResponse {
        let name = r.parameter(0)
        guard try name == r.user || auth.level(r.user, in: "_system") >= .rw else { throw LocusError(.forbidden, "") }
        guard let u = try auth.user(name) else { throw LocusError(.userNotFound) }
        var o = Object()
        for db in registry.names { o[db] = .string(u.level(in: db).rawValue) }
        return APIResponse.result(200, .object(o))
    }

    func userPermission(_ r: APIRequest) throws -> APIResponse {
        guard try r.parameter(0) == r.user || auth.level(r.user, in: "_system") >= .rw else { throw LocusError(.forbidden, "") }
        guard let u = try auth.user(r.parameter(0)) else { throw LocusError(.userNotFound) }
        return APIResponse.result(200, .string(u.level(in: r.parameter(1)).rawValue))
    }
}
