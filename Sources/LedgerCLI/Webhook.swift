import ApprovalLedger
import ArgumentParser
import LedgerChat

extension LedgerTool {
    struct Webhook: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show and re-enable the webhook deliveries of `ledger serve --webhooks`.",
            discussion: """
                Reads the delivery state the server keeps in the ledger file, beside the events \
                and outside the hash chain (docs/WEBHOOKS.md): each subscription's cursor, \
                failures and whether repeated failure disabled it. Works on the file while the \
                server runs.
                """,
            subcommands: [Status.self, Enable.self])
    }
}

extension LedgerTool.Webhook {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each webhook subscription's state: active, retrying or disabled.",
            discussion: """
                With --webhooks (the file the server reads), also each subscription's URL, \
                filters and pending count (matching events after its cursor).

                Examples:
                  ledger webhook status --ledger ops.ledger
                  ledger webhook status --ledger ops.ledger --webhooks webhooks.yaml \\
                      --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The server's --webhooks file, for URLs, filters and pending counts.", valueName: "file"))
        var webhooks: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openLedger(readOnly: true)
                let states = try await ledger.webhookDeliveries()
                let head = try await ledger.head().size
                var statuses: [WebhookStatus] = []
                if let webhooks {
                    for subscription in try WebhookConfiguration(path: webhooks).subscriptions {
                        // A subscription the server has not started yet starts where it would.
                        let state = states.first { $0.name == subscription.name } ?? WebhookDeliveryState(
                            name: subscription.name, cursor: subscription.fromStart ? 0 : head)
                        let filter = subscription.filter
                        let pending = try await ledger.countEvents(after: state.cursor) { filter.matches(type: $0, stream: $1) }
                        statuses.append(WebhookStatus(name: subscription.name, url: subscription.url, filter: filter, state: state, pending: pending))
                    }
                } else {
                    statuses = states.map { WebhookStatus(name: $0.name, url: nil, filter: nil, state: $0, pending: nil) }
                }
                switch format {
                case .json:
                    var object = JSONObject()
                    object["webhooks"] = .array(statuses.map(\.jsonValue))
                    Output.json(.object(object))
                case .text:
                    Output.line("NAME                 STATE     CURSOR  PENDING  FAILURES  LAST ERROR")
                    for status in statuses {
                        let error = status.state.lastError.map { TerminalText.field($0, limit: 60) } ?? "-"
                        Output.line(
                            "\(status.name.padded(20)) \(status.state.condition.padded(9)) \(String(status.state.cursor).padded(7)) \((status.pending.map(String.init) ?? "-").padded(8)) \(String(status.state.failures).padded(9)) \(error)")
                    }
                }
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-enable a subscription that repeated failure disabled.",
            discussion: """
                Delivery resumes from its cursor, with the event that failed: nothing is \
                skipped. A running server picks it up within a second, as it does after \
                POST /v1/webhooks/{name}/enable.

                Example:
                  ledger webhook enable pagerduty --ledger ops.ledger
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The subscription's name.") var name: String

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openLedger()
                guard let state = try await ledger.webhookDelivery(named: name) else {
                    throw LedgerError(.notFound, "no webhook delivery state named '\(Identifier.printable(name))'; `ledger webhook status` lists them")
                }
                if state.disabledAt == nil {
                    Output.line("webhook \(name) is \(state.condition), not disabled: nothing to do")
                } else {
                    try await ledger.saveWebhookDelivery(state.enabled())
                    Output.line("re-enabled webhook \(name): delivery resumes after seq \(state.cursor)")
                }
            }
        }
    }
}
