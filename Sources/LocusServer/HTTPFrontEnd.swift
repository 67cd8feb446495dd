// The HTTP side of the server on Hummingbird: it reads the request target and body
// (bounded; 413 past the limit), hands the request to the API service on a pool of worker
// threads, because database calls block, and writes the answer. Quick reads (a document by
// key, the version) skip the pool: the hop costs more than they do. A bound on requests
// waiting for a worker keeps a flood from growing without limit: past it, or after waiting
// too long, a request gets 503 with errorNum 503, on which drivers fail over.

import Hummingbird
import HummingbirdCore
import HTTPTypes
import Locus
import LocusValues
import NIOCore
import NIOPosix
import Synchronization

/// The request context: Hummingbird's core storage and the peer's address.
struct LocusRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let peer: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// Runs blocking work on a fixed set of threads, refusing work once too much is waiting.
final class WorkerPool: Sendable {
    let pool: NIOThreadPool
    let maxWaiting: Int
    let maxWait: Double
    private let waiting = Atomic<Int>(0)

    init(threads: Int, maxWaiting: Int, maxWait: Double) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        self.maxWaiting = maxWaiting
        self.maxWait = maxWait
    }

    /// Runs `work` on a worker; nil when the server is too busy to take it.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T? {
        guard waiting.wrappingAdd(1, ordering: .relaxed).newValue <= maxWaiting else {
            waiting.wrappingSubtract(1, ordering: .relaxed)
            return nil
        }
        let queued = APIService.now()
        return try await pool.runIfActive { [self] () -> T? in
            waiting.wrappingSubtract(1, ordering: .relaxed)
            if APIService.now() - queued > maxWait { return nil }
            return work()
        }
    }

    func shutdown() async { try? await pool.shutdownGracefully() }
}

/// Hummingbird's responder for every path.
struct HTTPFrontEnd: HTTPResponder {
    typealias Context = LocusRequestContext
    let service: APIService
    let workers: WorkerPool
    let maxBody: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        let target = request.head.path ?? "/"
        let isHead = request.method == .head
        // The target is checked before the body is read: a request for no route costs nothing.
        do { _ = try APIRequest(method: request.method.rawValue, target: target, headers: [:], body: []) } catch {
            return HTTPFrontEnd.response(
                APIResponse.error(error as? LocusError ?? LocusError(.badParameter)), head: isHead)
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBody {
            return HTTPFrontEnd.response(
                APIResponse.error(LocusError(.httpRequestTooLarge, "more than \(maxBody) bytes")))
        }
        var body: [UInt8] = []
        do {
            var buffer = try await request.body.collect(upTo: maxBody)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            return HTTPFrontEnd.response(
                APIResponse.error(LocusError(.httpRequestTooLarge, "more than \(maxBody) bytes")))
        } catch {
            // The client stopped sending before the body was whole.
            return HTTPFrontEnd.response(APIResponse.error(LocusError(.badParameter, "the request body is incomplete")))
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let apiRequest = try APIRequest(method: request.method.rawValue, target: target, headers: headers, body: body)
        let method = apiRequest.method
        let peer = context.peer
        let matched = service.match(apiRequest)
        if let answer = service.answerInPlace(apiRequest, peer: peer, matched: matched) {
            return HTTPFrontEnd.response(answer, head: method == .HEAD)
        }
        if let matched, matched.0.polls { return try await poll(apiRequest, peer: peer, matched: matched) }
        guard
            let answer = try await workers.run({ [service] in service.handle(apiRequest, peer: peer, matched: matched) }
            )
        else {
            return HTTPFrontEnd.busy()
        }
        return HTTPFrontEnd.response(answer, head: method == .HEAD)
    }

    static func busy() -> Response {
        HTTPFrontEnd.response(
            APIResponse.error(LocusError(.httpServiceUnavailable, "the server is too busy; try again")))
    }

    /// A long poll: asks the handler, and while it has nothing to send, waits for a commit of
    /// the database (no worker thread is held meanwhile) until the request's timeout. The
    /// position the first answer resolved is kept, so nothing committed in between is missed.
    func poll(_ request: APIRequest, peer: String, matched: (Route, [String])) async throws -> Response {
        var request = request
        let deadline = APIService.now() + APIService.pollTimeout(request)
        while true {
            let generation = (try? service.registry.database(request.database))?.changeGeneration
            let r = request
            guard let answer = try await workers.run({ [service] in service.handle(r, peer: peer, matched: matched) })
            else {
                return HTTPFrontEnd.busy()
            }
            let empty = answer.status == 200 && answer.headers.contains { $0.0 == "x-locus-count" && $0.1 == "0" }
            let left = deadline - APIService.now()
            guard empty, left > 0, let generation, let db = try? service.registry.database(request.database) else {
                return HTTPFrontEnd.response(answer)
            }
            if let position = answer.headers.first(where: { $0.0 == "x-locus-position" })?.1 {
                request.query["since"] = position
            }
            await db.waitForChanges(after: generation, timeout: left)
        }
    }

    static func response(_ r: APIResponse, head: Bool = false) -> Response {
        var fields = HTTPFields()
        if r.status != 304 {
            fields[.contentType] = "application/json; charset=utf-8"
        }
        for (name, value) in r.headers {
            if let n = HTTPField.Name(name) { fields[n] = value }
        }
        fields[.init("X-Content-Type-Options")!] = "nosniff"
        let status = HTTPResponse.Status(code: r.status)
        if head || r.body.isEmpty {
            fields[.contentLength] = String(head ? 0 : r.body.count)
            return Response(status: status, headers: fields, body: ResponseBody())
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: r.body)))
    }
}
