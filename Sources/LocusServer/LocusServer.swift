// `locus serve`: builds the API service over the configured data, starts Hummingbird on the
// listen address (with TLS when given a certificate and key), pulls from peers when the data
// is a PoP with peers, expires idle cursors and transactions, and on SIGTERM or SIGINT lets
// in-flight requests finish, then closes cursors and rolls back open stream transactions.

#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdCore
import HTTPTypes
import HummingbirdTLS
import HummingbirdWebSocket
import Locus
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// How to run a server.
public struct ServerOptions: Sendable {
    public var layout: DataLayout
    public var host: String
    public var port: Int
    /// False serves without authentication (`--no-auth`).
    public var authentication = true
    public var rootPassword: String?
    /// Macrometa's tenant name that logins answer (pyC8 needs one).
    public var tenant = "locus"
    /// Root's e-mail for Macrometa's login (`POST /_open/auth {email, password}`).
    public var rootEmail = "root@localhost"
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// The largest request body accepted (413 past it).
    public var maxBody = 64 << 20
    /// Worker threads for database calls, and how many requests may wait for one.
    public var workers = 8
    public var maxWaiting = 1024
    /// Seconds a request may wait for a worker before it gets 503.
    public var maxWait = 30.0
    /// Peers to pull from every `pullEvery` seconds (PoPs only).
    public var peers: [HTTPSyncTransport] = []
    public var pullEvery = 1.0
    public var syncAuthenticator: SyncAuthenticator?

    public init(layout: DataLayout, host: String, port: Int) {
        self.layout = layout
        self.host = host
        self.port = port
    }
}

/// A running `locus serve`.
public enum LocusServer {
    /// Serves until SIGTERM or SIGINT; `onListening` gets the bound URL (the port the system
    /// chose when 0 was asked for).
    public static func run(_ options: ServerOptions, onListening: @escaping @Sendable (String) -> Void) async throws {
        if options.authentication && options.rootPassword == nil {
            throw LocusError(
                .badParameter,
                "authentication is on and root has no password: set LOCUS_ROOT_PASSWORD or --root-password-file, or give --no-auth"
            )
        }
        let registry = try DatabaseRegistry(layout: options.layout)
        let auth = try Authentication(
            enabled: options.authentication, system: registry.system, secretPath: registry.secretPath,
            rootPassword: options.rootPassword, tenant: options.tenant, rootEmail: options.rootEmail)
        var replicator: Replicator? = nil
        if case .pop = options.layout { replicator = registry.system.replicator() }
        let service = APIService(
            registry: registry, auth: auth, replicator: replicator, syncAuthenticator: options.syncAuthenticator)
        let workers = WorkerPool(threads: options.workers, maxWaiting: options.maxWaiting, maxWait: options.maxWait)
        let frontEnd = HTTPFrontEnd(service: service, workers: workers, maxBody: options.maxBody)

        let hub = ChangeHub()
        let sockets = ChangeSocket(service: service, workers: workers, hub: hub)
        let http = HTTPServerBuilder { responder in
            LocusHTTPChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, configuration: .init(http1: .init(idleTimeout: .seconds(300)), ws: .init())
                ) { head, channel, _ in
                    let decision = try await sockets.shouldUpgrade(head)
                    if case .upgrade = decision { await LocusHTTPChannel.leaveHTTP(channel) }
                    return decision
                })
        }
        var server = http
        let scheme: String
        if let cert = options.tlsCertificate, let key = options.tlsKey {
            let tls: TLSConfiguration
            do {
                tls = TLSConfiguration.makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            } catch {
                throw LocusError(.badParameter, "cannot read the TLS certificate or key: \(error)")
            }
            server = try .tls(http, tlsConfiguration: tls)
            scheme = "https"
        } else if options.tlsCertificate != nil || options.tlsKey != nil {
            throw LocusError(.badParameter, "TLS needs both --tls-cert and --tls-key")
        } else {
            scheme = "http"
        }
        let logger = Logger(label: "locus") { ServerLogHandler(label: $0) }
        let host = options.host
        let background = BackgroundWork(
            service: service, workers: workers, peers: options.peers, every: options.pullEvery)
        let app = Application(
            responder: frontEnd, server: server,
            configuration: .init(address: .hostname(host, port: options.port), serverName: "locus"),
            services: [background],
            onServerRunning: { channel in
                onListening("\(scheme)://\(host):\(channel.localAddress?.port ?? options.port)")
            },
            logger: logger)
        defer {
            hub.stopAll()
            service.shutdown()
        }
        try await app.runService()
        service.shutdown()
        await service.streams.shutdown()
        await workers.shutdown()
    }
}

/// Periodic work beside the server: expiring cursors and transactions, and pulling from peers.
struct BackgroundWork: Service {
    let service: APIService
    let workers: WorkerPool
    let peers: [HTTPSyncTransport]
    let every: Double

    func run() async throws {
        var lastPull = 0.0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(200))
            let now = APIService.now()
            _ = try? await workers.run { [service] in service.housekeeping() }
            if let replicator = service.replicator, !peers.isEmpty, now - lastPull >= every {
                lastPull = now
                _ = try? await workers.run { [peers] in
                    for p in peers { _ = try? replicator.pull(from: p) }
                }
            }
        }
    }
}
