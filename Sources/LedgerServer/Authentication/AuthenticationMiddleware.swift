public import ApprovalLedger
public import HTTPTypes
public import Hummingbird

/// Proves who each request comes from before any route runs, and records it as
/// `context.caller`: an HTTP message signature (requests with `Signature-Input`), else a
/// bearer token (`Authorization: Bearer lgr_…`), else anonymous when the server allows it.
/// Under `/dashboards` only, the token may also come as `?token=` or as the dashboard
/// cookie (`dashboardCredential`).
/// A request that proves nothing is answered 401; what a caller may then do is each route's
/// check (`context.requireCapability`).
///
/// The body must already be collected (`RequestBodyMiddleware` runs first): a signature
/// covers its digest.
public struct AuthenticationMiddleware<Context: AuthenticatedContext>: RouterMiddleware {
    let ledger: Ledger
    let signatures: any MessageSignatureAuthenticating
    let allowAnonymous: Bool
    /// Paths that need no credentials: probes and the API description.
    let openPaths: Set<String>

    public init(ledger: Ledger, signatures: any MessageSignatureAuthenticating, allowAnonymous: Bool, openPaths: Set<String>) {
        self.ledger = ledger
        self.signatures = signatures
        self.allowAnonymous = allowAnonymous
        self.openPaths = openPaths
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        if let secret = Self.dashboardCredential(request) {
            context.caller = try await bearer("Bearer " + secret)
        } else if request.headers[.signatureInput] != nil {
            let body = try await request.collectBody(upTo: ServerLimits.maxBodyBytes)
            context.caller = try await signatures.authenticate(request, body: Array(buffer: body), ledger: ledger)
        } else if let authorization = request.headers[.authorization] {
            context.caller = try await bearer(authorization)
        } else if allowAnonymous || openPaths.contains(request.uri.path) {
            context.caller = Caller(identity: "anonymous", capabilities: [], credential: .anonymous)
        } else {
            throw Self.unauthenticated(
                "authentication-required",
                "this server needs credentials: a bearer token (`Authorization: Bearer lgr_…`, from `ledger token create`) or an HTTP message signature by a registered key")
        }
        return try await next(request, context)
    }

    /// The name of the cookie a dashboard page load sets (`DashboardRoutes`).
    public static var dashboardCookie: String { "ledger_dashboard" }

    /// A browser cannot send a header on a page load, so under `/dashboards` (and only
    /// there) a bearer token may come as the `token` query parameter, which the page answers
    /// by setting it as an HttpOnly cookie, or as that cookie. A `token` parameter wins over
    /// every other credential, so a wrong one is answered 401 rather than ignored.
    static func dashboardCredential(_ request: Request) -> String? {
        let path = request.uri.path
        guard path == "/dashboards" || path.hasPrefix("/dashboards/") else { return nil }
        if let token = request.uri.queryParameters.get("token") { return token }
        guard request.headers[.authorization] == nil, request.headers[.signatureInput] == nil else { return nil }
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, String(parts[0]).trimmingSpaces == dashboardCookie { return String(parts[1]).trimmingSpaces }
            }
        }
        return nil
    }

    private func bearer(_ authorization: String) async throws -> Caller {
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Self.unauthenticated("authentication-invalid", "the Authorization header must be `Bearer lgr_…`")
        }
        let secret = String(parts[1]).trimmingSpaces
        guard BearerToken.isWellFormed(secret), let token = try await ledger.token(secretSHA256: BearerToken.hash(secret)) else {
            throw Self.unauthenticated("token-unknown", "this bearer token is not one the ledger issued (`ledger token list` shows the tokens)")
        }
        if let revoked = token.revokedAt {
            throw Self.unauthenticated("token-revoked", "token '\(Identifier.printable(token.name))' was revoked at \(revoked); ask for a new one (`ledger token create`)")
        }
        let now = SystemClock.now()
        guard now < token.expiresAt else {
            throw Self.unauthenticated("token-expired", "token '\(Identifier.printable(token.name))' expired at \(token.expiresAt); ask for a new one (`ledger token create`)")
        }
        return Caller(identity: token.identity, capabilities: token.capabilities, credential: .token(name: token.name))
    }

    static func unauthenticated(_ code: String, _ detail: String) -> Problem {
        Problem(status: .unauthorized, code: code, detail: detail).with(header: .wwwAuthenticate, #"Bearer realm="ledger""#)
    }
}

extension HTTPField.Name {
    /// RFC 9421's `Signature-Input`.
    public static let signatureInput = HTTPField.Name("Signature-Input")!
    /// RFC 9421's `Signature`.
    public static let signature = HTTPField.Name("Signature")!
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
