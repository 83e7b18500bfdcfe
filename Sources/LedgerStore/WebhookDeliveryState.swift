public import LedgerFormat

/// How far one webhook subscription has been served, as the `webhook_deliveries` table
/// (`Migrations/0007_webhooks.sql`) holds it: outside the signed log, never hashed or verified.
///
/// Invariant: every event with `seq <= cursor` is handled (delivered with a 2xx, or not
/// matching the subscription's filters); the next attempt is for the first matching event after
/// it, so a restart resumes there and nothing is skipped.
public struct WebhookDeliveryState: Sendable, Hashable {
    /// The subscription's name in the `--webhooks` file.
    public var name: String
    public var cursor: Int64
    /// Events delivered with a 2xx, ever.
    public var delivered: Int64
    /// Consecutive failed attempts at the event after the cursor; 0 after a success.
    public var failures: Int
    /// When the first of those failures happened.
    public var failingSince: Timestamp?
    /// No attempt is made before this time (the backoff after a failure).
    public var nextAttemptAt: Timestamp?
    public var lastAttemptAt: Timestamp?
    /// HTTP status of the last attempt; nil when none came back (refused, timed out).
    public var lastStatus: Int?
    /// Why the last attempt failed; nil after a success.
    public var lastError: String?
    /// When repeated failure disabled delivery; nil while it is active.
    public var disabledAt: Timestamp?

    public init(
        name: String, cursor: Int64, delivered: Int64 = 0, failures: Int = 0, failingSince: Timestamp? = nil,
        nextAttemptAt: Timestamp? = nil, lastAttemptAt: Timestamp? = nil, lastStatus: Int? = nil, lastError: String? = nil,
        disabledAt: Timestamp? = nil
    ) {
        self.name = name
        self.cursor = cursor
        self.delivered = delivered
        self.failures = failures
        self.failingSince = failingSince
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.disabledAt = disabledAt
    }
}
