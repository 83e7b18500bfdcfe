import ApprovalLedger
import ArgumentParser

extension LedgerTool.PolicyCommand {
    struct Simulate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay recorded requests under a draft policy; report what would differ.",
            discussion: """
                Every request opened in [--since, --until) is replayed, vote by vote, under \
                the draft instead of the policy version it recorded, with the same rules the \
                workflow runs. Reported: each request whose decision, rule or counted votes \
                would differ, the requests per rule (recorded → draft), and the waiting the \
                draft would save or cost. Nothing is written: the ledger is opened read-only. \
                Times: 2026-11-21T18:00:00.000Z, a date (2026-11-21) or a duration before \
                --now (90m, 24h, 30d). See docs/POLICY.md.

                Examples:
                  ledger policy simulate draft.yaml
                  ledger policy simulate draft.yaml --since 7d --env prod
                  ledger policy simulate draft.yaml --action 'db.*' --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The draft YAML policy file.") var file: String
        @Option(help: ArgumentHelp("Replay requests opened from this time (default: 30d before --now).", valueName: "time"))
        var since: String = "30d"
        @Option(help: ArgumentHelp("Replay requests opened before this time (default: up to --now).", valueName: "time"))
        var until: String?
        @Option(name: .customLong("env"), help: "Only requests in this environment.")
        var environment: String?
        @Option(help: ArgumentHelp("Only requests whose action matches this glob (* any run, ? one character).", valueName: "glob"))
        var action: String?
        @Option(help: ArgumentHelp("Judge as of this time (default: the current time).", valueName: "time"))
        var now: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let draft = try Policy(yaml: try PolicyFile.read(file))
                let clock = SystemClock.now()
                let at = try now.map { try TimeArgument.parse($0, before: clock) } ?? clock
                let start = try TimeArgument.parse(since, before: at)
                let end = try until.map { try TimeArgument.parse($0, before: at) }
                if let end, start >= end { throw ValidationError("--since (\(start)) must be before --until (\(end))") }
                let query = MetricsQuery(now: at, since: start, until: end, environment: environment, action: action)
                let simulation = try await Approvals(ledger: try await global.openLedger(readOnly: true)).simulate(draft, query: query)
                switch format {
                case .json: Output.json(simulation.jsonValue)
                case .text: PolicySimulationText.print(simulation)
                }
            }
        }
    }
}
