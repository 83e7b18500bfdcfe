import ApprovalLedger
import ArgumentParser
import LedgerCrypto
import LedgerPostgres

extension LedgerTool {
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy a ledger between a file and a PostgreSQL database, byte for byte.",
            discussion: """
                SOURCE and DESTINATION are each a ledger file (SQLite) or a postgres:// URL \
                (docs/STORAGE.md). Every row is copied as stored: each envelope, signature and \
                payload is the one that was signed, so the copy verifies exactly as the source \
                does, findings included. Nothing is re-signed or repaired; run `ledger verify` \
                on either. The copy is read back and compared row by row before this exits 0.

                A destination file must not exist; a destination database must hold no ledger \
                (the schema is created there). Into PostgreSQL the rows go in one transaction: \
                a failure leaves the database as it was. Password and TLS come from the URL or \
                PGPASSWORD, PGSSLMODE and the other PG* variables.

                Examples:
                  ledger copy ops.ledger postgres://ledger@db.internal/ops
                  PGPASSWORD=… ledger copy \\
                      'postgres://ledger@db.internal/ops?sslmode=verify-full' backup.ledger
                """)

        @Argument(help: ArgumentHelp("The ledger to copy: a file or a postgres:// URL.", valueName: "source"))
        var source: String
        @Argument(help: ArgumentHelp("Where to copy it: a new file or an empty PostgreSQL database.", valueName: "destination"))
        var destination: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let from = try LedgerAddress(source), to = try LedgerAddress(destination)
                if case .file(let path) = from { try GlobalOptions.requireRegularLedgerFiles(path) }
                let result = try await LedgerCopy.copy(from: from, to: to)
                switch format {
                case .json:
                    Output.json([
                        "source": .string(from.description), "destination": .string(to.description), "ledgerID": .string(result.ledgerID),
                        "events": .integer(result.events), "headHash": .string(Hex.encode(result.headHash)),
                    ])
                case .text:
                    Output.line("copied \(result.events) events of ledger \(result.ledgerID) to \(to); read back, every row identical")
                    Output.line("  head hash  \(Hex.encode(result.headHash))")
                }
            }
        }
    }
}
