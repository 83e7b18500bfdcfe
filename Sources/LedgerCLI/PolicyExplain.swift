import ApprovalLedger
import ArgumentParser

extension LedgerTool.PolicyCommand {
    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show which rule a request would match, its risk score and what it needs.",
            discussion: """
                Opens nothing: the request is judged as `request open` would judge it, \
                against the policy in force in the ledger, or against a draft with --policy \
                (no ledger needed). Printed: why each earlier rule does not match, the risk \
                score with each factor's points, and the matching rule's requirements.

                Examples:
                  ledger policy explain --action db.migrate --env prod --resource db/orders
                  ledger policy explain --action deploy --env prod --resource svc/api \\
                      --risk blast_radius=40 --policy draft.yaml --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "What would be done, e.g. deploy.promote, db.migrate.") var action: String
        @Option(name: .customLong("env"), help: "The environment, e.g. prod, staging.") var environment: String
        @Option(help: "What it would be done to, e.g. svc/checkout or db/orders.") var resource: String
        @Option(name: .customLong("risk"), help: ArgumentHelp("A risk input FACTOR=VALUE (repeatable).", valueName: "factor=value"))
        var risk: [String] = []
        @Option(help: ArgumentHelp("A draft YAML policy to judge by instead of the ledger's.", valueName: "file"))
        var policy: String?
        @Option(help: ArgumentHelp("Judge as if opened at this time (default: now; off-hours factors read it).", valueName: "time"))
        var at: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let request = OpenRequest(
                    requestID: "explain", action: action, resource: resource, environment: environment, summary: "",
                    riskInputs: try RequestContent.riskInputs(risk))
                let time = try at.map { try TimeArgument.parse($0) } ?? SystemClock.now()
                let explanation: PolicyExplanation
                if let policy {
                    let draft = try Policy(yaml: try PolicyFile.read(policy))
                    explanation = try PolicyExplanation.explain(request, policy: PublishedPolicy(policy: draft, version: 0, hash: draft.contentHash.hex), at: time)
                } else {
                    explanation = try await Approvals(ledger: try await global.openLedger(readOnly: true)).explain(request, at: time)
                }
                switch format {
                case .json: Output.json(explanation.jsonValue)
                case .text: PolicyExplanationText.print(explanation)
                }
            }
        }
    }
}
