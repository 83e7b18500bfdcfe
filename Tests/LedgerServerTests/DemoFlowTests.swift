import Foundation
import Synchronization
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The whole approval flow through the real `ledger serve` over TCP, with bearer tokens: a CI
/// job opens a production migration, a DBA and an SRE approve from their own tokens, the job
/// waits for the grant and reports its execution; the events are read back paged and as
/// Server-Sent Events, metrics scraped, a checkpoint taken, and `ledger verify` proves the
/// file clean afterwards.
@Suite("the demo flow over HTTP with tokens")
struct DemoFlowTests {
    @Test func openVoteGrantExecuteAndReadBack() throws {
        let server = try ServerHarness()
        var stopped = false
        defer { if !stopped { _ = server.stop() } }

        let opened = try server.request(
            "POST", "/v1/requests", as: "ci",
            json: #"{"id":"req-demo-1","action":"db.migrate","resource":"db/orders","environment":"prod","summary":"add index on orders.created_at","links":["https://git.example/pr/42"]}"#)
        #expect(opened.status == 201, "\(opened)")
        #expect(opened.header("Location") == "/v1/requests/req-demo-1")
        let openedState = try opened.json()
        #expect(openedState["status"] as? String == "pending")
        #expect(openedState["requester"] as? String == "deploy-bot")

        let pending = try server.request("GET", "/v1/requests?status=pending&environment=prod&action=db.*", as: "reader").json()
        #expect((pending["requests"] as? [[String: Any]])?.map { $0["requestId"] as? String } == ["req-demo-1"])

        let shown = try server.request("GET", "/v1/requests/req-demo-1", as: "reader").json()
        let needs = try #require(shown["stillNeeded"] as? [String: Any])
        #expect(needs["missingTotal"] as? Int == 2)
        #expect(Set((needs["groups"] as? [[String: Any]] ?? []).compactMap { $0["group"] as? String }) == ["dba", "sre"])

        #expect(try awaiting(server, "carol") == ["req-demo-1"])
        #expect(try awaiting(server, "ci") == [])

        // The CI job long-polls for the decision while the approvers vote.
        let waited = Mutex<HTTPConnection.Response?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let response = try? server.request("GET", "/v1/requests/req-demo-1/wait?timeout=120s", as: "ci")
            waited.withLock { $0 = response }
            done.signal()
        }

        // The rule wants a reason: refused before anything is recorded for it.
        let bare = try server.request("POST", "/v1/requests/req-demo-1/votes", as: "carol", json: #"{"decision":"approve"}"#)
        #expect(bare.status == 422)
        #expect(try bare.problemCode() == "reason-required")
        let first = try server.request("POST", "/v1/requests/req-demo-1/votes", as: "carol", json: #"{"decision":"approve","reason":"index is online-safe"}"#)
        #expect(first.status == 200, "\(first)")
        #expect(try first.json()["status"] as? String == "pending")
        #expect(try awaiting(server, "carol") == [])
        #expect(try awaiting(server, "bob") == ["req-demo-1"])
        let afterOne = try server.request("GET", "/v1/requests/req-demo-1", as: "reader").json()
        #expect((afterOne["stillNeeded"] as? [String: Any])?["missingTotal"] as? Int == 1)

        let second = try server.request("POST", "/v1/requests/req-demo-1/votes", as: "bob", json: #"{"decision":"approve","reason":"off-peak, rollback ready"}"#)
        #expect(second.status == 200, "\(second)")
        #expect(try second.json()["status"] as? String == "granted")

        done.wait()
        let decided = try #require(waited.withLock { $0 })
        #expect(decided.status == 200)
        #expect(try decided.json()["wait"] as? String == "decided")
        #expect(try decided.json()["status"] as? String == "granted")

        let executed = try server.request("POST", "/v1/requests/req-demo-1/executions", as: "ci", json: #"{"outcome":"succeeded","detail":"migrated in 4s"}"#)
        #expect(executed.status == 200, "\(executed)")
        #expect((try executed.json()["executions"] as? [Any])?.count == 1)
        // One-shot: a second execution is refused (and recorded).
        let again = try server.request("POST", "/v1/requests/req-demo-1/executions", as: "ci", json: #"{"outcome":"succeeded"}"#)
        #expect(again.status == 409)
        #expect(try again.problemCode() == "grant-used")

        // The events, paged as JSON Lines: the votes are carol's and bob's own, relayed.
        let logged = try server.loggedEvents()
        var paged: [[String: Any]] = []
        var next: String? = "/v1/events?from=1&limit=3"
        while let path = next {
            let page = try server.request("GET", path, as: "reader")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "application/jsonl")
            paged += try page.text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            next = page.header("Link").flatMap { link in link.split(separator: ">").first.map { String($0.dropFirst()) } }
        }
        #expect(paged.count == logged.count)
        #expect(paged.map { $0["hash"] as? String } == logged.map { $0["hash"] as? String })
        let votes = paged.filter { ($0["envelope"] as? [String: Any])?["type"] as? String == "vote.cast" }.map { $0["envelope"] as! [String: Any] }
        #expect(votes.map { $0["actor"] as? String } == ["carol", "bob"])
        #expect(votes.map { ($0["origin"] as? [String: Any])?["via"] as? String } == ["token:carol", "token:bob"])

        // Server-Sent Events: the log so far, then an event appended while following.
        let lastSeq = logged.count
        let stream = try HTTPConnection(port: server.port)
        defer { stream.close() }
        try stream.send(Array("GET /v1/events/stream?from=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(server.token("reader"))\r\n\r\n".utf8))
        let backlog = String(decoding: stream.receive { String(decoding: $0, as: UTF8.self).contains("id: \(lastSeq)\n") }, as: UTF8.self)
        #expect(backlog.contains("text/event-stream"))
        #expect(backlog.contains("id: 1\ndata: {\"envelope\":"))
        let note = try server.request("POST", "/v1/events", as: "ci", json: #"{"type":"deploy.note","stream":"svc-orders","payload":{"text":"index live"}}"#)
        #expect(note.status == 201, "\(note)")
        let live = String(decoding: stream.receive { String(decoding: $0, as: UTF8.self).contains("index live") }, as: UTF8.self)
        #expect(live.contains("id: \(lastSeq + 1)\n"))
        // A reconnecting client resumes after Last-Event-ID.
        let resumed = try HTTPConnection(port: server.port)
        defer { resumed.close() }
        try resumed.send(Array("GET /v1/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(server.token("reader"))\r\nLast-Event-ID: \(lastSeq)\r\n\r\n".utf8))
        let tail = String(decoding: resumed.receive { String(decoding: $0, as: UTF8.self).contains("index live") }, as: UTF8.self)
        #expect(tail.contains("id: \(lastSeq + 1)\n"))
        #expect(!tail.contains("id: \(lastSeq)\n"))

        // A raw batch, all or nothing.
        let batch = try server.request(
            "POST", "/v1/events", as: "ci",
            json: #"{"events":[{"type":"deploy.note","stream":"svc-a","payload":{"n":1}},{"type":"deploy.note","stream":"svc-a","payload":{"n":2},"expectedVersion":1}]}"#)
        #expect(batch.status == 201, "\(batch)")
        #expect((try batch.json()["events"] as? [Any])?.count == 2)

        let metrics = try server.request("GET", "/metrics", as: "reader")
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.text.contains("ledger_approval_latency_seconds"))
        #expect(metrics.text.contains(#"ledger_http_responses_total{method="POST",route="/v1/requests/{id}/votes",status="200"} 2"#))
        #expect(metrics.text.contains(#"ledger_http_problems_total{code="grant-used"} 1"#))

        let checkpoint = try server.request("POST", "/v1/checkpoints", as: "reader")
        #expect(checkpoint.status == 201, "\(checkpoint)")
        let anchor = server.directory.file("ops.checkpoint")
        try Data(checkpoint.body).write(to: URL(fileURLWithPath: anchor))
        #expect(try checkpoint.json()["size"] as? Int == lastSeq + 3)

        #expect(try server.request("GET", "/readyz").status == 200)
        #expect(try server.request("GET", "/openapi.yaml").text.hasPrefix("openapi: 3.1.0"))

        stream.close()
        resumed.close()
        #expect(server.stop() == .exited(0))
        stopped = true
        let verify = try server.ledger(["--ledger", server.ledgerPath, "verify", "--anchor", anchor])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test func theSweeperExpiresARequestAtItsDeadline() throws {
        let server = try ServerHarness()
        defer { _ = server.stop() }
        let opened = try server.request(
            "POST", "/v1/requests", as: "bob", json: #"{"id":"req-quick","action":"quick.restart","resource":"svc/a","environment":"dev","summary":"restart"}"#)
        #expect(opened.status == 201, "\(opened)")
        // The wait returns at the deadline, not at its timeout.
        let waited = try server.request("GET", "/v1/requests/req-quick/wait?timeout=250s", as: "reader")
        #expect(waited.status == 200)
        let outcome = try waited.json()
        #expect(["decided", "deadline-passed"].contains(outcome["wait"] as? String))
        // Without any `ledger tick`, the server's clock records the expiry.
        var status = outcome["status"] as? String
        while status == "pending" {
            usleep(100_000)
            status = try server.request("GET", "/v1/requests/req-quick", as: "reader").json()["status"] as? String
        }
        #expect(status == "expired")
        let expiry = try server.loggedEvents().first { ($0["envelope"] as? [String: Any])?["type"] as? String == "request.expired" }
        #expect((expiry?["envelope"] as? [String: Any])?["actor"] as? String == "ledger-server")
        #expect(try server.request("GET", "/metrics", as: "reader").text.contains("ledger_sweeper_events_total 1"))
    }

    func awaiting(_ server: ServerHarness, _ token: String) throws -> [String] {
        let list = try server.request("GET", "/v1/requests?awaiting=me", as: token).json()
        return (list["requests"] as? [[String: Any]] ?? []).compactMap { $0["requestId"] as? String }
    }
}
