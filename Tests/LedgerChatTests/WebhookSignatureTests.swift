import ApprovalLedger
import LedgerChat
import Testing

@Suite("Standard Webhooks signatures")
struct WebhookSignatureTests {
    /// The reference vector of the Standard Webhooks libraries' test suites (the same inputs
    /// `standardwebhooks` on PyPI signs to this value).
    @Test("The reference vector signs to its published signature")
    func referenceVector() throws {
        let secret = try WebhookSecret(text: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", source: "test")
        let signature = WebhookSignature.sign(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8), secret: secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test("The headers carry the id, the attempt's time and the signature over both")
    func headers() throws {
        let secret = try WebhookSecret(text: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n", source: "test")
        let headers = WebhookSignature.headers(id: "evt_x_1", timestamp: 1_700_000_000, body: Array("{}".utf8), secret: secret)
        let byName = Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) })
        #expect(byName["webhook-id"] == "evt_x_1")
        #expect(byName["webhook-timestamp"] == "1700000000")
        #expect(byName["content-type"] == "application/json")
        #expect(byName["webhook-signature"] == WebhookSignature.sign(id: "evt_x_1", timestamp: 1_700_000_000, body: Array("{}".utf8), secret: secret))
        // Another time is another signature: a receiver's replay window holds.
        #expect(byName["webhook-signature"] != WebhookSignature.sign(id: "evt_x_1", timestamp: 1_700_000_001, body: Array("{}".utf8), secret: secret))
    }

    @Test("Secrets that are not whsec_ base64 of 24 to 64 bytes are refused", arguments: [
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!", "whsec_AAAA", "whsec_" + String(repeating: "A", count: 96),
    ])
    func badSecrets(text: String) {
        #expect(throws: WebhookConfigurationError.self) { try WebhookSecret(text: text, source: "test") }
    }
}
