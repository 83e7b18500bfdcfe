import Foundation
import Testing
import TestSupport

/// The Slack app on the real `ledger serve --slack`, over TCP, against the Web API stand-in
/// (which parses every Block Kit payload with slack_sdk), with requests signed by slack_sdk's
/// own signature code, as Slack signs them.
@Suite("the Slack gateway end to end", .serialized)
struct SlackGatewayTests {
    static let team = "T0TEST"
    static let secret = "8f742231b10e8888abcd99yyyzzz85a5"

    /// A served ledger with the Slack gateway pointed at a fresh stand-in.
    struct Setup {
        let slack: SlackStandIn
        let server: ServerHarness
        /// The `--slack` YAML.
        let configuration: String

        init() throws {
            slack = try SlackStandIn()
            configuration = try slack.writeConfiguration(team: SlackGatewayTests.team, signingSecret: SlackGatewayTests.secret)
            server = try ServerHarness(extraArguments: ["--slack", configuration])
        }

        private init(slack: SlackStandIn, server: ServerHarness, configuration: String) {
            self.slack = slack
            self.server = server
            self.configuration = configuration
        }

        func stop() {
            _ = server.stop()
            slack.stop()
        }

        /// A new `ledger serve --slack` on the same ledger and stand-in, once this server was
        /// stopped. Stop it with `server.stop()`: the stand-in is this setup's.
        func restarted() throws -> Setup {
            let again = try ServerHarness(directory: server.directory, ledgerPath: server.ledgerPath, tokens: server.tokens, extraArguments: ["--slack", configuration])
            return Setup(slack: slack, server: again, configuration: configuration)
        }

        /// Publishes `policy` with the CLI while the server runs, as an admin would.
        func publish(_ policy: String) throws {
            let file = server.directory.file("next-policy.yaml")
            try policy.write(toFile: file, atomically: true, encoding: .utf8)
            let published = try server.ledger(["--ledger", server.ledgerPath, "--key", "root.pem", "policy", "publish", file])
            guard published.status == 0 else { throw HTTPConnection.HTTPFailure(message: "policy publish: \(published.stderr)") }
        }

        /// POSTs `body` to `path` signed as Slack signs, at `timestamp` (now by default).
        func signed(_ path: String, body: String, timestamp: Int? = nil, headers: [(String, String)] = [], signature: String? = nil) throws -> HTTPConnection.Response {
            let bytes = Array(body.utf8)
            let time = String(timestamp ?? Int(Date().timeIntervalSince1970))
            let sig = try signature ?? slack.sign(bytes, timestamp: time)
            return try server.request(
                "POST", path, contentType: "application/x-www-form-urlencoded",
                headers: [("X-Slack-Request-Timestamp", time), ("X-Slack-Signature", sig)] + headers, body: bytes)
        }

        func eventCount() throws -> Int { try server.loggedEvents().count }
    }

    static func form(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    /// A button press on the message `ts` in `channel`, as Slack posts it.
    static func press(user: String, actionID: String, channel: String, ts: String, actionTs: String, responseURL: String, team: String = team) -> String {
        let payload: [String: Any] = [
            "type": "block_actions", "team": ["id": team, "domain": "acme"], "user": ["id": user, "team_id": team],
            "api_app_id": "A0APP", "container": ["type": "message", "message_ts": ts, "channel_id": channel], "channel": ["id": channel],
            "trigger_id": "1337.42.\(actionTs)", "response_url": responseURL,
            "actions": [["type": "button", "action_id": actionID, "block_id": "ledger-vote", "value": actionID, "action_ts": actionTs]],
        ]
        return form([("payload", String(decoding: try! JSONSerialization.data(withJSONObject: payload), as: UTF8.self))])
    }

    /// The server's policy with `rule` (one item of `rules:`, indented as they are) tried before
    /// its catch-all rule.
    static func policy(adding rule: String) -> String {
        ServerHarness.policy.replacingOccurrences(of: "  - name: default\n", with: rule + "\n  - name: default\n")
    }

    /// A `chat.postMessage` of the message that shows `id` (not a reply in a thread).
    static func isPost(of id: String) -> ([String: Any]) -> Bool {
        { $0["method"] as? String == "chat.postMessage" && ($0["body"] as? [String: Any])?["thread_ts"] == nil && $0.bodyText.contains("`\(id)`") }
    }

    /// A `chat.postMessage` in the thread of the message `ts`.
    static func isReply(to ts: String) -> ([String: Any]) -> Bool {
        { $0["method"] as? String == "chat.postMessage" && ($0["body"] as? [String: Any])?["thread_ts"] as? String == ts }
    }

    func open(_ setup: Setup, id: String, action: String, environment: String) throws {
        let opened = try setup.server.request(
            "POST", "/v1/requests", as: "ci",
            json: #"{"id":"\#(id)","action":"\#(action)","resource":"orders-db","environment":"\#(environment)","summary":"migrate \#(id)","links":["https://git.example/acme/pull/42","https://wiki.example/runbooks/orders"]}"#)
        #expect(opened.status == 201, "\(opened)")
    }

    @Test("A new request is posted to its rule's channel as Block Kit slack_sdk accepts, with both buttons")
    func posted() throws {
        let setup = try Setup()
        defer { setup.stop() }
        try open(setup, id: "req-slack-1", action: "db.migrate", environment: "prod")
        let post = try setup.slack.waitForCall("posting req-slack-1") { $0["method"] as? String == "chat.postMessage" && $0.bodyText.contains("req-slack-1") }
        #expect(post["ok"] as? Bool == true, "\(post)")
        #expect(post["token"] as? String == setup.slack.token)
        let body = try #require(post["body"] as? [String: Any])
        #expect(body["channel"] as? String == "C0DBA", "the rule prod-db-migration routes to its channel")
        #expect(post.bodyText.contains("ledger-approve:1:req-slack-1"))
        #expect(post.bodyText.contains("ledger-deny:1:req-slack-1"))
        #expect(post.bodyText.contains("0 of 2: dba pending, sre pending"))
        try open(setup, id: "req-slack-2", action: "web.deploy", environment: "staging")
        let other = try setup.slack.waitForCall("posting req-slack-2") { $0["method"] as? String == "chat.postMessage" && $0.bodyText.contains("req-slack-2") }
        #expect((other["body"] as? [String: Any])?["channel"] as? String == "C0DEFAULT")
        let calls = try setup.slack.calls()
        #expect(calls.allSatisfy { $0["ok"] as? Bool == true }, "a call was refused: \(calls)")
    }

    @Test("A forged, a stale and an unsigned request are 401 and record nothing")
    func forgedAndStale() throws {
        let setup = try Setup()
        defer { setup.stop() }
        try open(setup, id: "req-slack-3", action: "web.deploy", environment: "staging")
        _ = try setup.slack.waitForCall("posting req-slack-3") { $0["method"] as? String == "chat.postMessage" }
        // The stand-in numbers its messages from 1.
        let ts = "1700000000.000001"
        let before = try setup.eventCount()
        let body = Self.press(user: "U0ALICE", actionID: "ledger-approve:1:req-slack-3", channel: "C0DEFAULT", ts: ts, actionTs: "1.1", responseURL: setup.slack.responseURL)
        let forged = try setup.signed("/slack/interactions", body: body, signature: "v0=" + String(repeating: "ab", count: 32))
        #expect(forged.status == 401)
        #expect(try forged.json()["code"] as? String == "slack-signature-invalid")
        let stale = try setup.signed("/slack/interactions", body: body, timestamp: Int(Date().timeIntervalSince1970) - 600)
        #expect(stale.status == 401)
        #expect(try stale.json()["code"] as? String == "slack-signature-stale")
        let unsigned = try setup.server.request("POST", "/slack/interactions", contentType: "application/x-www-form-urlencoded", body: Array(body.utf8))
        #expect(unsigned.status == 401)
        let command = try setup.signed("/slack/commands", body: Self.form([("team_id", Self.team), ("user_id", "U0ALICE"), ("text", "")]), signature: "v0=" + String(repeating: "0", count: 64))
        #expect(command.status == 401)
        #expect(try setup.eventCount() == before, "a refused Slack request appended an event")
        let calls = try setup.slack.calls()
        #expect(!calls.contains { $0["method"] as? String == "response_url" }, "a refused request was answered")
    }

    @Test("/approvals from an unlinked account says how to link; another workspace is refused")
    func slashCommandUnlinked() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let answer = try setup.signed(
            "/slack/commands", body: Self.form([("team_id", Self.team), ("user_id", "U0NOBODY"), ("command", "/approvals"), ("text", ""), ("response_url", setup.slack.responseURL)]))
        #expect(answer.status == 200, "\(answer)")
        let json = try answer.json()
        #expect(json["response_type"] as? String == "ephemeral")
        #expect((json["text"] as? String)?.contains("ledger identity link slack:T0TEST/U0NOBODY") == true, "\(json)")
        let other = try setup.signed("/slack/commands", body: Self.form([("team_id", "T0OTHER"), ("user_id", "U0NOBODY"), ("text", "")]))
        #expect(other.status == 403)
    }

    @Test("A linked user's press records one relayed vote (a retry adds none), grants, updates the message; an unlinked press is a recorded refusal; verify is clean")
    func linkedVoteGrants() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let link = try setup.server.ledger(["--ledger", setup.server.ledgerPath, "--key", "root.pem", "identity", "link", "slack:T0TEST/U0ALICE", "alice"])
        #expect(link.status == 0, "\(link.stderr)")
        try open(setup, id: "req-slack-5", action: "web.deploy", environment: "staging")
        _ = try setup.slack.waitForCall("posting req-slack-5") { $0["method"] as? String == "chat.postMessage" && $0.bodyText.contains("req-slack-5") }
        let ts = "1700000000.000001"
        let mallory = Self.press(user: "U0MALLORY", actionID: "ledger-approve:1:req-slack-5", channel: "C0DEFAULT", ts: ts, actionTs: "5.0", responseURL: setup.slack.responseURL)
        #expect(try setup.signed("/slack/interactions", body: mallory).status == 200)
        let refusal = try setup.slack.waitForCall("the unlinked user's answer") { $0["method"] as? String == "response_url" }
        #expect(refusal.bodyText.contains("not linked"), "\(refusal)")
        let press = Self.press(user: "U0ALICE", actionID: "ledger-approve:1:req-slack-5", channel: "C0DEFAULT", ts: ts, actionTs: "6.0", responseURL: setup.slack.responseURL)
        #expect(try setup.signed("/slack/interactions", body: press).status == 200)
        let waited = try setup.server.request("GET", "/v1/requests/req-slack-5/wait?timeout=60s", as: "ci").json()
        #expect(waited["status"] as? String == "granted", "\(waited)")
        #expect(try setup.signed("/slack/interactions", body: press, headers: [("X-Slack-Retry-Num", "1")]).status == 200)
        _ = try setup.slack.waitForCall("the granted message") { $0["method"] as? String == "chat.update" && $0.bodyText.contains("*Granted* by alice") }
        // The retry's answer arrives after its vote was looked up: two answers to alice, one vote.
        _ = try setup.slack.waitForCall("the retry's answer") { _ in (try? setup.slack.calls().filter { $0["method"] as? String == "response_url" }.count) == 3 }
        let events = try setup.server.loggedEvents().compactMap { $0["envelope"] as? [String: Any] }.filter { ($0["stream"] as? String) == "req-slack-5" }
        let votes = events.filter { $0["type"] as? String == "vote.cast" }
        #expect(votes.count == 1, "\(events)")
        let origin = votes.first?["origin"] as? [String: Any]
        #expect(origin?["via"] as? String == "slack:T0TEST/U0ALICE", "\(votes)")
        #expect(votes.first?["actor"] as? String == "alice")
        #expect(events.filter { $0["type"] as? String == "vote.rejected" }.count == 1)
        let verify = try setup.server.ledger(["--ledger", setup.server.ledgerPath, "verify"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // M1 by channel: the request posted to the chat and decided there counts as slack.
        let metrics = try setup.server.ledger(["--ledger", setup.server.ledgerPath, "metrics", "--format", "json"])
        let latency = (try? JSONSerialization.jsonObject(with: Data(metrics.stdout.utf8)) as? [String: Any])?["approvalLatency"] as? [String: Any]
        let byChannel = latency?["byChannel"] as? [[String: Any]] ?? []
        let slack = byChannel.first { $0["channel"] as? String == "slack" }
        #expect((slack?["count"] as? NSNumber)?.intValue == 1, "\(metrics.stdout)\(metrics.stderr)")
        #expect(slack?["p50Ms"] is NSNumber, "\(byChannel)")
    }

    @Test("Deny opens the reason modal (a view slack_sdk accepts); its submission records the denial with the reason")
    func denyThroughModal() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let link = try setup.server.ledger(["--ledger", setup.server.ledgerPath, "--key", "root.pem", "identity", "link", "slack:T0TEST/U0CAROL", "carol"])
        #expect(link.status == 0, "\(link.stderr)")
        try open(setup, id: "req-slack-6", action: "db.migrate", environment: "prod")
        _ = try setup.slack.waitForCall("posting req-slack-6") { $0["method"] as? String == "chat.postMessage" }
        let press = Self.press(user: "U0CAROL", actionID: "ledger-deny:1:req-slack-6", channel: "C0DBA", ts: "1700000000.000001", actionTs: "7.0", responseURL: setup.slack.responseURL)
        #expect(try setup.signed("/slack/interactions", body: press).status == 200)
        let opened = try setup.slack.waitForCall("views.open") { $0["method"] as? String == "views.open" }
        #expect(opened["ok"] as? Bool == true, "\(opened)")
        var view = try #require((opened["body"] as? [String: Any])?["view"] as? [String: Any])
        view["id"] = "V0MODAL"
        view["state"] = ["values": ["reason": ["reason-input": ["type": "plain_text_input", "value": "not during the sale"]]]]
        let payload: [String: Any] = ["type": "view_submission", "team": ["id": Self.team], "user": ["id": "U0CAROL", "team_id": Self.team], "view": view]
        let body = Self.form([("payload", String(decoding: try JSONSerialization.data(withJSONObject: payload), as: UTF8.self))])
        let submitted = try setup.signed("/slack/interactions", body: body)
        #expect(submitted.status == 200)
        #expect(submitted.body.isEmpty, "an empty 200 closes the modal")
        let waited = try setup.server.request("GET", "/v1/requests/req-slack-6/wait?timeout=60s", as: "ci").json()
        #expect(waited["status"] as? String == "denied", "\(waited)")
        let answer = try setup.slack.waitForCall("the ephemeral answer") { $0["method"] as? String == "chat.postEphemeral" }
        #expect(answer.bodyText.contains("denial"), "\(answer)")
        let vote = try setup.server.loggedEvents().compactMap { $0["envelope"] as? [String: Any] }.first { $0["stream"] as? String == "req-slack-6" && $0["type"] as? String == "vote.cast" }
        #expect(vote?["actor"] as? String == "carol")
    }

    @Test("An escalation updates the message and is announced in its thread, mentioning the escalation groups' linked members as <@U…> and nobody else")
    func escalationMentionsLinkedMembers() throws {
        let setup = try Setup()
        defer { setup.stop() }
        for (account, identity) in [("slack:T0TEST/U0ALICE", "alice"), ("slack:T0TEST/U0CAROL", "carol")] {
            let link = try setup.server.ledger(["--ledger", setup.server.ledgerPath, "--key", "root.pem", "identity", "link", account, identity])
            #expect(link.status == 0, "\(link.stderr)")
        }
        // The shortest escalation a policy takes: the sweeper appends it a second after the open.
        let policy = Self.policy(adding: """
              - name: slow-dba
                match: {action: db.slow}
                require: {groups: {dba: 1}}
                ttl: 1h
                escalation:
                  - {after: 1s, notify: [sre], add_groups: [sre]}
            """)
        try #require(policy != ServerHarness.policy)
        try setup.publish(policy)
        try open(setup, id: "req-slack-7", action: "db.slow", environment: "staging")
        _ = try setup.slack.waitForCall("posting req-slack-7", Self.isPost(of: "req-slack-7"))
        // The stand-in numbers its messages from 1.
        let ts = "1700000000.000001"
        let reply = try setup.slack.waitForCall("the escalation in the thread", Self.isReply(to: ts))
        #expect(reply["ok"] as? Bool == true, "\(reply)")
        let body = try #require(reply["body"] as? [String: Any])
        #expect(body["channel"] as? String == "C0DEFAULT")
        // sre's alice is linked, bob is not; carol is linked but in dba, which the step does not name.
        #expect(body["text"] as? String == ":arrow_double_up: Escalated to sre: <@U0ALICE>", "\(reply)")
        _ = try setup.slack.waitForCall("the message showing the escalation") {
            ["chat.postMessage", "chat.update"].contains($0["method"] as? String) && $0.bodyText.contains("`req-slack-7`")
                && $0.bodyText.contains("escalated 1×; now also sre")
        }
        let calls = try setup.slack.calls()
        #expect(calls.allSatisfy { $0["ok"] as? Bool == true }, "a call was refused: \(calls)")
    }

    @Test("An overdue break-glass review is reminded in the message's thread once, mentioning the linked reviewers, across later passes")
    func overdueReviewRemindedOnce() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let link = try setup.server.ledger(["--ledger", setup.server.ledgerPath, "--key", "root.pem", "identity", "link", "slack:T0TEST/U0ALICE", "alice"])
        #expect(link.status == 0, "\(link.stderr)")
        // The shortest review a policy takes: overdue a second after the bypass.
        let policy = ServerHarness.policy.replacingOccurrences(of: "review_within: 24h", with: "review_within: 1s")
        try #require(policy != ServerHarness.policy)
        try setup.publish(policy)
        let bypassed = try setup.server.request(
            "POST", "/v1/bypass", as: "ci",
            json: #"{"id":"req-slack-8","action":"cache.purge","resource":"cdn","environment":"prod","summary":"purge the poisoned cache","reason":"incident 7"}"#)
        #expect(bypassed.status == 201, "\(bypassed)")
        let post = try setup.slack.waitForCall("posting req-slack-8", Self.isPost(of: "req-slack-8"))
        #expect(post.bodyText.contains("Break-glass bypass"), "\(post)")
        let ts = "1700000000.000001"
        let reminder = try setup.slack.waitForCall("the reminder in the thread", Self.isReply(to: ts))
        let text = try #require((reminder["body"] as? [String: Any])?["text"] as? String)
        #expect(text.hasPrefix(":warning: The break-glass review of `req-slack-8` is overdue: <@U0ALICE>. "), "\(reminder)")
        #expect(text.contains("ledger request review req-slack-8 --outcome accepted|rejected"))
        _ = try setup.slack.waitForCall("the message showing the review overdue") {
            $0["method"] as? String == "chat.update" && ($0["body"] as? [String: Any])?["ts"] as? String == ts && $0.bodyText.contains("Review overdue")
        }
        // Each request below is posted by a later pass than the one before it was opened, and
        // each pass ends by looking at the overdue reviews: req-slack-10 is posted only after a
        // whole pass that came after the reminder.
        try open(setup, id: "req-slack-9", action: "web.deploy", environment: "staging")
        _ = try setup.slack.waitForCall("posting req-slack-9", Self.isPost(of: "req-slack-9"))
        try open(setup, id: "req-slack-10", action: "web.deploy", environment: "dev")
        _ = try setup.slack.waitForCall("posting req-slack-10", Self.isPost(of: "req-slack-10"))
        let calls = try setup.slack.calls()
        #expect(calls.filter(Self.isReply(to: ts)).count == 1, "\(calls)")
        #expect(calls.allSatisfy { $0["ok"] as? Bool == true }, "a call was refused: \(calls)")
    }

    @Test("/approvals from a linked account lists the requests awaiting that identity's vote, with their progress, and not a decided one")
    func slashCommandLinked() throws {
        let setup = try Setup()
        defer { setup.stop() }
        let link = try setup.server.ledger(["--ledger", setup.server.ledgerPath, "--key", "root.pem", "identity", "link", "slack:T0TEST/U0ALICE", "alice"])
        #expect(link.status == 0, "\(link.stderr)")
        try open(setup, id: "req-slack-11", action: "web.deploy", environment: "staging")
        try open(setup, id: "req-slack-12", action: "web.deploy", environment: "dev")
        let voted = try setup.server.request("POST", "/v1/requests/req-slack-12/votes", as: "alice", json: #"{"decision":"approve"}"#)
        #expect(voted.status == 200, "\(voted)")
        #expect(try voted.json()["status"] as? String == "granted")
        let answer = try setup.signed(
            "/slack/commands", body: Self.form([("team_id", Self.team), ("user_id", "U0ALICE"), ("command", "/approvals"), ("text", ""), ("response_url", setup.slack.responseURL)]))
        #expect(answer.status == 200, "\(answer)")
        let json = try answer.json()
        #expect(json["response_type"] as? String == "ephemeral")
        let text = try #require(json["text"] as? String)
        #expect(text.hasPrefix("Awaiting your vote, alice:\n"), "\(json)")
        #expect(text.contains("• `req-slack-11` migrate req-slack-11 (staging, risk "), "\(json)")
        #expect(text.contains("0 of 1: sre pending"), "\(json)")
        #expect(!text.contains("req-slack-12"), "a granted request is listed: \(json)")
    }

    @Test("A restarted server updates the messages it posted instead of posting them again, posts what was opened while it was down, and a new request once")
    func restartDoesNotRepost() throws {
        let setup = try Setup()
        defer { setup.stop() }
        try open(setup, id: "req-slack-13", action: "web.deploy", environment: "staging")
        _ = try setup.slack.waitForCall("posting req-slack-13", Self.isPost(of: "req-slack-13"))
        try open(setup, id: "req-slack-14", action: "web.deploy", environment: "dev")
        _ = try setup.slack.waitForCall("posting req-slack-14", Self.isPost(of: "req-slack-14"))
        #expect(setup.server.stop() == .exited(0))
        // Opened while no server runs: the restarted one must read on from where it stopped.
        let offline = try setup.server.ledger([
            "--ledger", setup.server.ledgerPath, "--key", "root.pem", "request", "open", "--id", "req-slack-15", "--action", "web.deploy", "--resource", "orders-db",
            "--env", "prod", "--summary", "opened while the server was down",
        ])
        #expect(offline.status == 0, "\(offline.stderr)")
        let again = try setup.restarted()
        defer { _ = again.server.stop() }
        _ = try setup.slack.waitForCall("posting req-slack-15", Self.isPost(of: "req-slack-15"))
        try open(again, id: "req-slack-16", action: "web.deploy", environment: "dev")
        _ = try setup.slack.waitForCall("posting req-slack-16", Self.isPost(of: "req-slack-16"))
        // A change to a request posted before the restart updates its message (the first one).
        let voted = try again.server.request("POST", "/v1/requests/req-slack-13/votes", as: "alice", json: #"{"decision":"approve"}"#)
        #expect(voted.status == 200, "\(voted)")
        _ = try setup.slack.waitForCall("the granted message") {
            $0["method"] as? String == "chat.update" && ($0["body"] as? [String: Any])?["ts"] as? String == "1700000000.000001"
                && $0.bodyText.contains("`req-slack-13`") && $0.bodyText.contains("*Granted*")
        }
        let calls = try setup.slack.calls()
        for id in ["req-slack-13", "req-slack-14", "req-slack-15", "req-slack-16"] {
            #expect(calls.filter(Self.isPost(of: id)).count == 1, "\(id) was not posted exactly once: \(calls)")
        }
        #expect(calls.allSatisfy { $0["ok"] as? Bool == true }, "a call was refused: \(calls)")
    }
}
