import ApprovalLedger
import LedgerChat
import Testing

@Suite("Webhook filters")
struct WebhookFilterTests {
    @Test("Types match exactly or by glob; streams, when given, must match too")
    func matching() {
        let filter = WebhookFilter(events: [Glob("request.*"), Glob("vote.cast")])
        #expect(filter.matches(type: "request.opened", stream: "r1"))
        #expect(filter.matches(type: "vote.cast", stream: "r1"))
        #expect(!filter.matches(type: "vote.rejected", stream: "r1"))
        #expect(!filter.matches(type: "requests.opened", stream: "r1"))
        let prod = WebhookFilter(events: [Glob("*")], streams: [Glob("prod-*"), Glob("keys")])
        #expect(prod.matches(type: "deploy.note", stream: "prod-42"))
        #expect(prod.matches(type: "key.registered", stream: "keys"))
        #expect(!prod.matches(type: "deploy.note", stream: "staging-42"))
    }
}
