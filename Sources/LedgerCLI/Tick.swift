import ApprovalLedger
import ArgumentParser

extension LedgerTool {
    struct Tick: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append the escalations and expiries that are due.",
            discussion: """
                Run it from cron or a CI schedule (every minute is plenty). Idempotent: what it \
                appended is not due again. --now judges as of another time (tests, backfills); \
                events never go back in time, so a past --now acts at the ledger's head time.

                Examples:
                  ledger tick
                  ledger tick --now 2026-11-21T18:00:00.000Z --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Judge as of this UTC time (YYYY-MM-DDTHH:MM:SS.mmmZ).") var now: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                var at: Timestamp?
                if let now { at = try TimeArgument.parse(now) }
                let ledger = try await global.openWritable()
                let events = try await Approvals(ledger: ledger).tick(signer: try await global.signer(for: ledger), at: at)
                switch format {
                case .json:
                    Output.json(.array(events.map { ["seq": .integer($0.envelope.seq), "requestId": .string($0.envelope.stream), "type": .string($0.envelope.type)] }))
                case .text:
                    if events.isEmpty { Output.line("nothing due") }
                    for event in events { Output.line("\(event.envelope.stream): \(event.envelope.type) (seq \(event.envelope.seq))") }
                }
            }
        }
    }
}
