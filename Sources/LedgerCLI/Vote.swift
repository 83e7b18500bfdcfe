import ApprovalLedger
import ArgumentParser

/// The options of `approve` and `deny`.
struct VoteOptions: ParsableArguments {
    @Argument(help: "The request id.") var id: String
    @Option(help: "Why (some rules require it).") var reason: String = ""
    @Option(help: "The request version you reviewed (from `request show`); refused if it changed since.")
    var requestVersion: Int64?
    @Option(help: "Output format: text or json.") var format: OutputFormat = .text
}

extension LedgerTool {
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Vote to approve a request.",
            discussion: """
                When this vote completes the rule's thresholds the request is granted in the same \
                transaction. A vote that is not allowed (not eligible, self-approval, already \
                decided, expired, stale version, a key that is not yours) is refused with exit 3 \
                and recorded in the ledger as a rejected attempt.

                Example:
                  ledger --key carol.pem approve req-3f9a1c0b2d \\
                      --reason "reviewed the migration plan"
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var vote: VoteOptions

        func run() async throws {
            try await castVote(approve: true, global: global, vote: vote)
        }
    }

    struct Deny: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Vote to deny a request.",
            discussion: """
                A deny veto (one eligible deny, unless the rule says otherwise) rejects the request \
                at once.

                Example:
                  ledger --key grace.pem deny req-3f9a1c0b2d --reason "opens 0.0.0.0/0 on 22"
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var vote: VoteOptions

        func run() async throws {
            try await castVote(approve: false, global: global, vote: vote)
        }
    }
}

func castVote(approve: Bool, global: GlobalOptions, vote: VoteOptions) async throws {
    if let remote = try global.remote() { return try await castVoteRemotely(remote, approve: approve, vote: vote) }
    try await CommandRunner.run {
        let ledger = try await global.openWritable()
        let approvals = Approvals(ledger: ledger)
        let signer = try await global.signer(for: ledger)
        let state = approve
            ? try await approvals.approve(vote.id, reason: vote.reason, signer: signer, requestVersion: vote.requestVersion)
            : try await approvals.deny(vote.id, reason: vote.reason, signer: signer, requestVersion: vote.requestVersion)
        switch vote.format {
        case .json: Output.json(state.jsonValue)
        case .text:
            Output.line("\(signer.identity) voted to \(approve ? "approve" : "deny") \(state.id): now \(state.status.rawValue)")
            if let explanation = state.decisionExplanation { Output.line("  \(TerminalText.field(explanation))") }
        }
    }
}
