// The API behind `locus serve`: it owns the databases, users, cursors and stream
// transactions, matches a request against the route table, checks the caller's access to the
// database, and runs the handler. Everything here is synchronous and blocking; the HTTP
// layer (`HTTPFrontEnd`) calls it from a thread pool, except for quick reads
// (`answerInPlace`), never from an event loop.

#if canImport(Glibc)
import Glibc
#endif
import Locus
import LocusValues

/// The server's state and its request handling, independent of HTTP.
final class APIService: Sendable {
    let registry: DatabaseRegistry
    let auth: Authentication
    let cursors = CursorStore()
    let transactions = TransactionStore()
    let queries = RunningQueries()
    let streams = StreamRunner()
    /// The PoP's replicator, when the server serves a PoP of a fabric.
    let replicator: Replicator?
    /// Checks sync requests against the fabric secret, when one is set.
    let syncAuthenticator: SyncAuthenticator?
    let syncLimiter = RateLimiter(rate: APIService.syncRate, burst: 100)
    /// Sync requests a second one client address may make past its burst (the sync client
    /// waits a request's share of a second when it is refused).
    static let syncRate = 50.0
    let routes: [Route]

    init(
        registry: DatabaseRegistry, auth: Authentication, replicator: Replicator?, syncAuthenticator: SyncAuthenticator?
    ) {
        self.registry = registry
        self.auth = auth
        self.replicator = replicator
        self.syncAuthenticator = syncAuthenticator
        routes = Routes.table
    }

    static func now() -> Double { SystemClock().now() }

    /// The answer to `request` when it can be given on the thread it arrived on: its route is
    /// quick, it is outside any stream transaction (whose session may be busy), its database
    /// is open, and its credentials are checked without the slow password hash. Nil otherwise.
    func answerInPlace(_ request: APIRequest, peer: String, matched: (Route, [String])?) -> APIResponse? {
        guard let matched, matched.0.quick, request.headers["x-arango-trx-id"] == nil,
            (try? registry.database(request.database)) != nil
        else { return nil }
        do {
            guard
                let user = try auth.authenticate(request.headers["authorization"], now: APIService.now(), quickly: true)
            else { return nil }
            return handle(request, peer: peer, matched: matched, user: user)
        } catch {
            return handle(request, peer: peer, matched: matched)
        }
    }

    /// Answers one request; every failure becomes an ArangoDB error body. `matched` is the
    /// route when the caller has already matched it, `user` the caller when already
    /// authenticated.
    func handle(_ request: APIRequest, peer: String, matched: (Route, [String])? = nil, user: String? = nil)
        -> APIResponse
    {
        do {
            var request = request
            let now = APIService.now()
            guard let (route, parameters) = matched ?? match(request) else {
                if routes.contains(where: { $0.matches(request.segments) != nil }) {
                    throw LocusError(.httpMethodNotAllowed)
                }
                throw LocusError(.httpNotFound, "/" + request.segments.joined(separator: "/"))
            }
            request.parameters = parameters
            switch route.access {
            case .open:
                break
            case .sync:
                guard syncLimiter.allow(peer, now: now) else {
                    return APIResponse.error(LocusError(.resourceLimit), status: 429)
                }
                if let syncAuthenticator {
                    try syncAuthenticator.verify(
                        method: request.method.rawValue, path: request.rawPath,
                        header: { request.headers[$0] }, body: request.body, now: now)
                }
            case .user:
                request.user = try user ?? authenticate(request, now: now)
            case .read, .write, .admin:
                request.user = try user ?? authenticate(request, now: now)
                let level = try level(of: request.user, for: request)
                let needed: AccessLevel = route.access == .read ? .ro : .rw
                if route.access == .admin, try auth.level(request.user, in: "_system") < .rw {
                    throw LocusError(
                        code: .forbidden, message: "forbidden: only users with write access to _system may do this")
                }
                guard level >= needed else {
                    throw LocusError(
                        code: .forbidden,
                        message:
                            "forbidden: user '\(request.user)' has \(level.rawValue) access to database '\(request.database)'"
                    )
                }
                _ = try registry.database(request.database)
            }
            let response = try route.handler(self, request)
            return request.method == .HEAD
                ? APIResponse(status: response.status, body: [], headers: response.headers) : response
        } catch let e as HTTPStatusError {
            let r = APIResponse.error(e.error, status: e.status)
            return request.method == .HEAD ? APIResponse(status: r.status, body: []) : r
        } catch let e as LocusError {
            let r = APIResponse.error(e)
            return request.method == .HEAD ? APIResponse(status: r.status, body: []) : r
        } catch {
            return APIResponse.error(LocusError(.internalError, "\(error)"))
        }
    }

    /// The user the request's credentials prove; 401 with error 11 otherwise.
    func authenticate(_ request: APIRequest, now: Double) throws -> String {
        do {
            return try auth.authenticate(request.headers["authorization"], now: now)
        } catch let e as LocusError where e.code == .forbidden {
            throw HTTPStatusError(status: 401, error: e)
        }
    }

    /// The caller of a request that needs read access to its database; throws what `handle`
    /// would answer otherwise.
    func readAccess(_ request: APIRequest) throws -> String {
        let user = try authenticate(request, now: APIService.now())
        guard try level(of: user, for: request) >= .ro else {
            throw LocusError(
                code: .forbidden, message: "forbidden: user '\(user)' has no access to database '\(request.database)'")
        }
        return user
    }

    /// What `user` may do in the request's database (at a PoP, the fabric's name is `_system`).
    func level(of user: String, for request: APIRequest) throws -> AccessLevel {
        try auth.level(user, in: request.database == registry.alias ? "_system" : request.database)
    }

    func match(_ request: APIRequest) -> (Route, [String])? {
        for route in routes where route.method == request.method {
            if let params = route.matches(request.segments) { return (route, params) }
        }
        guard request.method == .HEAD else { return nil }
        for route in routes where route.method == .GET {
            if let params = route.matches(request.segments) { return (route, params) }
        }
        return nil
    }

    /// Closes cursors and aborts running stream transactions (on shutdown).
    func shutdown() {
        cursors.closeAll()
        transactions.abortAll()
    }

    /// Expires idle cursors and stream transactions.
    func housekeeping() {
        let now = APIService.now()
        cursors.expire(now: now)
        transactions.expire(now: now)
    }
}

/// An error answered with an HTTP status other than its number's usual one (error 11 is 403
/// for a missing permission but 401 for missing credentials).
struct HTTPStatusError: Error {
    var status: Int
    var error: LocusError
}
