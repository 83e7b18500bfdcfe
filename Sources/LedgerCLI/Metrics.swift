import ApprovalLedger
import ArgumentParser

extension LedgerTool {
    struct Metrics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approval SLIs: latency, approval rate, stalls, escalations, failures, refusals, rollbacks, traffic, recovery, audit completeness.",
            discussion: """
                Computed from the projection tables (never by replaying events), as defined \
                exactly in docs/METRICS.md: M1 approval latency (p50/p90/p99, mean, by \
                environment and action), M2 approval rate, M3 stalled requests, M4 escalation \
                rate, M5 failures after approval, M6 rejected attempts by reason, M7 rollbacks \
                after approval, M8 requests per hour and day, M9 time to recover, M10 audit \
                completeness; plus approver load and pending-queue depth.

                Each SLI counts the events whose time falls in [--since, --until), and nothing \
                after --now, the instant the point-in-time figures (stalled, pending, \
                unrecovered) are taken at. Times: 2026-11-21T18:00:00.000Z, a UTC date \
                (2026-11-21), or a duration before --now (90m, 24h, 7d).

                Examples:
                  ledger metrics
                  ledger metrics --since 7d --env prod --action 'deploy.*'
                  ledger metrics --format json | jq .approvalLatency.all.p90Ms
                  ledger metrics --format prometheus > /var/lib/node_exporter/ledger.prom
                  ledger metrics --now 2026-11-02T12:00:00.000Z --verify
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Start of the window, inclusive (default: the first event).", valueName: "time"))
        var since: String?
        @Option(help: ArgumentHelp("End of the window, exclusive (default: --now, inclusive).", valueName: "time"))
        var until: String?
        @Option(name: .customLong("env"), help: "Only requests in this environment.")
        var environment: String?
        @Option(help: ArgumentHelp("Only requests whose action matches this glob (* any run, ? one character).", valueName: "glob"))
        var action: String?
        @Option(help: ArgumentHelp("Judge as of this time (default: the current time).", valueName: "time"))
        var now: String?
        @Flag(help: "Verify the ledger first (a full `ledger verify` pass) and count a broken chain against audit completeness (M10).")
        var verify = false
        @Option(help: "Output format: table, json or prometheus.")
        var format: MetricsFormat = .table

        func run() async throws {
            if let remote = try global.remote() { return try await runRemotely(remote) }
            try await CommandRunner.run {
                let query = try query(clock: SystemClock.now())
                let ledger = try await global.openLedger(readOnly: true)
                let metrics = try await Approvals(ledger: ledger).metrics(query, verifyChain: verify)
                switch format {
                case .table: MetricsText.print(metrics)
                case .json: Output.json(metrics.jsonValue)
                case .prometheus: Output.line(metrics.prometheusText, terminator: "")
                }
            }
        }

        func query(clock: Timestamp) throws -> MetricsQuery {
            let at = try now.map { try TimeArgument.parse($0, before: clock) } ?? clock
            let start = try since.map { try TimeArgument.parse($0, before: at) }
            let end = try until.map { try TimeArgument.parse($0, before: at) }
            if let start, let end, start >= end {
                throw ValidationError("--since (\(start)) must be before --until (\(end))")
            }
            return MetricsQuery(now: at, since: start, until: end, environment: environment, action: action)
        }
    }
}

/// `ledger metrics --format`.
enum MetricsFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, prometheus
}
