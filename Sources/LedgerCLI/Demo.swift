import ApprovalLedger
import ArgumentParser

extension LedgerTool {
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a ledger from realistic approval scenarios, verify it, and tell what happened.")
        func run() async throws {}
    }
}
