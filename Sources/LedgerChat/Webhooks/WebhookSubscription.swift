internal import ApprovalLedger

/// One receiver of `ledger serve --webhooks`: where its events go, how they are signed,
/// which events it wants, where a new subscription starts, and how failures are retried.
public struct WebhookSubscription: Sendable {
    /// Unique in the file; names its delivery state, so renaming starts it afresh.
    public let name: String
    public let url: String
    public let secret: WebhookSecret
    public let filter: WebhookFilter
    /// A subscription with no delivery state yet starts after seq 0 (every event) when true,
    /// at the ledger's head otherwise. Ignored once it has a cursor.
    public let fromStart: Bool
    public let retry: WebhookRetryPolicy
    /// How long one POST may take before it counts as failed.
    public let timeout: Duration

    public init(name: String, url: String, secret: WebhookSecret, filter: WebhookFilter, fromStart: Bool = false, retry: WebhookRetryPolicy = WebhookRetryPolicy(), timeout: Duration = .seconds(15)) {
        self.name = name
        self.url = url
        self.secret = secret
        self.filter = filter
        self.fromStart = fromStart
        self.retry = retry
        self.timeout = timeout
    }
}
