import ApprovalLedger
import LedgerChat
import Testing

/// What the gateway reads from Slack's requests: form bodies, button action ids, interactions.
@Suite("Slack payloads")
struct SlackPayloadTests {
    @Test("Form fields decode + and percent escapes, and refuse broken escapes and invalid UTF-8")
    func form() throws {
        let fields = try #require(FormFields(Array("command=%2Fapprovals&text=show+req-42&empty=&payload=%7B%22a%22%3A1%7D".utf8)))
        #expect(fields["command"] == "/approvals")
        #expect(fields["text"] == "show req-42")
        #expect(fields["empty"] == "")
        #expect(fields["payload"] == "{\"a\":1}")
        #expect(FormFields(Array("a=%4".utf8)) == nil)
        #expect(FormFields(Array("a=%FF".utf8)) == nil)
    }

    @Test("An action id carries the vote, the request version and the request id, and reads back")
    func actionID() {
        let action = SlackActionID(approve: true, requestID: "req:with:colons", requestVersion: 7)
        #expect(action.text == "ledger-approve:7:req:with:colons")
        #expect(SlackActionID(action.text) == action)
        #expect(SlackActionID("ledger-deny:3:req-1") == SlackActionID(approve: false, requestID: "req-1", requestVersion: 3))
        #expect(SlackActionID("other:3:req-1") == nil)
        #expect(SlackActionID("ledger-deny:x:req-1") == nil)
        #expect(SlackActionID("ledger-deny:3:") == nil)
    }

    @Test("A block_actions payload gives the account, the action, its evidence and one idempotency key per press")
    func interaction() throws {
        let payload = try JSONParser.parse("""
            {"type":"block_actions","team":{"id":"T1","domain":"acme"},"user":{"id":"U2","team_id":"T1"},
             "container":{"type":"message","message_ts":"1700000000.000001","channel_id":"C3"},"channel":{"id":"C3"},
             "trigger_id":"13345224609.738474920.8088930838d88f008e0","response_url":"https://hooks.slack.com/actions/T1/1/x",
             "actions":[{"type":"button","action_id":"ledger-approve:4:req-42","block_id":"ledger-vote","value":"ledger-approve:4:req-42","action_ts":"1700000010.000200"}]}
            """)
        let interaction = try #require(SlackInteraction(blockActions: payload))
        #expect(interaction.account == "slack:T1/U2")
        #expect(interaction.action == SlackActionID(approve: true, requestID: "req-42", requestVersion: 4))
        #expect(interaction.evidence == ["team": "T1", "user": "U2", "channel": "C3", "actionTs": "1700000010.000200", "messageTs": "1700000000.000001"])
        #expect(interaction.idempotencyKey == "slack:T1/U2/action/req-42/1700000010.000200")
        #expect(SlackInteraction(blockActions: try JSONParser.parse(#"{"type":"block_actions","actions":[]}"#)) == nil)
    }

    @Test("The step-up refusal gives the exact command that signs the vote with one's own key")
    func stepUp() {
        let text = SlackReplies.refused(
            ApprovalError(code: "own-key-required", message: "rule prod-db-migration counts only own-key votes", requestID: "req-42", recorded: true),
            requestID: "req-42", approve: true, account: "slack:T1/U2", publicURL: "https://ledger.example.com")
        #expect(text.contains("ledger --server https://ledger.example.com --key YOUR-KEY.pem approve req-42 --reason"))
        let unlinked = SlackReplies.refused(
            ApprovalError(code: "identity-unlinked", message: "not linked", requestID: "req-42", recorded: true),
            requestID: "req-42", approve: true, account: "slack:T1/U2", publicURL: "https://ledger.example.com")
        #expect(unlinked.contains("ledger identity link slack:T1/U2 YOUR-IDENTITY"))
    }
}
