import ApprovalLedger
import ArgumentParser

extension LedgerTool {
    struct Redact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase one event's payload and record why (needs the redact capability).",
            discussion: """
                Appends a payload.redacted event naming the event, the reason and its legal \
                basis, and deletes that payload in the same transaction. The event's envelope, \
                hash and signature still verify; `ledger verify` reports the erasure as \
                payload-redacted (information), and a payload deleted without such a record as \
                payload-missing (an error). Payloads the rules are re-derived from (genesis, \
                keys, policies, approval requests and votes, redactions) cannot be erased. \
                See docs/FORMAT.md §Redaction.

                Example:
                  ledger --key dpo.pem redact 1842 \\
                      --reason "names a customer (ticket PRIV-77)" \\
                      --basis "GDPR Art. 17(1)(a)"
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The seq of the event whose payload is erased.") var seq: Int64
        @Option(help: "Why the payload is erased (recorded in the ledger).") var reason: String
        @Option(help: "The legal basis of the erasure, e.g. \"GDPR Art. 17(1)(a)\".") var basis: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openLedger()
                let event = try await ledger.redact(seq: seq, reason: reason, basis: basis, signer: try await global.signer(for: ledger))
                printEvent(event, format: format, summary: "erased the payload of event \(seq), recorded")
            }
        }
    }
}
