// Answers a request that HTTP/1.1's parser cannot read (a broken request line, a bad header,
// a head past the size limit, a connection that ends inside a head) with 400 and ArangoDB's
// error body, errorNum 10, after the answers to the requests read before it; then the
// connection closes. Hummingbird's WebSocket-upgrading channel turns NIO's own error handler
// off and offers no hook before its parser, so `LocusHTTPChannel` wraps that channel and puts
// `UnreadableRequestAnswer` right behind the request decoder. The handler leaves the pipeline
// when a WebSocket upgrade is accepted: from then on the bytes are frames, which it must not
// see.

import HummingbirdCore
import HummingbirdWebSocket
import Locus
import LocusValues
import Logging
import NIOCore
import NIOHTTP1

/// Answers a parse error with 400 once the requests read before it are answered, then ends the
/// connection's input, on which the channel finishes and closes.
final class UnreadableRequestAnswer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The handler's name in the pipeline, by which an accepted upgrade removes it.
    static let name = "locus.unreadable-request"

    /// Requests read whose responses have not ended.
    private var unanswered = 0
    /// The parse error waiting for the requests before it to be answered.
    private var pending: HTTPParserError?

    /// Whether a request's head has been read and its end not yet.
    private var readingRequest = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            readingRequest = true
        case .end: readingRequest = false
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // An error inside a request's body is that request's: its handler answers it.
        if readingRequest {
            context.fireErrorCaught(error)
            return
        }
        // The decoder reads nothing more after a parse error. The error itself goes no further:
        // the 400 says what happened, and the end of input lets the channel finish quietly
        // (a failed upgrade negotiation would be logged as a server error).
        pending = parseError
        if unanswered == 0 { answer(context) }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let ended: Bool
        if case .end = unwrapOutboundIn(data) { ended = true } else { ended = false }
        context.write(data, promise: promise)
        if ended {
            unanswered = max(0, unanswered - 1)
            if unanswered == 0, pending != nil { answer(context) }
        }
    }

    private func answer(_ context: ChannelHandlerContext) {
        guard let parseError = pending else { return }
        pending = nil
        let body = JSONWriter.string(
            .object(
                APIResponse.errorObject(
                    LocusError(.badParameter, "the request is not valid HTTP/1.1 (\(parseError))"), status: 400)))
        var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        let headers = HTTPHeaders([
            ("Connection", "close"), ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", String(buffer.readableBytes)),
        ])
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }
}

/// Hummingbird's HTTP/1.1 channel with WebSocket upgrades, plus `UnreadableRequestAnswer`.
struct LocusHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value
    let inner: HTTP1WebSocketUpgradeChannel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(
                UnreadableRequestAnswer(), name: UnreadableRequestAnswer.name, position: .after(decoder.handler))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }

    /// Takes the handler out before an accepted upgrade switches the connection to frames.
    static func leaveHTTP(_ channel: any Channel) async {
        try? await channel.pipeline.removeHandler(name: UnreadableRequestAnswer.name).get()
    }
}
