public import ApprovalLedger

/// One subscription as `GET /v1/webhooks` and `ledger webhook status` show it: its
/// configuration (never its secret), its delivery state and the backlog behind its cursor.
public struct WebhookStatus: Sendable {
    public let name: String
    public let url: String?
    public let filter: WebhookFilter?
    public let state: WebhookDeliveryState
    /// Matching events after the cursor, not yet delivered; nil when the filter is unknown
    /// (a state whose subscription is no longer in the file).
    public let pending: Int?

    public init(name: String, url: String?, filter: WebhookFilter?, state: WebhookDeliveryState, pending: Int?) {
        self.name = name
        self.url = url
        self.filter = filter
        self.state = state
        self.pending = pending
    }

    /// The status of `subscription` in `ledger` (its state opened if it has none yet).
    public static func read(_ subscription: WebhookSubscription, in ledger: Ledger) async throws -> WebhookStatus {
        let stored = try await ledger.webhookDelivery(named: subscription.name)
        let state = if let stored { stored } else { try await ledger.openWebhookDelivery(name: subscription.name, fromStart: subscription.fromStart) }
        let filter = subscription.filter
        let pending = try await ledger.countEvents(after: state.cursor) { filter.matches(type: $0, stream: $1) }
        return WebhookStatus(name: subscription.name, url: subscription.url, filter: filter, state: state, pending: pending)
    }

    /// `{name, url, events, streams, state, cursor, pending, delivered, failures, …}`; times
    /// as the events write them, absent members omitted.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["name"] = .string(name)
        if let url { object["url"] = .string(url) }
        if let filter {
            object["events"] = .array(filter.events.map { .string($0.pattern) })
            if let streams = filter.streams { object["streams"] = .array(streams.map { .string($0.pattern) }) }
        }
        object["state"] = .string(state.condition)
        object["cursor"] = .integer(state.cursor)
        if let pending { object["pending"] = .integer(Int64(pending)) }
        object["delivered"] = .integer(state.delivered)
        object["failures"] = .integer(Int64(state.failures))
        if let time = state.failingSince { object["failingSince"] = .string(time.description) }
        if let time = state.nextAttemptAt { object["nextAttemptAt"] = .string(time.description) }
        if let time = state.lastAttemptAt { object["lastAttemptAt"] = .string(time.description) }
        if let status = state.lastStatus { object["lastStatus"] = .integer(Int64(status)) }
        if let error = state.lastError { object["lastError"] = .string(error) }
        if let time = state.disabledAt { object["disabledAt"] = .string(time.description) }
        return .object(object)
    }
}
