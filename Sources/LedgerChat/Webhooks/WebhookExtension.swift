public import LedgerServer
import ApprovalLedger
public import ServiceLifecycle

/// Webhook delivery as a part of `ledger serve` (`--webhooks FILE`): a delivery loop per
/// subscription and the routes that show and re-enable them.
public struct WebhookExtension: ServerExtension {
    public let configuration: WebhookConfiguration
    /// How often an idle loop looks at the ledger for events other processes appended.
    public let poll: Duration

    public init(configuration: WebhookConfiguration, poll: Duration = .seconds(1)) {
        self.configuration = configuration
        self.poll = poll
    }

    /// Opens each subscription's delivery state, so one that starts at the head starts at the
    /// head when the server reports ready, not when its loop first runs.
    public func prepare(environment: ServerEnvironment) async throws {
        for subscription in configuration.subscriptions {
            _ = try await environment.ledger.openWebhookDelivery(name: subscription.name, fromStart: subscription.fromStart)
        }
    }

    public func register(_ routes: inout RouteTable, environment: ServerEnvironment) {
        WebhookRoutes(subscriptions: configuration.subscriptions, environment: environment).register(&routes)
    }

    /// Per subscription (a label from the file, so a bounded set): deliveries ever made (the
    /// stored count, so it survives restarts), the backlog, the consecutive failures and
    /// whether it is disabled. Nothing without subscriptions.
    public func metricsText(environment: ServerEnvironment) async throws -> String {
        guard !configuration.subscriptions.isEmpty else { return "" }
        var statuses: [WebhookStatus] = []
        for subscription in configuration.subscriptions { statuses.append(try await WebhookStatus.read(subscription, in: environment.ledger)) }
        var out = PrometheusExposition()
        let families: [(String, PrometheusExposition.MetricType, String, (WebhookStatus) -> Double)] = [
            ("ledger_webhook_deliveries_total", .counter, "Events delivered with a 2xx, by subscription.", { Double($0.state.delivered) }),
            ("ledger_webhook_pending_events", .gauge, "Matching events after the subscription's cursor, not yet delivered.", { Double($0.pending ?? 0) }),
            ("ledger_webhook_consecutive_failures", .gauge, "Failed attempts in a row at the subscription's next event (0 when the last succeeded).", { Double($0.state.failures) }),
            ("ledger_webhook_disabled", .gauge, "1 when repeated failure disabled the subscription (POST /v1/webhooks/{name}/enable resumes it).", { $0.state.disabledAt == nil ? 0 : 1 }),
        ]
        for (name, type, help, value) in families {
            out.family(name, type, help: help)
            for status in statuses { out.sample(name, [("subscription", status.name)], value(status)) }
        }
        return out.text
    }

    public func services(environment: ServerEnvironment) -> [any Service] {
        configuration.subscriptions.map { WebhookDeliverer(subscription: $0, environment: environment, poll: poll) }
    }
}
