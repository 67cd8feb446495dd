// The client side of PoP sync: a peer reached at `http://HOST:PORT` (or https) through
// AsyncHTTPClient, with keep-alive connections, a deadline per request and a bound on the
// size of an answer. Requests are signed with the fabric secret when one is set. A peer that
// limits this client's rate (HTTP 429) is asked again shortly, within the request's deadline:
// a long pull goes at the rate the peer allows instead of failing past its burst.

import AsyncHTTPClient
import Glibc
import Locus
import LocusValues
import NIOCore
import NIOHTTP1

/// A peer PoP over HTTP. Its calls block the calling thread (the replicator is synchronous);
/// never call them from an event loop.
public struct HTTPSyncTransport: SyncTransport {
    public let url: String
    let timeout: Int64
    let authenticator: SyncAuthenticator?
    static let maxBody = 64 << 20
    /// How long a rate-limited request waits before it asks again, in microseconds: as long as
    /// the sync endpoint's limiter lets a client wait between requests past its burst.
    static let rateLimitedWait = UInt32(1_000_000 / APIService.syncRate)
    /// One client for every peer: keep-alive connections are shared across pulls. A refused
    /// connection fails the pull at once rather than being retried until the deadline.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(60)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// A peer at `url`, such as `http://127.0.0.1:8529`.
    public init(url: String, timeout: Int = 30, authenticator: SyncAuthenticator? = nil) throws {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("http://") || base.hasPrefix("https://"), base.split(separator: "/").count == 2 else {
            throw LocusError(.badParameter, "peer URL must be http://HOST:PORT or https://HOST:PORT (got '\(url)')")
        }
        self.url = base
        self.timeout = Int64(timeout)
        self.authenticator = authenticator
    }

    /// `HOST:PORT` of the peer, for messages.
    public var hostAndPort: String { String(url.split(separator: "/").last ?? "") }

    public func identity() throws -> PeerIdentity {
        try PeerIdentity(json: try exchange(method: .GET, path: "/_api/sync/identity", body: []))
    }

    public func pull(_ request: PullRequest) throws -> PullResponse {
        try PullResponse(json: try exchange(method: .POST, path: "/_api/sync/pull", body: Array(request.json.utf8)))
    }

    func exchange(method: HTTPMethod, path: String, body: [UInt8]) throws -> String {
        let deadline = NIODeadline.now() + .seconds(timeout)
        while true {
            let (status, text) = try send(method: method, path: path, body: body, deadline: deadline)
            if status == .tooManyRequests,
                NIODeadline.now() + .microseconds(Int64(HTTPSyncTransport.rateLimitedWait)) < deadline
            {
                usleep(HTTPSyncTransport.rateLimitedWait)
                continue
            }
            guard status == .ok else {
                if case .object(let o)? = try? JSONReader.parse(text), case .number(let n)? = o["errorNum"],
                    let code = ErrorCode.byNumber(Int(n)), case .string(let m)? = o["errorMessage"]
                {
                    throw LocusError(code: code, message: "peer \(hostAndPort): \(m)")
                }
                throw LocusError(.replicationInvalidResponse, "peer \(hostAndPort) answered HTTP \(status.code)")
            }
            return text
        }
    }

    /// One request, signed anew (a signature holds its time), and the peer's answer.
    private func send(method: HTTPMethod, path: String, body: [UInt8], deadline: NIODeadline) throws
        -> (HTTPResponseStatus, String)
    {
        var request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url + path, method: method, body: body.isEmpty ? nil : .bytes(body))
        } catch {
            throw LocusError(.badParameter, "peer URL '\(url)' is not valid: \(error)")
        }
        request.headers.add(name: "Content-Type", value: "application/json")
        if let authenticator {
            for (name, value) in authenticator.headers(
                method: method.rawValue, path: path, body: body, now: APIService.now())
            {
                request.headers.add(name: name, value: value)
            }
        }
        let response: HTTPClient.Response
        do {
            response = try HTTPSyncTransport.client.execute(
                request: request,
                delegate: ResponseAccumulator(request: request, maxBodySize: HTTPSyncTransport.maxBody),
                deadline: deadline
            ).futureResult.wait()
        } catch {
            throw LocusError(.replicationNoResponse, "\(hostAndPort): \(error)")
        }
        return (response.status, response.body.map { String(buffer: $0) } ?? "")
    }
}
