import ApprovalLedger
import HTTPTypes
import Hummingbird

/// Checkpoints, metrics, probes and the API description.
struct OperationRoutes: Sendable {
    let environment: ServerEnvironment
    /// Their families follow the server's own in `/metrics`.
    let extensions: [any ServerExtension]

    /// The paths that answer without credentials: probes and the API description.
    static let openPaths: Set<String> = ["/healthz", "/readyz", "/openapi.yaml"]

    func register(_ routes: inout RouteTable) {
        routes.add(.post, "/v1/checkpoints", checkpoint)
        routes.add(.get, "/metrics", metrics)
        routes.add(.get, "/healthz", healthz)
        routes.add(.get, "/readyz", readyz)
        routes.add(.get, "/openapi.yaml", openAPI)
    }

    /// A checkpoint of the head now, signed by the server's key (as `ledger checkpoint` writes
    /// it to a file): keep it away from the server, and `ledger verify --anchor` proves later
    /// that nothing was removed from the end.
    @Sendable func checkpoint(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.requireAuthenticated()
        _ = try QueryParameters(request, allowed: [])
        _ = try await JSONBody.read(request, allowed: [], emptyAllowed: true)
        let signer = Signer(identity: "checkpoint", key: environment.serverSigner.key)
        let checkpoint = try await environment.ledger.checkpoint(signer: signer)
        let value = try JSONParser.parse(Array(checkpoint.fileBytes.dropLast()))
        return JSONResponse.make(value, status: .created)
    }

    /// The ledger's metrics (as `ledger metrics --format prometheus`), the dashboards' figures
    /// (pending by environment and group, break-glass reviews, votes by channel), then the
    /// server's own.
    @Sendable func metrics(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try QueryParameters(request, allowed: [])
        let snapshot = try await DashboardSnapshot.read(environment)
        let text = snapshot.metrics.prometheusText + snapshot.figures.prometheusText(queues: snapshot.queues, voteChannels: snapshot.voteChannels)
            + environment.metrics.prometheusText(writesInFlight: environment.writes.current)
        var extended = ""
        for serverExtension in extensions { extended += try await serverExtension.metricsText(environment: environment) }
        return JSONResponse.bytesResponse(Array((text + extended).utf8), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }

    /// Alive: the process answers.
    @Sendable func healthz(_ request: Request, _ context: ServerContext) async throws -> Response {
        JSONResponse.make(["status": "ok"])
    }

    /// Ready: the ledger opens and its head reads; 503 `not-ready` otherwise, and while the
    /// server drains for shutdown (so a load balancer stops sending it requests).
    @Sendable func readyz(_ request: Request, _ context: ServerContext) async throws -> Response {
        if environment.draining.isSet {
            throw Problem(status: .serviceUnavailable, code: "not-ready", detail: "the server is shutting down").with(header: .retryAfter, "1")
        }
        do {
            let head = try await environment.ledger.head()
            return JSONResponse.make(["status": "ready", "size": .integer(head.size), "head": .string(head.hash.hex)])
        } catch let error as any ClassifiedError {
            throw Problem(status: .serviceUnavailable, code: "not-ready", detail: "the ledger cannot be read: \(error.failureMessage)").with(header: .retryAfter, "5")
        }
    }

    @Sendable func openAPI(_ request: Request, _ context: ServerContext) async throws -> Response {
        JSONResponse.bytesResponse(OpenAPIDocument.bytes, contentType: "application/yaml")
    }
}
