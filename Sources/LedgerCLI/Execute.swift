import ApprovalLedger
import ArgumentParser

extension LedgerTool {
    struct Execute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report an execution under a request's grant.",
            discussion: """
                Refused (exit 3, and recorded) when the request is not granted, the grant expired, \
                the change digest differs from the one approved, or a one-shot grant was used.

                Example:
                  ledger --key deploy-bot.pem execute req-3f9a1c0b2d \\
                      --outcome succeeded --detail "pipeline 981" \\
                      --change-digest $(sha256sum migration.sql | cut -c1-64)
                """)

        enum Outcome: String, ExpressibleByArgument, CaseIterable { case succeeded, failed }

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var id: String
        @Option(help: "succeeded or failed.") var outcome: Outcome
        @Option(help: "SHA-256 (hex) of the change executed.") var changeDigest: String?
        @Option(help: "A note: pipeline run, ticket, error.") var detail: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            if let remote = try global.remote() { return try await runRemotely(remote) }
            try await CommandRunner.run {
                let ledger = try await global.openWritable()
                let state = try await Approvals(ledger: ledger).execute(
                    id, succeeded: outcome == .succeeded, changeDigest: changeDigest, detail: detail, signer: try await global.signer(for: ledger))
                report(state, format: format, "execution \(outcome.rawValue) recorded for \(state.id)")
            }
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that an executed change was rolled back.",
            discussion: "Example:\n  ledger rollback req-3f9a1c0b2d --reason \"error rate 4% after deploy\"")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var id: String
        @Option(help: "Why it was rolled back.") var reason: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            if let remote = try global.remote() { return try await runRemotely(remote) }
            try await CommandRunner.run {
                let ledger = try await global.openWritable()
                let state = try await Approvals(ledger: ledger).rollback(id, reason: reason, signer: try await global.signer(for: ledger))
                report(state, format: format, "rollback recorded for \(state.id)")
            }
        }
    }

    struct Recover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that service recovered after a failed or rolled-back change.",
            discussion: "Example:\n  ledger recover req-3f9a1c0b2d --detail \"error rate back to 0.1%\"")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var id: String
        @Option(help: "How it recovered.") var detail: String = ""
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            if let remote = try global.remote() { return try await runRemotely(remote) }
            try await CommandRunner.run {
                let ledger = try await global.openWritable()
                let state = try await Approvals(ledger: ledger).recover(id, detail: detail, signer: try await global.signer(for: ledger))
                report(state, format: format, "recovery recorded for \(state.id)")
            }
        }
    }
}

private func report(_ state: RequestState, format: OutputFormat, _ text: String) {
    switch format {
    case .json: Output.json(state.jsonValue)
    case .text: Output.line(text)
    }
}
