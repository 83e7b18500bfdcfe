import Foundation
import Synchronization
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Every bad input and fault the server must survive, through the real `ledger serve` over
/// TCP: each is answered with problem details carrying its own code, writes nothing, and the
/// server keeps serving.
@Suite("ledger serve refuses bad input with problem details, writes nothing, and keeps serving")
struct ServerFailureTests {
    static let openBody = #"{"action":"db.migrate","resource":"db/orders","environment":"prod","summary":"add index"}"#

    /// Asserts the answer is a problem with `status` and `code`.
    func expectProblem(_ response: HTTPConnection.Response, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == status, "\(response)", sourceLocation: sourceLocation)
        #expect(try response.problemCode() == code, sourceLocation: sourceLocation)
    }

    @Test func authenticationFailures() throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let before = try server.loggedEvents().count
        try expectProblem(try server.request("GET", "/v1/requests"), 401, "authentication-required")
        #expect(try server.request("GET", "/v1/requests").header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        try expectProblem(try server.request("GET", "/v1/requests", headers: [("Authorization", "Basic YTpi")]), 401, "authentication-invalid")
        try expectProblem(
            try server.request("GET", "/v1/requests", headers: [("Authorization", "Bearer lgr_" + String(repeating: "0", count: 64))]), 401, "token-unknown")
        try expectProblem(try server.request("GET", "/v1/requests", headers: [("Authorization", "Bearer nonsense")]), 401, "token-unknown")
        // Signed requests go to the message-signature check, which refuses a malformed one.
        try expectProblem(
            try server.request("GET", "/v1/requests", headers: [("Signature-Input", #"sig1=("@method");keyid="x""#), ("Signature", "sig1=:AAAA:")]),
            401, "signature-invalid")
        // A revoked token stops working at once, while the server runs.
        #expect(try server.request("POST", "/v1/requests", as: "doomed", json: Self.openBody).status == 201)
        #expect(try server.ledger(["token", "revoke", "doomed", "--ledger", server.ledgerPath]).status == 0)
        try expectProblem(try server.request("POST", "/v1/requests", as: "doomed", json: Self.openBody), 401, "token-revoked")
        // A token past its expiry: created for one second, then refused once that second passed.
        let created = try server.ledger(["token", "create", "--ledger", server.ledgerPath, "--name", "brief", "--identity", "deploy-bot", "--expires-in", "1s"])
        let brief = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var answer = try HTTPConnection.request(port: server.port, "GET", "/v1/requests", token: brief)
        while answer.status == 200 {
            usleep(200_000)
            answer = try HTTPConnection.request(port: server.port, "GET", "/v1/requests", token: brief)
        }
        try expectProblem(answer, 401, "token-expired")
        // Only the one request opened before the revocation was written.
        #expect(try server.loggedEvents().count == before + 1)
        #expect(try server.request("GET", "/healthz").status == 200)
    }

    @Test func capabilitiesAreEnforcedPerRoute() throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let before = try server.loggedEvents().count
        try expectProblem(try server.request("POST", "/v1/requests", as: "reader", json: Self.openBody), 403, "capability-missing")
        try expectProblem(try server.request("POST", "/v1/requests", as: "carol", json: Self.openBody), 403, "capability-missing")
        try expectProblem(
            try server.request("POST", "/v1/events", as: "carol", json: #"{"type":"deploy.note","stream":"svc","payload":{}}"#), 403, "capability-missing")
        try expectProblem(
            try server.request("POST", "/v1/requests/req-x/votes", as: "ci", json: #"{"decision":"approve","reason":"ok"}"#), 403, "capability-missing")
        try expectProblem(try server.request("POST", "/v1/requests/req-x/executions", as: "carol", json: #"{"outcome":"succeeded"}"#), 403, "capability-missing")
        // Reading needs no capability.
        #expect(try server.request("GET", "/v1/requests", as: "reader").status == 200)
        #expect(try server.loggedEvents().count == before)
    }

    @Test func malformedBodies() throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let before = try server.loggedEvents().count
        try expectProblem(try server.request("POST", "/v1/requests", as: "ci", json: Self.openBody, contentType: "text/plain"), 415, "unsupported-media-type")
        try expectProblem(try server.request("POST", "/v1/requests", as: "ci", json: #"{"action":"#), 400, "unexpected-end")
        try expectProblem(
            try server.request("POST", "/v1/requests", as: "ci", json: #"{"action":"a","action":"b","resource":"r","environment":"prod","summary":"s"}"#),
            400, "duplicate-key")
        try expectProblem(
            try server.request("POST", "/v1/requests", as: "ci", json: #"{"action":"a","resource":"r","environment":"prod","summary":"s","admin":true}"#),
            400, "unknown-field")
        try expectProblem(try server.request("POST", "/v1/requests", as: "ci", json: #"{"action":"a"}"#), 400, "missing-field")
        try expectProblem(try server.request("POST", "/v1/requests", as: "ci", json: "[1]"), 400, "invalid-field")
        try expectProblem(try server.request("POST", "/v1/requests", as: "ci", json: "{} trailing"), 400, "trailing-data")
        try expectProblem(try server.request("POST", "/v1/requests", as: "ci", body: [0x7B, 0x22, 0xFF, 0x22, 0x7D]), 400, "invalid-utf8")
        // Over the body limit, declared or not.
        let large = Array(#"{"action":""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: (1 << 20) + 10) + Array(#""}"#.utf8)
        try expectProblem(try server.request("POST", "/v1/requests", as: "ci", body: large), 413, "body-too-large")
        try expectProblem(try server.request("GET", "/v1/requests?colour=red", as: "ci"), 400, "unknown-parameter")
        try expectProblem(try server.request("GET", "/v1/requests?status=sleeping", as: "ci"), 400, "invalid-parameter")
        try expectProblem(try server.request("GET", "/v1/events?limit=0", as: "ci"), 400, "invalid-parameter")
        try expectProblem(try server.request("GET", "/v1/requests/req-missing", as: "ci"), 404, "not-found")
        try expectProblem(try server.request("POST", "/v1/requests/req-missing/comments", as: "ci", json: #"{"text":"hi"}"#), 404, "not-found")
        try expectProblem(try server.request("GET", "/v1/nowhere", as: "ci"), 404, "route-not-found")
        // A workflow event type through the raw append: refused as `ledger append` refuses it.
        let raw = try server.request("POST", "/v1/events", as: "ci", json: #"{"type":"request.granted","stream":"req-1","payload":{}}"#)
        #expect(raw.status == 400, "\(raw)")
        #expect(try server.loggedEvents().count == before)
        #expect(try server.request("GET", "/readyz").status == 200)
    }

    @Test func staleVersionsAndRefusalsAreConflicts() throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let opened = try server.request("POST", "/v1/requests", as: "ci", json: Self.openBody)
        #expect(opened.status == 201)
        let id = try opened.json()["requestId"] as! String
        try expectProblem(
            try server.request("POST", "/v1/requests/\(id)/votes", as: "carol", json: #"{"decision":"approve","reason":"ok","requestVersion":99}"#),
            409, "stale-version")
        try expectProblem(try server.request("POST", "/v1/requests/\(id)/executions", as: "ci", json: #"{"outcome":"succeeded"}"#), 409, "no-grant")
        try expectProblem(
            try server.request("POST", "/v1/events", as: "ci", json: #"{"type":"deploy.note","stream":"svc-a","payload":{},"expectedVersion":3}"#),
            409, "version-conflict")
        let state = try server.request("GET", "/v1/requests/\(id)", as: "ci").json()
        #expect(state["status"] as? String == "pending")
    }

    @Test("Approval spam: an identical pending request is answered 200 with the first one; past --max-opens-per-minute a requester gets 429 with Retry-After, another requester does not")
    func duplicateRequestsAndOpenRateLimit() throws {
        let server = try ServerHarness(extraArguments: ["--max-opens-per-minute", "3"])
        defer { _ = server.stop() }
        let first = try server.request("POST", "/v1/requests", as: "ci", json: Self.openBody)
        #expect(first.status == 201)
        let id = try first.json()["requestId"] as! String
        let again = try server.request("POST", "/v1/requests", as: "ci", json: Self.openBody)
        #expect(again.status == 200, "\(again)")
        #expect(try again.json()["requestId"] as? String == id)
        #expect(again.header("Location") == "/v1/requests/\(id)")
        let before = try server.loggedEvents().count
        #expect(try server.request("POST", "/v1/requests", as: "ci", json: #"{"action":"deploy","resource":"svc/a","environment":"dev","summary":"one more"}"#).status == 201)
        let limited = try server.request("POST", "/v1/requests", as: "ci", json: #"{"action":"deploy","resource":"svc/b","environment":"dev","summary":"and more"}"#)
        try expectProblem(limited, 429, "rate-limited")
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(try server.loggedEvents().count == before + 1)
        #expect(try server.request("POST", "/v1/requests", as: "bob", json: #"{"action":"deploy","resource":"svc/c","environment":"dev","summary":"bob's"}"#).status == 201)
    }

    @Test func slowClientIsCutOffAndOthersAreServed() throws {
        let server = try ServerHarness(extraArguments: ["--read-timeout", "1"])
        defer { _ = server.stop() }
        let slow = try HTTPConnection(port: server.port)
        defer { slow.close() }
        try slow.send(Array(
            "POST /v1/requests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(server.token("ci"))\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"act"
                .utf8))
        // While it trickles, the server answers others.
        #expect(try server.request("GET", "/healthz").status == 200)
        let answer = try HTTPConnection.parse(slow.receiveAll())
        try expectProblem(answer, 408, "read-timeout")
        #expect(try server.request("GET", "/v1/requests", as: "ci").status == 200)
    }

    @Test func fullWriteQueueAnswers503WithRetryAfter() throws {
        let server = try ServerHarness(extraArguments: ["--max-in-flight-writes", "1"])
        defer { _ = server.stop() }
        let before = try server.loggedEvents().count
        // Another writer holds SQLite's write lock, so the first write waits inside its slot.
        let lock = try WriteLockHolder(path: server.ledgerPath)
        let first = Mutex<HTTPConnection.Response?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let response = try? server.request("POST", "/v1/requests", as: "ci", json: Self.openBody)
            first.withLock { $0 = response }
            done.signal()
        }
        while try !server.request("GET", "/metrics", as: "reader").text.contains("ledger_http_writes_in_flight 1") { usleep(50_000) }
        let refused = try server.request("POST", "/v1/requests", as: "ci", json: Self.openBody)
        try expectProblem(refused, 503, "server-busy")
        #expect(refused.header("Retry-After") == "1")
        lock.release()
        done.wait()
        #expect(first.withLock { $0 }?.status == 201)
        #expect(try server.loggedEvents().count == before + 1)
    }

    @Test func anonymousMayOnlyRead() throws {
        let server = try ServerHarness(extraArguments: ["--allow-anonymous"])
        defer { _ = server.stop() }
        #expect(try server.request("GET", "/v1/requests").status == 200)
        #expect(try server.request("GET", "/v1/events").status == 200)
        try expectProblem(try server.request("POST", "/v1/requests", json: Self.openBody), 401, "authentication-required")
        try expectProblem(try server.request("POST", "/v1/checkpoints"), 401, "authentication-required")
    }

    @Test func sigtermDrainsAnInFlightWaitAndExitsZero() throws {
        let server = try ServerHarness()
        let opened = try server.request("POST", "/v1/requests", as: "ci", json: Self.openBody)
        let id = try opened.json()["requestId"] as! String
        let waited = Mutex<HTTPConnection.Response?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let response = try? server.request("GET", "/v1/requests/\(id)/wait?timeout=300s", as: "ci")
            waited.withLock { $0 = response }
            done.signal()
        }
        // The wait and this metrics request: two in flight.
        while try !server.request("GET", "/metrics", as: "reader").text.contains("ledger_http_requests_in_flight 2") { usleep(50_000) }
        #expect(server.stop() == .exited(0))
        done.wait()
        let answer = try #require(waited.withLock { $0 })
        #expect(answer.status == 200)
        #expect(try answer.json()["wait"] as? String == "timed-out")
    }

    @Test func plaintextBeyondLoopbackIsRefused() throws {
        let directory = try TemporaryDirectory()
        let result = try ProcessRunner.run(
            TestPaths.ledgerBinary.path, ["serve", "--ledger", directory.file("x.ledger"), "--key", directory.file("k.pem"), "--listen", "0.0.0.0:8480"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("TLS-terminating reverse proxy"))
        #expect(result.stderr.contains("--insecure-listen"))
    }
}
