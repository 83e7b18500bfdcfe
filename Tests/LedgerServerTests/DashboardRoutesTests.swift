import Foundation
import Testing
import TestSupport

/// The dashboard pages over HTTP: who may read them, how a browser's token becomes a
/// cookie, and what the pages may load (nothing: a strict Content-Security-Policy).
@Suite("dashboards: authentication, cookie, content security policy")
struct DashboardRoutesTests {
    @Test func pagesNeedCredentialsAndTurnAQueryTokenIntoAnHttpOnlyCookie() throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        for path in ["/dashboards", "/dashboards/exec", "/dashboards/oncall", "/dashboards/debug"] {
            #expect(try server.request("GET", path).status == 401, "\(path) without credentials")
            let page = try server.request("GET", path, as: "reader")
            #expect(page.status == 200, "\(path): \(page.text.prefix(300))")
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            let policy = try #require(page.header("Content-Security-Policy"))
            #expect(policy.hasPrefix("default-src 'none'; style-src 'nonce-"))
            // Every style element carries the nonce; nothing is loaded from anywhere.
            let nonce = String(policy.split(separator: "'")[3].dropFirst("nonce-".count))
            #expect(page.text.contains("<style nonce=\"\(nonce)\">"))
            #expect(!page.text.contains("<script") && !page.text.contains(" src=") && !page.text.contains("style=\""))
            #expect(page.text.contains("<meta http-equiv=\"refresh\" content=\"30\">"))
        }
        let secret = server.token("reader")
        let redirect = try server.request("GET", "/dashboards/oncall?token=\(secret)")
        #expect(redirect.status == 303)
        #expect(redirect.header("Location") == "/dashboards/oncall")
        let cookie = try #require(redirect.header("Set-Cookie"))
        #expect(cookie.hasPrefix("ledger_dashboard=\(secret);") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/dashboards"))
        #expect(try server.request("GET", "/dashboards/oncall", headers: [("Cookie", "theme=dark; ledger_dashboard=\(secret)")]).status == 200)
        // The cookie is good for the dashboards only, never for the API (no cross-site writes).
        #expect(try server.request("GET", "/v1/requests", headers: [("Cookie", "ledger_dashboard=\(secret)")]).status == 401)
        #expect(try server.request("GET", "/dashboards/exec?token=lgr_nonsense").status == 401)
        #expect(try server.request("GET", "/dashboards/exec", headers: [("Cookie", "ledger_dashboard=lgr_nonsense")]).status == 401)
        #expect(try server.request("GET", "/dashboards/exec?refresh=1", as: "reader").status == 400)
    }

    @Test func anonymousServersShowThePagesWithoutCredentials() throws {
        let server = try ServerHarness(extraArguments: ["--allow-anonymous"])
        defer { _ = server.stop() }
        #expect(try server.request("GET", "/dashboards/debug").status == 200)
    }
}
