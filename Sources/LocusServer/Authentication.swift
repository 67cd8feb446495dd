// Who may use the server: users with salted PBKDF2-HMAC-SHA256 password hashes kept in the
// `_system` database's system table, per-database grants (`rw`, `ro`, `none`), HTTP basic
// authentication, and HS256 JSON Web Tokens signed with a secret kept in the data directory
// (mode 600), as ArangoDB issues them from `POST /_open/auth`; Macrometa's e-mail login, tenant
// and API keys (`Authorization: apikey KEY`, kept by `APIKeyStore`).

#if canImport(Glibc)
import Glibc
#endif
import Crypto
import CryptoExtras
import Locus
import LocusValues
import Synchronization

/// What a user may do in one database.
enum AccessLevel: String, Sendable, Comparable {
    case none, ro, rw
    static func < (a: AccessLevel, b: AccessLevel) -> Bool {
        let order: [AccessLevel] = [.none, .ro, .rw]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}

/// One user as stored.
struct UserRecord: Sendable {
    var name: String
    var passwordHash: String
    var active: Bool
    var extra: Value
    /// Macrometa's login name (`POST /_open/auth {email, password}`).
    var email: String?
    /// Grants by database name; `*` is every database without its own grant.
    var grants: [String: AccessLevel]

    var json: Value {
        var g = Object()
        for (db, level) in grants.sorted(by: { $0.key < $1.key }) { g[db] = .string(level.rawValue) }
        var o: Object = [
            "user": .string(name), "hash": .string(passwordHash), "active": .bool(active), "extra": extra,
            "grants": .object(g),
        ]
        if let email { o["email"] = .string(email) }
        return .object(o)
    }

    init(
        name: String, passwordHash: String, active: Bool, extra: Value, grants: [String: AccessLevel],
        email: String? = nil
    ) {
        self.name = name
        self.email = email
        self.passwordHash = passwordHash
        self.active = active
        self.extra = extra
        self.grants = grants
    }

    init?(json: Value) {
        guard let name = json[attribute: "user"].stringValue, let hash = json[attribute: "hash"].stringValue else {
            return nil
        }
        self.name = name
        passwordHash = hash
        active = json[attribute: "active"].boolValue ?? true
        extra = json[attribute: "extra"]
        email = json[attribute: "email"].stringValue
        var g: [String: AccessLevel] = [:]
        for (db, level) in json[attribute: "grants"].objectValue ?? Object() {
            if let l = level.stringValue.flatMap(AccessLevel.init(rawValue:)) { g[db] = l }
        }
        grants = g
    }

    /// The user's level in `database`; root may do anything.
    func level(in database: String) -> AccessLevel {
        if name == "root" { return .rw }
        return grants[database] ?? grants["*"] ?? AccessLevel.none
    }

    /// ArangoDB's user description (no hash), with Macrometa's `tenant` and `email`.
    func publicJSON(tenant: String) -> Value {
        var o: Object = [
            "user": .string(name), "active": .bool(active), "extra": extra.isNull ? .object(Object()) : extra,
            "tenant": .string(tenant),
        ]
        if let email { o["email"] = .string(email) }
        return .object(o)
    }
}

/// Users, password checks and tokens.
final class Authentication: Sendable {
    static let namespace = "users"
    static let rounds = 210_000
    static let tokenLifetime = 3600.0

    /// False with `--no-auth`: every request acts as root.
    let enabled: Bool
    let system: Database
    let secret: SymmetricKey
    /// Macrometa's tenant: the one this server is (`POST /_open/auth` answers it).
    let tenant: String
    /// Root's e-mail for Macrometa's login when root's record names none.
    let rootEmail: String
    let keys: APIKeyStore
    /// Basic credentials already checked, by their SHA-256, so that a client sending basic
    /// authentication on every request pays the slow hash once (emptied on any user change).
    private let verified = Mutex<[String: (user: String, until: Double)]>([:])
    /// The users as stored, read once: every request checks its user and grants.
    private let records: SystemRecords<UserRecord>

    init(
        enabled: Bool, system: Database, secretPath: String, rootPassword: String?, tenant: String = "locus",
        rootEmail: String = "root@localhost"
    ) throws {
        self.enabled = enabled
        self.system = system
        self.tenant = tenant
        self.rootEmail = rootEmail
        keys = APIKeyStore(system: system)
        records = SystemRecords(system: system, namespace: Authentication.namespace, decode: UserRecord.init(json:))
        secret = SymmetricKey(data: try Authentication.loadSecret(secretPath))
        if let rootPassword {
            var root =
                try user("root")
                ?? UserRecord(
                    name: "root", passwordHash: "", active: true, extra: .object(Object()), grants: ["*": .rw])
            if !Authentication.check(rootPassword, against: root.passwordHash) {
                root.passwordHash = try Authentication.hash(rootPassword)
                try save(root)
            }
        }
    }

    /// Reads the token secret, creating 32 random bytes (mode 600) when there is none.
    static func loadSecret(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd >= 0 {
            defer { close(fd) }
            var buf = [UInt8](repeating: 0, count: 64)
            let n = read(fd, &buf, 64)
            guard n >= 32 else {
                throw LocusError(.badParameter, "the token secret '\(path)' is too short; delete it to make a new one")
            }
            return Array(buf[0..<n])
        }
        var key = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in key.indices { key[i] = UInt8.random(in: 0...255, using: &rng) }
        let out = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard out >= 0 else {
            throw LocusError(
                .badParameter, "cannot create the token secret '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(out) }
        guard write(out, key, key.count) == key.count else {
            throw LocusError(.badParameter, "cannot write the token secret '\(path)'")
        }
        return key
    }

    // MARK: - Users

    func allUsers() throws -> [String: UserRecord] { try records.all() }

    func user(_ name: String) throws -> UserRecord? { try allUsers()[name] }

    func users() throws -> [UserRecord] { try allUsers().values.sorted { $0.name < $1.name } }

    func save(_ user: UserRecord) throws {
        try records.set(user.name, user.json)
        verified.withLock { $0.removeAll() }
    }

    func remove(_ name: String) throws {
        guard try user(name) != nil else { throw LocusError(.userNotFound) }
        try records.set(name, nil)
        verified.withLock { $0.removeAll() }
    }

    // MARK: - Passwords

    /// `pbkdf2-sha256$ROUNDS$SALT$HASH`, salt and hash in hex.
    static func hash(_ password: String) throws -> String {
        var rng = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
        return
            "pbkdf2-sha256$\(rounds)$\(JSONWriter.hexString(salt))$\(key.withUnsafeBytes { JSONWriter.hexString($0) })"
    }

    static func check(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds >= 210_000,
            let salt = unhex(parts[2]),
            let key = try? KDF.Insecure.PBKDF2.deriveKey(
                from: Array(password.utf8), salt: salt, using: .sha256,
                outputByteCount: 32, rounds: rounds)
        else { return false }
        return constantTimeEqual(Array(key.withUnsafeBytes { JSONWriter.hexString($0) }.utf8), Array(parts[3].utf8))
    }

    static func unhex(_ s: Substring) -> [UInt8]? {
        let u = Array(s.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < u.count {
            guard let h = APIRequest.hex(u[i]), let l = APIRequest.hex(u[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The user a name and password belong to; nil when they do not match an active user.
    func login(_ name: String, _ password: String) throws -> UserRecord? {
        guard let u = try user(name), u.active, Authentication.check(password, against: u.passwordHash) else {
            return nil
        }
        return u
    }

    /// The user an e-mail names: the one whose record carries it, or root by `rootEmail`.
    func user(email: String) throws -> UserRecord? {
        let all = try allUsers()
        if let u = all.values.first(where: { $0.email?.lowercased() == email.lowercased() }) { return u }
        return email.lowercased() == rootEmail.lowercased() ? all["root"] : nil
    }

    /// A user's e-mail as Macrometa reports it.
    func email(of user: UserRecord) -> String? { user.email ?? (user.name == "root" ? rootEmail : nil) }

    // MARK: - Requests

    /// The user an `Authorization` header proves; error 11 (HTTP 401) when it proves none.
    func authenticate(_ header: String?, now: Double) throws -> String {
        try authenticate(header, now: now, quickly: false)!
    }

    /// The same, or nil when `quickly` is set and the answer needs the slow password hash
    /// (basic credentials not verified a moment ago) or a read of `_system` (users not in
    /// memory).
    func authenticate(_ header: String?, now: Double, quickly: Bool) throws -> String? {
        guard enabled else { return "root" }
        if quickly, !records.isLoaded { return nil }
        guard let header, let space = header.firstIndex(of: " ") else {
            throw LocusError(code: .forbidden, message: "not authorized to execute this request")
        }
        let scheme = header[..<space].lowercased()
        let credentials = String(header[header.index(after: space)...]).trimming(String.whitespace)
        switch scheme {
        case "bearer":
            let name = try verifyToken(credentials, now: now)
            guard let u = try user(name), u.active else {
                throw LocusError(code: .forbidden, message: "not authorized to execute this request")
            }
            return name
        case "apikey":
            guard let name = try keys.user(forKey: credentials), let u = try user(name), u.active else {
                throw LocusError(code: .forbidden, message: "not authorized to execute this request: invalid API key")
            }
            return u.name
        case "basic":
            let digest = JSONWriter.hexString(SHA256.hash(data: Array(credentials.utf8)))
            if let hit = verified.withLock({ $0[digest] }), hit.until > now { return hit.user }
            if quickly { return nil }
            guard let decoded = Base64.decode(credentials), let text = String(validating: decoded, as: UTF8.self),
                let colon = text.firstIndex(of: ":"),
                let u = try login(String(text[..<colon]), String(text[text.index(after: colon)...]))
            else { throw LocusError(code: .forbidden, message: "not authorized to execute this request") }
            verified.withLock { cache in
                if cache.count > 1000 { cache.removeAll() }
                cache[digest] = (u.name, now + 300)
            }
            return u.name
        default:
            throw LocusError(
                code: .forbidden, message: "not authorized to execute this request: unknown scheme '\(scheme)'")
        }
    }

    /// A token for `user`: HS256, with `preferred_username`, `iss: arangodb`, `iat` and `exp`.
    func token(for user: String, now: Double) -> String {
        let header = Base64.urlEncode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let claims: Value = [
            "preferred_username": .string(user), "iss": "arangodb", "iat": .int(Int(now)),
            "exp": .int(Int(now + Authentication.tokenLifetime)),
        ]
        let payload = Base64.urlEncode(Array(JSONWriter.string(claims).utf8))
        let signed = header + "." + payload
        return signed + "."
            + Base64.urlEncode(Array(HMAC<SHA256>.authenticationCode(for: Array(signed.utf8), using: secret)))
    }

    /// The user a token names, when its signature, issuer and expiry hold.
    func verifyToken(_ token: String, now: Double) throws -> String {
        let denied = LocusError(
            code: .forbidden, message: "not authorized to execute this request: invalid or expired token")
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let signature = Base64.urlDecode(parts[2]),
            let header = Base64.urlDecode(parts[0]).flatMap({ String(validating: $0, as: UTF8.self) }),
            (try? JSONReader.parse(header))?[attribute: "alg"].stringValue == "HS256"
        else { throw denied }
        let expected = Array(
            HMAC<SHA256>.authenticationCode(for: Array((parts[0] + "." + parts[1]).utf8), using: secret))
        guard Authentication.constantTimeEqual(expected, signature),
            let payload = Base64.urlDecode(parts[1]).flatMap({ String(validating: $0, as: UTF8.self) }),
            let claims = try? JSONReader.parse(payload),
            claims[attribute: "iss"].stringValue == "arangodb",
            let exp = claims[attribute: "exp"].numberValue, exp > now,
            let name = claims[attribute: "preferred_username"].stringValue
        else { throw denied }
        return name
    }

    /// What `user` may do in `database`.
    func level(_ user: String, in database: String) throws -> AccessLevel {
        guard enabled else { return .rw }
        return try self.user(user)?.level(in: database) ?? AccessLevel.none
    }
}
