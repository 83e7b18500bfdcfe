import ApprovalLedger
import HTTPTypes
import Hummingbird

/// The dashboards: `/dashboards` (an index) and the executive, on-call and debug pages, HTML
/// with inline SVG read from the projections at each load (docs/DASHBOARDS.md). They read
/// like `GET /v1/requests`: any credential, or none with `--allow-anonymous`. A browser sends
/// no header on a page load, so `?token=lgr_…` is also taken here: the answer is a redirect to
/// the same page without it that sets the token as an HttpOnly, SameSite=Strict cookie for
/// `/dashboards` only (`AuthenticationMiddleware.dashboardCredential`).
struct DashboardRoutes: Sendable {
    let environment: ServerEnvironment

    /// How long the cookie a `?token=` load sets lasts (the token's own expiry still binds).
    static let cookieSeconds = 12 * 3600

    func register(_ routes: inout RouteTable) {
        routes.add(.get, "/dashboards", index)
        routes.add(.get, "/dashboards/exec", exec)
        routes.add(.get, "/dashboards/oncall", oncall)
        routes.add(.get, "/dashboards/debug", debug)
    }

    @Sendable func index(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await answer(request) {
            let snapshot = try await DashboardSnapshot.read(environment)
            var page = DashboardPage(
                path: "/dashboards", title: "Dashboards",
                lede: "Three views of the same ledger, each recomputed from its projections at every load. Grafana versions over /metrics are in Tools/grafana/.",
                now: snapshot.now)
            let metrics = snapshot.metrics, figures = snapshot.figures
            let cards: [(String, String, String, String)] = [
                ("/dashboards/exec", "Executive", "Approval rate, latency by environment week by week, failures and rollbacks after approval, break-glass.",
                 "approval rate \(DashboardPage.percent(metrics.approvalRate)) · p90 \(DashboardPage.duration(metrics.approvalLatency.p90Ms)) · \(figures.breakGlass.openReviews) open reviews"),
                ("/dashboards/oncall", "On-call", "Pending requests with the time left to each deadline, stalled requests, escalations, what awaits each group.",
                 "\(figures.pending.count) pending · \(figures.pending.filter(\.isStalled).count) stalled · \(figures.escalatedRecently.count) escalated lately"),
                ("/dashboards/debug", "Debug", "Rejected attempts by reason and identity, approver load, votes by channel, recent events and their verification.",
                 "\(metrics.rejectedAttemptsTotal) rejected attempts · \(metrics.approvers.count) approvers"),
            ]
            page.body = "<div class=\"cards\">" + cards.map { path, title, text, figures in
                #"<a href="\#(path)"><section><h2>\#(title)</h2><p>\#(HTML.escape(text))</p><div>\#(HTML.escape(figures))</div></section></a>"#
            }.joined() + "</div>"
            return page
        }
    }

    @Sendable func exec(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await answer(request) { ExecDashboard.page(try await DashboardSnapshot.read(environment)) }
    }

    @Sendable func oncall(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await answer(request) { OnCallDashboard.page(try await DashboardSnapshot.read(environment)) }
    }

    @Sendable func debug(_ request: Request, _ context: ServerContext) async throws -> Response {
        try await answer(request) {
            let verified = try await environment.verification.result(environment.ledger)
            let snapshot = try await DashboardSnapshot.read(environment)
            let size = try await environment.ledger.head().size
            let from = max(1, size - Int64(DebugDashboard.recentEvents) + 1)
            let events = try await environment.ledger.events(from: from, limit: DebugDashboard.recentEvents)
            return DebugDashboard.page(snapshot, events: events, verified: verified)
        }
    }

    /// The page `make` builds, or, for a load with `?token=` (already proved by the
    /// middleware), a 303 to the page without it that sets the cookie.
    private func answer(_ request: Request, _ make: () async throws -> DashboardPage) async throws -> Response {
        let query = try QueryParameters(request, allowed: ["token"])
        if let token = query.string("token") {
            var headers = HTTPFields()
            headers[.location] = request.uri.path
            headers[.setCookie] = "\(AuthenticationMiddleware<ServerContext>.dashboardCookie)=\(token); Path=/dashboards; Max-Age=\(Self.cookieSeconds); HttpOnly; SameSite=Strict"
            headers[.cacheControl] = "no-store"
            headers[.referrerPolicy] = "no-referrer"
            headers[.contentLength] = "0"
            return Response(status: .seeOther, headers: headers)
        }
        let nonce = DashboardPage.nonce()
        let html = try await make().document(nonce: nonce)
        var response = JSONResponse.bytesResponse(Array(html.utf8), contentType: "text/html; charset=utf-8")
        response.headers[.contentSecurityPolicy] = DashboardPage.contentSecurityPolicy(nonce: nonce)
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
