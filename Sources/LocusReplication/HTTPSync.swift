// The sync endpoint over HTTP/1.1 on plain POSIX sockets: `SyncServer` answers
// `GET /_api/sync/identity` and `POST /_api/sync/pull`, and `HTTPTransport` is the client
// side. One request per connection, bodies bounded, sockets with timeouts, so a slow or
// hostile peer can neither hang nor exhaust a PoP.

#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import LocusErrors
import LocusValues
import Synchronization

/// Plain socket helpers shared by the server and the client.
enum Socket {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static let maxBody = 64 << 20
    static let maxHeader = 16 << 10

    static func setTimeouts(_ fd: Int32, seconds: Int) {
        var tv = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    /// Reads one HTTP message: the head (start line and headers) and a body of Content-Length bytes.
    static func readMessage(_ fd: Int32) throws -> (head: [String], body: [UInt8]) {
        var buf: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headEnd: Int? = nil
        while headEnd == nil {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw LocusError(.replicationNoResponse, "connection closed before a complete message") }
            buf += chunk[0..<n]
            if let r = find(buf, [13, 10, 13, 10]) { headEnd = r }
            guard buf.count <= maxHeader || headEnd != nil else { throw LocusError(.replicationInvalidResponse, "message head too large") }
        }
        let head = String(decoding: buf[0..<headEnd!], as: UTF8.self).split(separator: "\r\n").map(String.init)
        var length = 0
        for line in head.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                guard let l = Int(String(parts[1]).trimming(" \t")), l >= 0, l <= maxBody else {
                    throw LocusError(.replicationInvalidResponse, "bad Content-Length")
                }
                length = l
            }
        }
        var body = Array(buf[(headEnd! + 4)...])
        while body.count < length {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, length - body.count), 0) }
            guard n > 0 else { throw LocusError(.replicationNoResponse, "connection closed mid-body") }
            body += chunk[0..<n]
        }
        return (head, Array(body.prefix(length)))
    }

    static func find(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }
}

/// Serves a PoP's change feed to its peers.
public final class SyncServer: Sendable {
    public let replicator: Replicator
    let listener: Int32
    /// The port listened on (the one chosen by the system when 0 was asked for).
    public let port: Int
    private let stopped = Atomic<Bool>(false)
    /// Without one, any client that reaches the port may pull.
    let authenticator: SyncAuthenticator?
    let limiter = RateLimiter(rate: 50, burst: 100)

    /// Listens on `host:port` (IPv4); with an authenticator, only requests signed with the
    /// fabric secret are answered.
    public init(replicator: Replicator, host: String, port: Int, authenticator: SyncAuthenticator? = nil) throws {
        self.replicator = replicator
        self.authenticator = authenticator
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LocusError(.replicationNoResponse, "cannot create a socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &addr.sin_addr) == 1 else {
            close(fd)
            throw LocusError(.badParameter, "cannot listen on '\(host)': give an IPv4 address such as 127.0.0.1")
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw LocusError(.badParameter, "cannot listen on \(host):\(port): \(String(cString: strerror(errno)))")
        }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listener = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
    }

    /// Accepts connections until `stop()`, answering each on a worker thread.
    public func run() {
        while !stopped.load(ordering: .relaxed) {
            var peer = sockaddr_in()
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            let conn = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &len) }
            }
            if conn < 0 {
                if stopped.load(ordering: .relaxed) { break }
                continue
            }
            let client = String(peer.sin_addr.s_addr)
            DispatchQueue.global().async { self.handle(conn, client: client) }
        }
    }

    public func stop() {
        stopped.store(true, ordering: .relaxed)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    func handle(_ fd: Int32, client: String) {
        defer { close(fd) }
        Socket.setTimeouts(fd, seconds: 30)
        let (status, body): (Int, String)
        do {
            guard limiter.allow(client, now: Socket.now()) else { throw LocusError(.resourceLimit) }
            let (head, payload) = try Socket.readMessage(fd)
            let start = head.first?.split(separator: " ") ?? []
            if let authenticator {
                try authenticator.verify(method: start.first.map(String.init) ?? "", path: start.dropFirst().first.map(String.init) ?? "",
                                         head: head, body: payload, now: Socket.now())
            }
            switch (start.first.map(String.init), start.dropFirst().first.map(String.init)) {
            case ("GET", "/_api/sync/identity"):
                (status, body) = (200, try replicator.identity().json)
            case ("POST", "/_api/sync/pull"):
                let request = try PullRequest(json: String(decoding: payload, as: UTF8.self))
                (status, body) = (200, try replicator.serve(request).json)
            default:
                (status, body) = (404, SyncServer.errorBody(LocusError(.badParameter, "unknown endpoint")))
            }
        } catch let e as LocusError {
            (status, body) = (e.code == .resourceLimit ? 429 : e.code.httpStatus, SyncServer.errorBody(e))
        } catch {
            (status, body) = (500, SyncServer.errorBody(LocusError(.internalError, "\(error)")))
        }
        let bytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Error")\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
        _ = Socket.writeAll(fd, Array(head.utf8) + bytes)
    }

    static func errorBody(_ e: LocusError) -> String {
        JSONWriter.string(["error": true, "errorNum": .number(Double(e.code.number)), "errorMessage": .string(e.message)])
    }
}

/// A peer reached over HTTP, at a URL such as `http://127.0.0.1:8529`.
public struct HTTPTransport: SyncTransport {
    public let host: String
    public let port: Int
    public let timeout: Int
    let authenticator: SyncAuthenticator?

    public init(url: String, timeout: Int = 30, authenticator: SyncAuthenticator? = nil) throws {
        self.authenticator = authenticator
        guard url.hasPrefix("http://") else { throw LocusError(.badParameter, "peer URL must start with http:// (got '\(url)')") }
        var rest = url.dropFirst(7)
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        let parts = rest.split(separator: ":")
        guard parts.count == 2, let p = Int(parts[1]), p > 0, p < 65536, !parts[0].isEmpty else {
            throw LocusError(.badParameter, "peer URL must be http://HOST:PORT (got '\(url)')")
        }
        host = String(parts[0])
        port = p
        self.timeout = timeout
    }

    public func identity() throws -> PeerIdentity {
        try PeerIdentity(json: try exchange(method: "GET", path: "/_api/sync/identity", body: ""))
    }

    public func pull(_ request: PullRequest) throws -> PullResponse {
        try PullResponse(json: try exchange(method: "POST", path: "/_api/sync/pull", body: request.json))
    }

    func exchange(method: String, path: String, body: String) throws -> String {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>? = nil
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let ai = res else {
            throw LocusError(.replicationNoResponse, "cannot resolve \(host)")
        }
        defer { freeaddrinfo(res) }
        let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
        guard fd >= 0 else { throw LocusError(.replicationNoResponse, "cannot create a socket") }
        defer { close(fd) }
        Socket.setTimeouts(fd, seconds: timeout)
        guard connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            throw LocusError(.replicationNoResponse, "cannot connect to \(host):\(port): \(String(cString: strerror(errno)))")
        }
        let payload = Array(body.utf8)
        let auth = authenticator?.headers(method: method, path: path, body: payload, now: Socket.now()) ?? ""
        let head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\n\(auth)Connection: close\r\n\r\n"
        guard Socket.writeAll(fd, Array(head.utf8) + payload) else {
            throw LocusError(.replicationNoResponse, "\(host):\(port) closed the connection")
        }
        let (respHead, respBody) = try Socket.readMessage(fd)
        let text = String(decoding: respBody, as: UTF8.self)
        let status = respHead.first?.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        guard status == 200 else {
            if case .object(let o)? = try? JSONReader.parse(text), case .number(let n)? = o["errorNum"],
               let code = ErrorCode.byNumber(Int(n)), case .string(let m)? = o["errorMessage"]
            {
                throw LocusError(code: code, message: "peer \(host):\(port): \(m)")
            }
            throw LocusError(.replicationInvalidResponse, "peer \(host):\(port) answered HTTP \(status)")
        }
        return text
    }
}
