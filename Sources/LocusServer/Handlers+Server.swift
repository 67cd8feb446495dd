// Routes about the server itself: version, login (`/_open/auth`, ArangoDB's and Macrometa's),
// databases and users.

import Locus
import LocusValues

extension APIService {
    static let version = "0.1.0"

    func version(_ r: APIRequest) throws -> APIResponse {
        var o: Object = ["server": "locus", "version": .string(APIService.version), "license": "community"]
        if try r.flag("details") {
            o["details"] = [
                "mode": "server", "role": "SINGLE", "engine": "sqlite", "architecture": "64bit",
                "server-version": .string(APIService.version),
            ]
        }
        return APIResponse.json(200, .object(o))
    }

    /// ArangoDB's `{username, password}`, or Macrometa's `{email, password}` and
    /// `{tenant, username, password}`; answers the token and, for Macrometa, the tenant.
    func login(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        let wrong = HTTPStatusError(
            status: 401, error: LocusError(code: .httpUnauthorized, message: "Wrong credentials"))
        guard let password = body["password"]?.stringValue else {
            throw LocusError(
                .badParameter, "expecting {\"username\": ..., \"password\": ...} or {\"email\": ..., \"password\": ...}"
            )
        }
        let name: String
        if let email = body["email"]?.stringValue {
            guard let u = try auth.user(email: email) else { throw wrong }
            name = u.name
        } else if let n = body["username"]?.stringValue {
            if let tenant = body["tenant"]?.stringValue, tenant != auth.tenant { throw wrong }
            name = n
        } else {
            throw LocusError(
                .badParameter, "expecting {\"username\": ..., \"password\": ...} or {\"email\": ..., \"password\": ...}"
            )
        }
        let now = APIService.now()
        guard try !auth.enabled || auth.login(name, password) != nil else { throw wrong }
        var o: Object = ["jwt": .string(auth.token(for: name, now: now))]
        if body["email"] != nil || body["tenant"] != nil {
            o["tenant"] = .string(auth.tenant)
            o["username"] = .string(name)
        }
        return APIResponse.json(200, .object(o))
    }

    // MARK: - Databases

    func currentDatabase(_ r: APIRequest) throws -> APIResponse {
        let name = r.database == registry.alias ? "_system" : r.database
        _ = try registry.database(name)
        return APIResponse.result(
            200,
            [
                "name": .string(r.database), "id": .string(String((registry.names.firstIndex(of: name) ?? 0) + 1)),
                "path": .string(try database(r).path), "isSystem": .bool(name == "_system"),
            ])
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
            var record =
                try auth.user(user)
                ?? UserRecord(
                    name: user, passwordHash: try Authentication.hash(password ?? ""),
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

    /// Any user may read itself; listing all needs admin rights. The caller comes first, as
    /// pyC8 reads its tenant from the first entry.
    func listUsers(_ r: APIRequest) throws -> APIResponse {
        let all = try auth.users()
        let mine = all.filter { $0.name == r.user }
        let others = try auth.level(r.user, in: "_system") < .rw ? [] : all.filter { $0.name != r.user }
        return APIResponse.result(200, .array((mine + others).map(userJSON)))
    }

    func userJSON(_ u: UserRecord) -> Value {
        var o = u.publicJSON(tenant: auth.tenant).objectValue ?? Object()
        if let e = auth.email(of: u) { o["email"] = .string(e) }
        return .object(o)
    }

    func getUser(_ r: APIRequest) throws -> APIResponse {
        let name = r.parameter(0)
        guard try name == r.user || auth.level(r.user, in: "_system") >= .rw else { throw LocusError(.forbidden, "") }
        guard let u = try auth.user(name) else { throw LocusError(.userNotFound) }
        return userResponse(u, status: 200)
    }

    func createUser(_ r: APIRequest) throws -> APIResponse {
        let body = try r.jsonObject()
        guard let name = body["user"]?.stringValue, !name.isEmpty, name.utf8.count <= 256 else {
            throw LocusError(.userInvalidName)
        }
        if try auth.user(name) != nil { throw LocusError(.userDuplicate) }
        let email = body["email"]?.stringValue
        if let email, try auth.user(email: email) != nil {
            throw LocusError(.userDuplicate, "e-mail '\(email)' is taken")
        }
        let u = UserRecord(
            name: name,
            passwordHash: try Authentication.hash(body["passwd"]?.stringValue ?? body["password"]?.stringValue ?? ""),
            active: body["active"]?.boolValue ?? true, extra: body["extra"] ?? .object(Object()), grants: [:],
            email: email)
        try auth.save(u)
        return userResponse(u, status: 201)
    }

    /// PATCH changes what the body names; PUT replaces password, active and extra.
    func changeUser(_ r: APIRequest) throws -> APIResponse {
        let name = r.parameter(0)
        guard try name == r.user || auth.level(r.user, in: "_system") >= .rw else { throw LocusError(.forbidden, "") }
        guard var u = try auth.user(name) else { throw LocusError(.userNotFound) }
        let body = try r.jsonObject()
        if let p = body["passwd"]?.stringValue {
            u.passwordHash = try Authentication.hash(p)
        } else if r.method == .PUT {
            u.passwordHash = try Authentication.hash("")
        }
        if let a = body["active"]?.boolValue { u.active = a }
        if let e = body["extra"] { u.extra = e }
        try auth.save(u)
        return userResponse(u, status: 200)
    }

    /// A user's description with `error` and `code`, as the user routes answer.
    func userResponse(_ u: UserRecord, status: Int) -> APIResponse {
        var o = userJSON(u).objectValue ?? Object()
        o["error"] = false
        o["code"] = .int(status)
        return APIResponse.json(status, .object(o))
    }

    func deleteUser(_ r: APIRequest) throws -> APIResponse {
        let name = r.parameter(0)
        if name == "root" { throw LocusError(.forbidden, "the root user cannot be removed") }
        try auth.remove(name)
        try auth.keys.removeAll(of: name)
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
        guard try r.parameter(0) == r.user || auth.level(r.user, in: "_system") >= .rw else {
            throw LocusError(.forbidden, "")
        }
        guard let u = try auth.user(r.parameter(0)) else { throw LocusError(.userNotFound) }
        return APIResponse.result(200, .string(u.level(in: r.parameter(1)).rawValue))
    }
}
