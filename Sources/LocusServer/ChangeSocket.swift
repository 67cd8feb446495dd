// The WebSocket side of change streams: `/_ws/changes/{collection}?since=` (also under
// `/_db/{db}` and `/_fabric/{fabric}`) upgrades after the same authentication and access
// check as `GET /_api/changes`, then pushes each change as one text message (the JSON of a
// changes line) as it commits. A refused socket still opens (a refused upgrade could only be
// a bare 400), sends the error as ArangoDB shapes it, and closes. Subscribers read through the
// collection's `ChangeTail`; one that has fallen behind reads the database until it catches
// up. The socket closes when the client closes it, or with an error message when its position
// falls out of the stream.

import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Locus
import LocusValues
import Logging
import NIOCore

/// Serves change-stream WebSockets.
struct ChangeSocket: Sendable {
    let service: APIService
    let workers: WorkerPool
    let hub: ChangeHub

    /// The upgrade decision for a request: only `_ws/changes/{collection}` paths that pass the
    /// access check upgrade; anything else goes on to the HTTP responder, which answers it.
    func shouldUpgrade(_ head: HTTPRequest) async throws -> ShouldUpgradeResult<
        WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
    > {
        guard let target = head.path, let parsed = APIRequest.parseTarget(target),
            parsed.segments.count == 3, parsed.segments[0] == "_ws", parsed.segments[1] == "changes"
        else { return .dontUpgrade }
        var headers: [String: String] = [:]
        for field in head.headerFields { headers[field.name.canonicalName] = field.value }
        let request = APIRequest(
            method: .GET, rawPath: String(target.prefix { $0 != "?" }), database: parsed.database,
            segments: parsed.segments, query: parsed.query, headers: headers, body: [])
        let collection = parsed.segments[2]
        let since = parsed.query["since"].flatMap { Int($0) }
        guard
            let opened = try await workers.run({ [service] in
                ChangeSocket.open(service, request, collection: collection, since: since)
            })
        else { return .dontUpgrade }
        switch opened {
        case .failure(let refusal):
            // A refused upgrade could only be a bare 400: the socket opens, says why, and closes.
            return .upgrade([:]) { _, outbound, _ in
                try await outbound.write(
                    .text(JSONWriter.string(.object(APIResponse.errorObject(refusal.error, status: refusal.status)))))
                try await outbound.close(
                    refusal.status == 401 || refusal.status == 403 ? .policyViolation : .unexpectedServerError,
                    reason: refusal.error.message.count < 100 ? refusal.error.message : "refused")
            }
        case .success(let (db, start)):
            let tail = hub.tail(db, name: request.database, collection: collection, from: start)
            return .upgrade([:]) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for try await _ in inbound {} }
                    group.addTask { try await push(db, collection: collection, from: start, tail: tail, to: outbound) }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    /// Why a socket was refused: the HTTP status the same request to `/_api/changes` gets.
    struct Refusal: Error {
        var status: Int
        var error: LocusError
    }

    /// The route's access check, then the stream's own (a PoP, the collection, the position).
    static func open(_ service: APIService, _ request: APIRequest, collection: String, since: Int?) -> Result<
        (Database, Int), Refusal
    > {
        do {
            _ = try service.readAccess(request)
            let db = try service.registry.database(request.database)
            let start = try since ?? db.streamPosition()
            _ = try db.changes(in: collection, since: start, limit: 1)
            return .success((db, start))
        } catch let e as HTTPStatusError {
            return .failure(Refusal(status: e.status, error: e.error))
        } catch let e as LocusError {
            return .failure(Refusal(status: e.code.httpStatus, error: e))
        } catch {
            return .failure(Refusal(status: 500, error: LocusError(.internalError, "\(error)")))
        }
    }

    /// Sends every change after `position` as it arrives, until cancelled.
    private func push(
        _ db: Database, collection: String, from position: Int, tail: ChangeTail, to outbound: WebSocketOutboundWriter
    ) async throws {
        var position = position
        while !Task.isCancelled {
            let generation = tail.signal.generation
            var batch = tail.read(after: position, limit: 1000)
            if batch == nil {
                let from = position
                let read = try await workers.run { Result { try db.changes(in: collection, since: from, limit: 1000) } }
                switch read {
                case .success(let entries)?: batch = entries.map(ChangeTail.Message.init)
                case .failure(let e as LocusError)?:
                    try await outbound.write(
                        .text(
                            JSONWriter.string([
                                "error": true, "errorNum": .int(e.code.number),
                                "errorMessage": .string(e.message),
                            ])))
                    try await outbound.close(.unexpectedServerError, reason: "change stream ended")
                    return
                default:
                    // The workers are too busy: try again a moment later.
                    try await Task.sleep(for: .milliseconds(50))
                    continue
                }
            }
            guard let messages = batch, let last = messages.last else {
                // A tail whose follower failed signals no more: read the database each second.
                if tail.isDead {
                    await tail.signal.wait(after: generation, timeout: 1)
                } else {
                    await tail.signal.wait(after: generation)
                }
                continue
            }
            for m in messages { try await outbound.write(.text(m.text)) }
            position = last.position
        }
    }
}
