import ApprovalLedger
import LedgerChat
import Testing

/// The Block Kit rendering of a request (pure), held to what an approver must see and to
/// slack_sdk's own block models, which reject what Slack would reject.
@Suite("RequestMessage: a request as Block Kit")
struct RequestMessageTests {
    static let now = Timestamp("2026-12-03T14:30:00.000Z")!

    func render(_ state: RequestState) -> RequestMessage {
        RequestMessage(state: state, needs: ChatFixtures.needs(state), publicURL: "https://ledger.example.com", now: Self.now)
    }

    func text(_ message: RequestMessage) -> String {
        String(decoding: CanonicalJSON.encode(message.jsonValue), as: UTF8.self)
    }

    @Test("A pending request shows what is asked, its risk, links, progress, deadline and both buttons with its id and version")
    func pending() throws {
        let message = render(ChatFixtures.request())
        let json = text(message)
        for expected in [
            "db.migrate", "orders-db", "prod", "deploy-bot", "40 (high)", "environment prod: +40", "<https://github.com/acme/shop/pull/42|diff>",
            "<https://wiki.acme.dev/runbooks/orders|runbook>", "<https://grafana.acme.dev/d/orders|dashboard>", "0 of 2: dba pending, sre pending",
            "<!date^1796320800^", "ledger-approve:1:req-42", "ledger-deny:1:req-42", "https://ledger.example.com/v1/requests/req-42",
        ] {
            #expect(json.contains(expected), "missing \(expected)")
        }
        let actions = message.blocks.first { $0["type"]?.stringValue == "actions" }
        #expect(actions?["elements"]?.arrayValue?.map { $0["style"]?.stringValue } == ["primary", "danger"])
        let verdict = try ChatFixtures.slackSDKVerdict(message.jsonValue)
        #expect(verdict.status == 0, "\(verdict.stdout)\(verdict.stderr)")
    }

    @Test("A vote shows in the progress line: 1 of 2: dba pending, sre ✓")
    func progress() throws {
        let state = ChatFixtures.request([(ApprovalEvents.voteCast, "alice", ["decision": "approve", "reason": "looks fine"])])
        let json = text(render(state))
        #expect(json.contains("1 of 2: dba pending, sre ✓"))
        #expect(json.contains("alice approved: looks fine"))
        #expect(json.contains("ledger-approve:2:req-42"), "the buttons name the version the voter sees")
    }

    @Test("A decided request has no buttons and says who decided")
    func decided() throws {
        let state = ChatFixtures.request([
            (ApprovalEvents.voteCast, "carol", ["decision": "deny", "reason": "not during the sale"]),
            (ApprovalEvents.denied, "ledger-server", ["explanation": "denied by carol (deny veto 1)"]),
        ])
        let message = render(state)
        #expect(!message.blocks.contains { $0["type"]?.stringValue == "actions" })
        #expect(text(message).contains("*Denied* by carol"))
        #expect(message.fallbackText.hasPrefix("Denied: "))
        let verdict = try ChatFixtures.slackSDKVerdict(message.jsonValue)
        #expect(verdict.status == 0, "\(verdict.stdout)\(verdict.stderr)")
    }

    @Test("Text from the request cannot mention @channel or forge a link, and long text stays within Block Kit's limits")
    func hostileText() throws {
        let summary = "<!channel> <https://evil.example|click> & " + String(repeating: "x", count: 5000)
        let state = ChatFixtures.request(summary: summary, links: ["javascript:alert(1)", "https://ok.example/a|b"])
        let message = render(state)
        // Slack reads mentions and links in mrkdwn (plain_text, the header, is shown as typed).
        var markdown: [String] = []
        func collect(_ value: JSONValue) {
            if value["type"]?.stringValue == "mrkdwn", let text = value["text"]?.stringValue { markdown.append(text) }
            for element in value.arrayValue ?? [] { collect(element) }
            for member in value.objectValue ?? JSONObject() { collect(member.value) }
        }
        message.blocks.forEach(collect)
        markdown.append(message.fallbackText)
        #expect(!markdown.isEmpty)
        #expect(!markdown.contains { $0.contains("<!channel>") || $0.contains("<https://evil") || $0.contains("<javascript:") })
        #expect(message.fallbackText.contains("&lt;!channel&gt;"))
        let verdict = try ChatFixtures.slackSDKVerdict(message.jsonValue)
        #expect(verdict.status == 0, "\(verdict.stdout)\(verdict.stderr)")
    }

    @Test("A malformed block is refused by the slack_sdk check the stand-in runs (the check can fail)")
    func checkerRefuses() throws {
        let verdict = try ChatFixtures.slackSDKVerdict(["blocks": [["type": "header", "text": ["type": "plain_text", "text": .string(String(repeating: "x", count: 151))]]]])
        #expect(verdict.status == 1)
    }

    @Test("The reason modal is a view slack_sdk accepts and its submission reads back what it carried")
    func modal() throws {
        let modal = ReasonModal(action: SlackActionID(approve: false, requestID: "req-42", requestVersion: 3), channel: "C0APPROVALS", messageTs: "1700000000.000001")
        let view = modal.view(summary: "Migrate orders")
        let verdict = try ChatFixtures.slackSDKVerdict(["view": view])
        #expect(verdict.status == 0, "\(verdict.stdout)\(verdict.stderr)")
        var submitted = view.objectValue!
        submitted["id"] = "V1"
        submitted["state"] = ["values": ["reason": ["reason-input": ["type": "plain_text_input", "value": "not during the sale"]]]]
        let read = try #require(ReasonModal.submitted(.object(submitted)))
        #expect(read.modal == modal)
        #expect(read.reason == "not during the sale")
    }
}
