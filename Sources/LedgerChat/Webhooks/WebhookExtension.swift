public import LedgerServer
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

    public func register(_ routes: inout RouteTable, environment: ServerEnvironment) {
        WebhookRoutes(subscriptions: configuration.subscriptions, environment: environment).register(&routes)
    }

    public func services(environment: ServerEnvironment) -> [any Service] {
        configuration.subscriptions.map { WebhookDeliverer(subscription: $0, environment: environment, poll: poll) }
    }
}
