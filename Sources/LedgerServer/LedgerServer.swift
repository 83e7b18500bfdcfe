public import ApprovalLedger
public import Hummingbird
public import Logging
import ServiceLifecycle

/// How `ledger serve` listens and whom it lets in.
public struct ServerOptions: Sendable {
    public var host: String
    /// 0 picks a free port (the ready line says which).
    public var port: Int
    /// Lets callers without credentials read (never write).
    public var allowAnonymous: Bool
    public var limits: ServerLimits
    /// Checks HTTP message signatures (RFC 9421) by the ledger's registered keys.
    public var signatures: any MessageSignatureAuthenticating
    /// The C2SP witness `POST /add-checkpoint` serves; nil answers it 404.
    public var witness: Witness?
    /// Routes and services added over the server's own (the Slack gateway, webhooks).
    public var extensions: [any ServerExtension]

    public init(
        host: String = "127.0.0.1", port: Int = 8480, allowAnonymous: Bool = false, limits: ServerLimits = ServerLimits(),
        signatures: any MessageSignatureAuthenticating = MessageSignatureAuthenticator(), witness: Witness? = nil,
        extensions: [any ServerExtension] = []
    ) {
        self.host = host
        self.port = port
        self.allowAnonymous = allowAnonymous
        self.limits = limits
        self.signatures = signatures
        self.witness = witness
        self.extensions = extensions
    }
}

/// `ledger serve`: the ledger over HTTP (Hummingbird 2), over the same `Approvals` and
/// `Ledger` the CLI uses. docs/SERVER.md describes running it; docs/openapi.yaml the API.
public struct LedgerServer: Sendable {
    let environment: ServerEnvironment
    public let options: ServerOptions

    /// What the server's key must be registered with: relaying callers' commands (their
    /// capabilities too), the sweeper's clock events.
    public static let requiredCapabilities: [Capability] = [.append, .approve, .clock, .execute, .relay, .request]

    public init(ledger: Ledger, serverSigner: Signer, options: ServerOptions, logger: Logger = Logger(label: "ledger-serve")) {
        environment = ServerEnvironment(ledger: ledger, serverSigner: serverSigner, limits: options.limits, logger: logger)
        self.options = options
    }

    /// The signer for the server's key: the identity it is registered to.
    /// - Throws: `LedgerError` `unknown-key`, `revoked-key`, or `key-not-allowed` naming the
    ///   capabilities it lacks and the command that registers them.
    public static func serverSigner(key: Ed25519PrivateKey, ledger: Ledger) async throws -> Signer {
        let keyID = key.publicKey.keyID
        guard let record = try await ledger.keys().first(where: { $0.keyID == keyID }) else {
            throw LedgerError(
                .unknownKey,
                "the server key \(keyID) is not registered in this ledger; register it: `ledger key register --identity ledger-server --public-key server.pub \(requiredCapabilities.map { "--capability \($0)" }.joined(separator: " "))`")
        }
        guard !record.isRevoked else { throw LedgerError(.revokedKey, "the server key \(keyID) was revoked; register a new one") }
        let missing = requiredCapabilities.filter { !record.capabilities.contains($0) && !record.capabilities.contains(.admin) }
        guard missing.isEmpty else {
            throw LedgerError(
                .keyNotAllowed,
                "the server key \(keyID) (\(record.identity)) lacks \(missing.map(\.rawValue).joined(separator: ", ")): the server relays callers' commands and keeps time; register a key with \(requiredCapabilities.map { "--capability \($0)" }.joined(separator: " "))")
        }
        return Signer(identity: record.identity, key: key)
    }

    /// Every route, as (method, path).
    public var routes: [RouteTable.Route] { routeTable().routes }

    func routeTable() -> RouteTable {
        let signing = CallerSigning(serverSigner: environment.serverSigner)
        var table = RouteTable()
        RequestRoutes(environment: environment, signing: signing).register(&table)
        EventRoutes(environment: environment, signing: signing).register(&table)
        PolicyRoutes(environment: environment).register(&table)
        OperationRoutes(environment: environment, extensions: options.extensions).register(&table)
        WitnessRoutes(witness: options.witness).register(&table)
        DashboardRoutes(environment: environment).register(&table)
        for extensionRoutes in options.extensions { extensionRoutes.register(&table, environment: environment) }
        return table
    }

    public func makeRouter() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: ProblemMiddleware(metrics: environment.metrics, logger: environment.logger))
        router.add(middleware: RequestBodyMiddleware(readTimeout: options.limits.readTimeout))
        router.add(
            middleware: AuthenticationMiddleware(
                ledger: environment.ledger, signatures: options.signatures, allowAnonymous: options.allowAnonymous,
                openPaths: options.extensions.reduce(OperationRoutes.openPaths.union(WitnessRoutes.openPaths)) { $0.union($1.openPaths) }))
        routeTable().register(on: router)
        return router
    }

    /// Serves until SIGTERM or SIGINT, then stops taking connections, lets in-flight requests
    /// finish (waits and streams end at once) and returns. `onReady` gets the bound address.
    public func run(onReady: @escaping @Sendable (_ host: String, _ port: Int) async -> Void) async throws {
        for serverExtension in options.extensions { try await serverExtension.prepare(environment: environment) }
        let idle = options.limits.idleTimeout
        let host = options.host
        let app = Application(
            router: makeRouter(),
            server: .http1(
                configuration: .init(
                    idleTimeout: .milliseconds(Int64(idle.components.seconds * 1000 + idle.components.attoseconds / 1_000_000_000_000_000)),
                    httpDecoderConfiguration: .init(maxHeaderFieldSize: ServerLimits.maxHeaderBytes, maxHeaderListSize: ServerLimits.maxHeaderBytes, maxHeaderFieldCount: 100))),
            configuration: .init(address: .hostname(host, port: options.port), serverName: "approval-ledger"),
            services: [Sweeper(environment: environment)] + options.extensions.flatMap { $0.services(environment: environment) },
            onServerRunning: { channel in await onReady(host, channel.localAddress?.port ?? 0) },
            logger: environment.logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [app, DrainWatcher(environment: environment)], gracefulShutdownSignals: [.sigterm, .sigint], logger: environment.logger))
        try await group.run()
    }
}
