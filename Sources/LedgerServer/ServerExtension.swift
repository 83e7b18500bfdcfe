public import ServiceLifecycle

/// A part of `ledger serve` built over the server's services that the server itself does not
/// know about, such as the Slack gateway and webhook delivery (LedgerChat). It adds routes to
/// the one route table (so `docs/openapi.yaml` is still checked against every route) and
/// background services that run and stop with the server.
public protocol ServerExtension: Sendable {
    /// Paths whose routes authenticate requests themselves (a Slack request signature), so
    /// the credential check lets them through; everything else still needs credentials.
    var openPaths: Set<String> { get }

    /// Runs once before the server takes connections and reports ready. State a background
    /// service starts from (a subscription's cursor at the ledger's head) is fixed here, so an
    /// event appended after the ready line is never behind where the service begins.
    func prepare(environment: ServerEnvironment) async throws

    /// Adds the extension's routes.
    func register(_ routes: inout RouteTable, environment: ServerEnvironment)

    /// Services that run beside the HTTP server (a delivery loop), stopped on shutdown.
    func services(environment: ServerEnvironment) -> [any Service]

    /// Prometheus text exposition appended to `GET /metrics`: whole families of the
    /// extension's own (`# HELP` and `# TYPE` included), read at the scrape.
    func metricsText(environment: ServerEnvironment) async throws -> String
}

extension ServerExtension {
    public var openPaths: Set<String> { [] }
    public func prepare(environment: ServerEnvironment) async throws {}
    public func register(_ routes: inout RouteTable, environment: ServerEnvironment) {}
    public func services(environment: ServerEnvironment) -> [any Service] { [] }
    public func metricsText(environment: ServerEnvironment) async throws -> String { "" }
}
