import API
import Foundation
import Synchronization
import Hummingbird
import HummingbirdTLS
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import Prometheus
import Rendering
import ServiceLifecycle
import UnixSignals
import HummingbirdCore

/// What `regctl serve` is given.
public struct ServeOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var location: DatabaseLocation
    public var tlsCertificate: String?
    public var tlsKey: String?
    /// Database connections (default twice the cores).
    public var poolSize = 2 * ProcessInfo.processInfo.activeProcessorCount
    /// How long a request waits for a connection before 503.
    public var poolWaitSeconds = 5.0
    /// A session idle this long ends.
    public var sessionIdleSeconds = 1800
    /// Public look-ups per minute per address (and the burst a bucket holds).
    public var publicPerMinute = 120
    public var publicBurst = 40
    /// Failed logins an account or an address may have in `loginWindowSeconds` before it waits.
    public var loginFailures = 5
    /// Failed logins one address may have in the window, whatever the accounts (an office behind one address
    /// has many people).
    public var loginAddressFailures = 50
    public var loginWindowSeconds = 900
    /// Login attempts per minute per address (whatever their outcome).
    public var loginPerMinute = 20
    /// Seconds a request may take to send its body (each chunk, for the streams) and its headers.
    public var bodyTimeoutSeconds = 60
    public var idleTimeoutSeconds = 75
    /// Bytes an upload (an import, a page's file) may have.
    public var uploadLimit = 512 << 20
    /// Take the client's address from X-Forwarded-For when the connection comes from this address (the reverse proxy's).
    public var trustedProxy: String?
    /// A standby for the commands that only read and the public look-ups (`--read-database`), or nil.
    public var readURL: String?
    /// Called with the address the server listens on (`regctl serve` prints it).
    public var onListening: (@Sendable (String) -> Void)?

    public init(location: DatabaseLocation) {
        self.location = location
    }

    var tls: Bool { tlsCertificate != nil }
}

/// The request's context: its client's address, besides Hummingbird's own.
public struct DoorContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let peer: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Bodies read whole (a command's JSON, a login, a form) are small; uploads stream with their own limit.
    public var maxUploadSize: Int { 1 << 20 }
}

/// The network door: the state every route shares.
final class Door: Sendable {
    let options: ServeOptions
    let pool: StorePool
    /// Connections to the read database, when one is set: the commands that only read and the public
    /// look-ups run there (events still on the primary); when it cannot be reached, the primary answers.
    let readers: StorePool?
    /// Until when the read database is not tried again (it failed to answer a lease).
    let readersResting = Mutex<ContinuousClock.Instant?>(nil)
    let publicLimit: RateLimiter
    let loginLimit: RateLimiter
    let logger: Logger = {
        var logger = Logger(label: "regctl.serve")
        logger.logLevel = .info  // the access log: one line a request
        return logger
    }()
    let publicLookups = Counter(label: "regctl_public_lookups")
    let registry: PrometheusCollectorRegistry
    let sealer: EventSealer

    init(options: ServeOptions, registry: PrometheusCollectorRegistry) {
        self.options = options
        self.registry = registry
        let location = options.location
        pool = StorePool(
            database: "primary", size: options.poolSize, wait: .milliseconds(Int(options.poolWaitSeconds * 1000))
        ) {
            try location.openExisting()
        }
        readers = options.readURL.map { url in
            StorePool(
                database: "standby", size: options.poolSize, wait: .milliseconds(Int(options.poolWaitSeconds * 1000))
            ) {
                try DatabaseLocation.connectReader(url)
            }
        }
        publicLimit = RateLimiter(perMinute: options.publicPerMinute, burst: options.publicBurst)
        loginLimit = RateLimiter(perMinute: options.loginPerMinute, burst: max(1, options.loginPerMinute / 2))
        sealer = EventSealer(pool: pool)
    }

    /// Runs a command as the session's account, its event sealed a moment later with the others' (EventSealer);
    /// one that only reads on `reader`, a store of the read database, when there is one.
    func execute(
        _ store: Store, reader: Store? = nil, _ name: String, _ arguments: Arguments, as session: StaffSession
    ) throws -> CommandOutput {
        defer { sealer.note() }
        return try Handler(store: store, reader: reader).execute(
            name, arguments, as: session.account, seal: false, account: session.staff)
    }

    /// A store of the read database, or nil: none is set, or it failed within the last 10 s (a standby that is
    /// down would otherwise cost every read its connection timeout before the primary answered), or it fails
    /// now, or every one of its connections is busy past the pool's wait.
    func leaseReader() async -> StorePool.Lease? {
        guard let readers, !readersResting.withLock({ $0.map { ContinuousClock.now < $0 } ?? false }) else {
            return nil
        }
        do {
            return try await readers.lease()
        } catch is StorePool.PoolExhausted {
            return nil  // busy, not down: the primary answers this one, and the next tries the standby again
        } catch {
            readersResting.withLock { $0 = ContinuousClock.now + .seconds(10) }
            logger.warning(
                "the read database cannot be reached (\(RegctlError.from(error).message)); the primary answers for the next 10 s"
            )
            return nil
        }
    }

    /// Leases a store of the read database for `body` when one is set and `reading` (nil otherwise, or when it
    /// cannot be reached: the primary answers, and the pool's metrics count the failure).
    func withReader<T: Sendable>(reading: Bool, _ body: (StorePool.Lease?) async throws -> T) async throws -> T {
        guard reading, let readers else { return try await body(nil) }
        let lease = await leaseReader()
        do {
            let result = try await body(lease)
            if let lease { await readers.release(lease) }
            return result
        } catch {
            if let lease { await readers.release(lease) }
            throw error
        }
    }

    /// Runs `body` with a store of the primary and, for a command that only reads, one of the read database.
    func withStores<T: Sendable>(for name: String, _ body: @escaping @Sendable (Store, Store?) throws -> T)
        async throws -> T
    {
        try await withReader(reading: CommandRegistry.type(named: name)?.readsOnly == true) { reader in
            try await pool.withStore { store in try body(store, reader?.store) }
        }
    }

    /// Runs a public look-up's `body` on a store of the read database when there is one, else the primary's.
    func withPublicStore<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        try await withReader(reading: true) { reader in
            guard let reader, let readers else { return try await pool.withStore(body) }
            return try await readers.run(reader, body)
        }
    }

    /// The client's address: the connection's, or X-Forwarded-For's last hop when the connection is the
    /// trusted proxy's.
    func address(_ request: Request, _ context: DoorContext) -> String {
        if let proxy = options.trustedProxy, context.peer == proxy,
            let forwarded = request.headers[.init("X-Forwarded-For")!]?.split(separator: ",").last
        {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return context.peer
    }

    /// The language of the answer: `?lang=`, else Accept-Language's first of zh and en, else Chinese.
    func language(_ request: Request) -> Language {
        if let lang = request.uri.queryParameters["lang"] {
            return lang.lowercased().hasPrefix("en") ? .en : .zh
        }
        if let accept = request.headers[.acceptLanguage]?.lowercased() {
            let tags = accept.split(separator: ",").map { part -> (String, Double) in
                let pieces = part.split(separator: ";")
                let tag = pieces.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                let q =
                    pieces.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                    .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) } ?? 1
                return (tag, q)
            }.sorted { $0.1 > $1.1 }
            for (tag, q) in tags where q > 0 {
                if tag.hasPrefix("zh") { return .zh }
                if tag.hasPrefix("en") { return .en }
            }
        }
        return .zh
    }

    /// The session a request carries (token checked in the database), or 401.
    func session(_ request: Request, _ store: Store) throws -> StaffSession {
        guard let token = Credentials.token(request), Tokens.wellFormed(token),
            let session = try store.session(token: token, idleSeconds: options.sessionIdleSeconds)
        else {
            throw Problem(
                RegctlError(
                    "http.unauthenticated",
                    "log in first: POST /api/v1/sessions with your account id and password (regctl login --server URL), then send the token as Authorization: Bearer TOKEN",
                    status: .authentication))
        }
        return session
    }

    /// A session taken from the cookie (which a browser sends on its own) acts only with the page's token in
    /// `X-CSRF-Token`; a bearer token needs none.
    func requireCSRF(_ request: Request, _ session: StaffSession) throws {
        guard Credentials.fromCookie(request) else { return }
        try Pages.requireCSRF(request.headers[.init("X-CSRF-Token")!], of: session)
    }

    /// Runs the public rate limit for the request's address.
    func limitPublic(_ request: Request, _ context: DoorContext) throws {
        if let wait = publicLimit.take(address(request, context)) {
            throw Problem(
                RegctlError("http.rate-limited", "too many look-ups from your address; wait \(wait) s and try again"),
                retryAfter: wait)
        }
    }

    /// Reads a small body whole (a command's arguments, a login, a form), within the body timeout.
    func smallBody(_ request: Request, limit: Int = 1 << 20) async throws -> Data {
        let seconds = options.bodyTimeoutSeconds
        do {
            let buffer = try await withTimeout(seconds) { try await request.body.collect(upTo: limit) }
            return Data(buffer.readableBytesView)
        } catch let e as HTTPError where e.status == .contentTooLarge {
            _ = e
            throw Problem(
                RegctlError(
                    "http.too-large", "the request body is over this route's limit of \(limit) bytes", status: .usage))
        } catch is NIOTooManyBytesError {
            throw Problem(
                RegctlError(
                    "http.too-large", "the request body is over this route's limit of \(limit) bytes", status: .usage))
        }
    }
}

/// Runs `body`, or fails with 408 when it takes longer than `seconds`.
func withTimeout<T: Sendable>(_ seconds: Int, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw Problem(
                RegctlError(
                    "http.timeout", "the request was not sent within \(seconds) s; send it again", status: .usage))
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}

/// `regctl serve`: the HTTP server.
public enum RegistryServer {
    /// Runs Swift's tasks on the server's event loops (NIO's singleton group, which Hummingbird serves on)
    /// instead of Dispatch's pool: a request's handler then runs on the thread that read it, not on one woken
    /// for it (filing.add over HTTP: about 5% more commands a second on two cores). No task of the server
    /// waits long on a thread: libpq's calls, password checks, imports and workbooks run on the store pool's
    /// threads, and an upload's chunks go to a temporary file as they come. Called once, on the main thread,
    /// before any task starts (NIO's condition for the swap).
    public static func runTasksOnEventLoops() {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    public static func run(_ options: ServeOptions) async throws {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let door = Door(options: options, registry: registry)
        let router = Router(context: DoorContext.self)
        router.add(middleware: SecurityHeaders(tls: options.tls))
        router.add(middleware: AccessLog(door: door))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: Problems(door: door))
        APIRoutes(door: door).add(to: router)
        Pages(door: door).add(to: router)

        let http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(Int64(options.idleTimeoutSeconds)))
        let server: HTTPServerBuilder
        if let cert = options.tlsCertificate, let key = options.tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            server = try .tls(.http1(configuration: http1), tlsConfiguration: tls)
        } else {
            server = .http1(configuration: http1)
        }
        let scheme = options.tls ? "https" : "http"
        let onListening = options.onListening
        let app = Application(
            router: router, server: server,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "regctl"),
            services: [SessionSweeper(door: door), door.sealer],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                let host = options.host.contains(":") ? "[\(options.host)]" : options.host
                onListening?("\(scheme)://\(host):\(port)")
            },
            logger: door.logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        await door.pool.shutdown()
        await door.readers?.shutdown()
    }
}

/// Seals the events of the commands answered into the chain (R-71) a moment after they commit, one sealer
/// call for all the commands of that moment, as `regctl exec` seals once a chunk of lines: a command over
/// HTTP does not pay for a sealing of its own. What is left at shutdown is sealed then (and by the next
/// command or the daily run in any case).
final class EventSealer: Service, Sendable {
    let pool: StorePool
    private let pending = NIOLockedValueBox(false)
    init(pool: StorePool) { self.pool = pool }

    /// A command committed events.
    func note() { pending.withLockedValue { $0 = true } }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelledOrShuttingDown {
                try? await Task.sleep(for: .milliseconds(100))
                await self.sealIfPending()
            }
        }
        await sealIfPending()
    }

    func sealIfPending() async {
        let due = pending.withLockedValue { was in
            defer { was = false }
            return was
        }
        guard due else { return }
        do {
            try await pool.withStore { $0.sealEvents() }  // a failure of the sealing itself is logged there
        } catch {
            note()  // no connection this time (the pool busy, the database away): try again on the next tick
        }
    }
}

/// Deletes idle sessions now and then (each request also refuses an idle one by itself).
struct SessionSweeper: Service {
    let door: Door
    func run() async throws {
        let idle = door.options.sessionIdleSeconds
        // The sleep ends at once when the server shuts down (SIGTERM), so that shutting down never waits for it.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelledOrShuttingDown {
                try? await Task.sleep(for: .seconds(300))
                if Task.isCancelledOrShuttingDown { break }
                _ = try? await door.pool.withStore { try $0.sweepSessions(idleSeconds: idle) }
            }
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDown: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}

/// Every error a route throws becomes a problem (JSON for the API, a page for the pages).
struct Problems: RouterMiddleware {
    let door: Door
    func handle(_ request: Request, context: DoorContext, next: (Request, DoorContext) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status == .internalServerError {
                door.logger.error("\(request.method) \(context.endpointPath ?? "?"): \(error)")
            }
            if problem.status == .serviceUnavailable { door.pool.databaseErrors.increment() }
            if Pages.isPage(request) {
                return Pages(door: door).problemPage(problem, request)
            }
            return problem.response(language: door.language(request))
        }
    }
}

/// Headers every answer carries: a Content-Security-Policy (no scripts, styles from the site, forms to the
/// site, no framing), no sniffing, no referrer, and HSTS under TLS.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = DoorContext
    let tls: Bool
    static let policy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: DoorContext, next: (Request, DoorContext) async throws -> Response)
        async throws -> Response
    {
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = SecurityHeaders.policy
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if tls { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return response
    }
}

/// One line per request on stderr: the route's pattern (never its path or query, which carry names and
/// certificate numbers), the status, the time, the client's address. Never a body, a name, an ID number
/// or a password.
struct AccessLog: RouterMiddleware {
    let door: Door
    func handle(_ request: Request, context: DoorContext, next: (Request, DoorContext) async throws -> Response)
        async throws -> Response
    {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let ms = (ContinuousClock.now - started) / .milliseconds(1)
        door.logger.info(
            "\(door.address(request, context)) \(request.method) \(context.endpointPath ?? "-") \(response.status.code) \(String(format: "%.1f", ms)) ms"
        )
        return response
    }
}
