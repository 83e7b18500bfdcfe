internal import ApprovalLedger

/// The Standard Webhooks symmetric signature (spec/standard-webhooks.md §Signature scheme):
/// `v1,` and the base64 of HMAC-SHA256, keyed by the secret's bytes, over
/// `{webhook-id}.{webhook-timestamp}.{body}`.
public enum WebhookSignature {
    /// The `webhook-signature` value for one attempt.
    public static func sign(id: String, timestamp: Int64, body: [UInt8], secret: WebhookSecret) -> String {
        var message = Array("\(id).\(timestamp).".utf8)
        message += body
        return "v1," + Base64.encode(HMACSHA256.mac(key: secret.key, message: message))
    }

    /// The three headers of one attempt: `webhook-id`, `webhook-timestamp` (unix seconds of
    /// the attempt, not of the event) and `webhook-signature`, with the JSON content type.
    public static func headers(id: String, timestamp: Int64, body: [UInt8], secret: WebhookSecret) -> [(name: String, value: String)] {
        [
            (name: "content-type", value: "application/json"),
            (name: "webhook-id", value: id),
            (name: "webhook-timestamp", value: String(timestamp)),
            (name: "webhook-signature", value: sign(id: id, timestamp: timestamp, body: body, secret: secret)),
        ]
    }
}
