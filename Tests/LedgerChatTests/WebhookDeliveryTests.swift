import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `ledger serve --webhooks` end to end: the built binary, a ledger file appended to by other
/// processes, and a Python receiver that verifies every delivery with PyPI's
/// `standardwebhooks` (Tools/install-test-deps.sh installs it).
@Suite("Webhook delivery with ledger serve", .serialized)
struct WebhookDeliveryTests {
    @Test("Deliveries verify, arrive in seq order, and each subscription gets only what it filters")
    func verifiedInOrder() async throws {
        let harness = try WebhookHarness()
        let receiver = WebhookReceiver(secretPath: harness.secretPath, recordPath: harness.directory.file("received.jsonl"))
        try receiver.start()
        defer { receiver.stop() }
        try harness.writeWebhooks("""
              - name: everything
                url: http://127.0.0.1:\(receiver.port)/everything
                secret_file: hooks.whsec
                events: ["*"]
                from: start
                retry: {base: 100ms, cap: 1s, max_failures: 100000}
              - name: svc-a-deploys
                url: http://127.0.0.1:\(receiver.port)/deploys
                secret_file: hooks.whsec
                events: [deploy.*]
                streams: [svc-a]
                retry: {base: 100ms, cap: 1s, max_failures: 100000}
            """)
        let before = try harness.append(2, stream: "svc-a")
        try harness.startServer()
        defer { harness.stopServer() }
        var expectedA: [Int64] = []
        for round in 0..<4 {
            expectedA += try harness.append(2, stream: "svc-a")
            _ = try harness.append(1, type: round % 2 == 0 ? "deploy.note" : "audit.note", stream: "svc-b")
        }
        let head = expectedA.max()! + 1
        try await eventually("every event delivered to both") {
            try receiver.delivered(to: "/everything").count == Int(head) && receiver.delivered(to: "/deploys").count == expectedA.count
        }
        let records = try receiver.records()
        #expect(records.allSatisfy { $0["verified"] as? Bool == true }, "a delivery did not verify: \(records.filter { $0["verified"] as? Bool != true })")
        // From seq 1 for `from: start`, gapless and in order.
        #expect(try receiver.delivered(to: "/everything").map(\.seq) == Array(1...head))
        // Only svc-a's deploy events, from the head when the subscription began.
        #expect(try receiver.delivered(to: "/deploys").map(\.seq) == expectedA)
        #expect(!(try receiver.delivered(to: "/deploys").map(\.seq)).contains { before.contains($0) })
        // Each body carries the event as the ledger holds it: its hash, twice (flattened and in
        // the JSON Lines object), equal to the log's.
        let logged = try harness.ledger(["--ledger", harness.ledgerPath, "log", "--format", "json"]).stdout.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let hashes = Dictionary(uniqueKeysWithValues: logged.map { ($0["seq"] as! Int, $0["hash"] as! String) })
        for record in records where record["path"] as? String == "/everything" {
            let seq = record["seq"] as! Int
            #expect(record["hash"] as? String == hashes[seq] && record["eventHash"] as? String == hashes[seq], "seq \(seq)")
        }
        let types = Set(try receiver.delivered(to: "/everything").map(\.type))
        #expect(types.isSuperset(of: ["ledger.genesis", "deploy.note", "audit.note"]), "\(types)")
        // The receiver may record the last delivery before the server stores its cursor.
        try await eventually("the cursor at the head") { try await harness.webhook("svc-a-deploys")["cursor"] as? Int == Int(head) }
        let status = try await harness.webhook("svc-a-deploys")
        #expect(status["state"] as? String == "active")
        #expect(status["cursor"] as? Int == Int(head))
        #expect(status["pending"] as? Int == 0)
        #expect(status["delivered"] as? Int == expectedA.count)
        #expect(status["url"] as? String == "http://127.0.0.1:\(receiver.port)/deploys")
        #expect(status["streams"] as? [String] == ["svc-a"])
        // Listing needs credentials; any credential reads it.
        #expect(try await harness.call(.GET, "/v1/webhooks", as: nil).status == 401)
        #expect(try await harness.call(.GET, "/v1/webhooks", as: "reader").status == 200)
    }

    @Test("A receiver that is down, across a SIGTERM restart and a kill -9, still gets every event in order")
    func downThenUpAcrossRestarts() async throws {
        let harness = try WebhookHarness()
        let receiver = WebhookReceiver(secretPath: harness.secretPath, recordPath: harness.directory.file("received.jsonl"))
        try receiver.start()
        receiver.stop()  // its port is known and refuses connections: the receiver is down
        try harness.writeWebhooks("""
              - name: ops
                url: http://127.0.0.1:\(receiver.port)/ops
                secret_file: hooks.whsec
                events: [deploy.*]
                retry: {base: 100ms, cap: 400ms, max_failures: 100000}
            """)
        try harness.startServer()
        var expected = try harness.append(5)
        try await eventually("the first event retried") {
            let status = try await harness.webhook("ops")
            return status["state"] as? String == "retrying" && (status["failures"] as? Int ?? 0) >= 2
        }
        #expect(try await harness.webhook("ops")["pending"] as? Int == 5)
        #expect(harness.stopServer(SIGTERM) == .exited(0))
        // Appended while no server runs: the restarted one finds them behind its cursor.
        expected += try harness.append(5)
        try harness.startServer()
        try await eventually("retrying after the restart") { try await harness.webhook("ops")["lastError"] != nil }
        try receiver.start()
        defer { receiver.stop() }
        try await eventually("the backlog delivered") { try receiver.delivered(to: "/ops").count == expected.count }
        #expect(try receiver.delivered(to: "/ops").map(\.seq) == expected)
        // A crash in the middle of a run of deliveries: at least once means a duplicate may
        // come, never a gap.
        let burst = try harness.append(20)
        expected += burst
        try await eventually("the burst begun") { try receiver.delivered(to: "/ops").contains { $0.seq == burst[0] } }
        harness.stopServer(SIGKILL)
        try harness.startServer()
        defer { harness.stopServer() }
        try await eventually("the burst delivered") { try receiver.delivered(to: "/ops").count == expected.count }
        let delivered = try receiver.delivered(to: "/ops")
        #expect(delivered.map(\.seq) == expected, "deduplicated by webhook-id, every event once and in order")
        #expect(Set(delivered.map(\.id)).count == expected.count)
        let records = try receiver.records()
        #expect(records.allSatisfy { $0["verified"] as? Bool == true })
        // Every arrival, duplicates included, is in seq order: a redelivery only repeats the
        // event the cursor had not passed.
        let arrivals = records.compactMap { $0["seq"] as? Int }
        #expect(zip(arrivals, arrivals.dropFirst()).allSatisfy { $0 <= $1 }, "\(arrivals)")
        try await eventually("the cursor stored") { try await harness.webhook("ops")["pending"] as? Int == 0 }
        #expect(try await harness.webhook("ops")["state"] as? String == "active")
    }

    @Test("A receiver answering 500 is retried with growing waits, then disabled; re-enabling resumes from the cursor")
    func failingThenDisabledThenEnabled() async throws {
        let harness = try WebhookHarness()
        let receiver = WebhookReceiver(secretPath: harness.secretPath, recordPath: harness.directory.file("received.jsonl"))
        try receiver.start(status: 500)
        defer { receiver.stop() }
        try harness.writeWebhooks("""
              - name: flaky
                url: http://127.0.0.1:\(receiver.port)/flaky
                secret_file: hooks.whsec
                events: [deploy.*]
                retry: {base: 200ms, cap: 10s, max_failures: 5}
            """)
        try harness.startServer()
        defer { harness.stopServer() }
        let first = try harness.append(1)[0]
        try await eventually("disabled") { try await harness.webhook("flaky")["state"] as? String == "disabled" }
        let disabled = try await harness.webhook("flaky")
        #expect(disabled["failures"] as? Int == 5)
        #expect(disabled["lastStatus"] as? Int == 500)
        #expect(disabled["lastError"] as? String == "HTTP 500")
        #expect(disabled["disabledAt"] is String)
        #expect(disabled["cursor"] as? Int == Int(first - 1))
        #expect(disabled["pending"] as? Int == 1)
        // Five attempts at the same event, with the same id; each wait at least half its
        // ceiling (200 ms doubling), so they grow: a lower bound, which a slow machine only
        // makes longer.
        let attempts = try receiver.records()
        #expect(attempts.count == 5)
        #expect(attempts.allSatisfy { $0["verified"] as? Bool == true && $0["seq"] as? Int == Int(first) })
        #expect(Set(attempts.map { $0["id"] as! String }).count == 1)
        let times = attempts.map { $0["at"] as! Double }
        for (index, gap) in zip(times, times.dropFirst()).map({ $1 - $0 }).enumerated() {
            #expect(gap >= 0.1 * pow(2, Double(index)) - 0.01, "wait \(index + 1) was \(gap) s")
        }
        #expect(harness.serverLog.contains("webhook flaky: disabled after 5 consecutive failures"))
        let metrics = try await harness.metrics()
        for sample in [
            #"ledger_webhook_disabled{subscription="flaky"} 1"#, #"ledger_webhook_pending_events{subscription="flaky"} 1"#,
            #"ledger_webhook_consecutive_failures{subscription="flaky"} 5"#, #"ledger_webhook_deliveries_total{subscription="flaky"} 0"#,
        ] {
            #expect(metrics.contains(sample + "\n"), "\(sample) not in /metrics")
        }
        // `ledger webhook status` reads the same state from the file.
        let cli = try harness.ledger(["webhook", "status", "--ledger", harness.ledgerPath, "--webhooks", harness.webhooksPath, "--format", "json"])
        #expect(cli.status == 0, "\(cli.stderr)")
        let listed = try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any]
        let row = try #require((listed?["webhooks"] as? [[String: Any]])?.first)
        #expect(row["state"] as? String == "disabled")
        #expect(row["failures"] as? Int == 5)
        #expect(row["pending"] as? Int == 1)
        let text = try harness.ledger(["webhook", "status", "--ledger", harness.ledgerPath])
        #expect(text.stdout.contains("flaky") && text.stdout.contains("disabled") && text.stdout.contains("HTTP 500"), "\(text.stdout)")
        // More events while disabled wait behind the cursor.
        let later = try harness.append(2)
        // Re-enabling needs `append`.
        #expect(try await harness.call(.POST, "/v1/webhooks/flaky/enable", as: nil).status == 401)
        #expect(try await harness.call(.POST, "/v1/webhooks/flaky/enable", as: "reader").status == 403)
        #expect(try await harness.call(.POST, "/v1/webhooks/nobody/enable", as: "ops").status == 404)
        receiver.stop()
        try receiver.start(status: 200)
        let (status, enabled) = try await harness.call(.POST, "/v1/webhooks/flaky/enable", as: "ops")
        #expect(status == 200)
        #expect(enabled["state"] as? String == "active")
        #expect(enabled["cursor"] as? Int == Int(first - 1))
        try await eventually("the backlog delivered after enabling") { try receiver.delivered(to: "/flaky").count == 3 }
        #expect(try receiver.delivered(to: "/flaky").map(\.seq) == [first] + later)
        try await eventually("the cursor stored") { try await harness.webhook("flaky")["pending"] as? Int == 0 }
        let after = try await harness.webhook("flaky")
        #expect(after["state"] as? String == "active")
        #expect(after["failures"] as? Int == 0)
        #expect(after["delivered"] as? Int == 3)
        #expect(try await harness.metrics().contains(#"ledger_webhook_deliveries_total{subscription="flaky"} 3"# + "\n"))
    }

    @Test("ledger webhook enable on the file resumes a running server's delivery")
    func enableFromTheCommandLine() async throws {
        let harness = try WebhookHarness()
        let receiver = WebhookReceiver(secretPath: harness.secretPath, recordPath: harness.directory.file("received.jsonl"))
        try receiver.start(status: 503)
        defer { receiver.stop() }
        try harness.writeWebhooks("""
              - name: once
                url: http://127.0.0.1:\(receiver.port)/once
                secret_file: hooks.whsec
                events: [deploy.*]
                retry: {max_failures: 1}
            """)
        try harness.startServer()
        defer { harness.stopServer() }
        let seqs = try harness.append(3)
        try await eventually("disabled") { try await harness.webhook("once")["state"] as? String == "disabled" }
        receiver.stop()
        try receiver.start(status: 200)
        let enabled = try harness.ledger(["webhook", "enable", "once", "--ledger", harness.ledgerPath])
        #expect(enabled.status == 0, "\(enabled.stderr)")
        #expect(enabled.stdout.contains("re-enabled webhook once"))
        try await eventually("delivered after enabling") { try receiver.delivered(to: "/once").count == 3 }
        #expect(try receiver.delivered(to: "/once").map(\.seq) == seqs)
        let unknown = try harness.ledger(["webhook", "enable", "nobody", "--ledger", harness.ledgerPath])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("not-found"))
    }

    @Test("ledger serve refuses a webhooks file with an inline secret, and a secret file others can read")
    func refusedFiles() throws {
        let harness = try WebhookHarness()
        try harness.writeWebhooks("""
              - name: inline
                url: http://127.0.0.1:9/x
                secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
                events: ["*"]
            """)
        let serve = ["serve", "--ledger", harness.ledgerPath, "--key", harness.directory.file("server.pem"), "--listen", "127.0.0.1:0", "--webhooks", harness.webhooksPath]
        let inline = try ProcessRunner.run(harness.binary, serve, currentDirectory: harness.directory.path)
        #expect(inline.status == 2)
        #expect(inline.stderr.contains("webhook-secret-inline"), "\(inline.stderr)")
        try harness.writeWebhooks("""
              - name: open
                url: http://127.0.0.1:9/x
                secret_file: hooks.whsec
                events: ["*"]
            """)
        chmod(harness.secretPath, 0o644)
        let open = try ProcessRunner.run(harness.binary, serve, currentDirectory: harness.directory.path)
        #expect(open.status == 2)
        #expect(open.stderr.contains("chmod 600"), "\(open.stderr)")
    }
}
