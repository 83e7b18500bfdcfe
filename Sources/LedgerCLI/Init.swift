import ApprovalLedger
import ArgumentParser
import LedgerPostgres

extension LedgerTool {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new ledger whose root key is --key.",
            discussion: """
                Writes the genesis event, which names the ledger id, the format version and the \
                root public key (identity --as, default "root", with the admin capability). \
                Refuses to overwrite an existing file, or a PostgreSQL database that already \
                holds a ledger (the database must exist; its tables are created here).

                Example:
                  ledger key generate --out root.pem
                  ledger --ledger ops.ledger --key root.pem init
                  ledger --ledger postgres://ledger@db.internal/ops --key root.pem init
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let signer = Signer(identity: global.identity ?? "root", key: try global.privateKey())
                let ledger: any LedgerWriting, hash: SHA256Digest
                if let location = try global.postgresLocation() {
                    let database = try await PostgresLedger.open(location, configuration: try global.configuration())
                    hash = try await database.initialize(root: signer)
                    ledger = database
                } else {
                    let path = try global.resolvedLedgerPath()
                    try GlobalOptions.requireRegularLedgerFiles(path)
                    let file = try await Ledger.create(at: path, root: signer, configuration: try global.configuration())
                    hash = try await file.head().hash
                    ledger = file
                }
                let path = ledger.address
                switch format {
                case .json:
                    Output.json([
                        "ledgerId": .string(ledger.ledgerID), "path": .string(path), "rootIdentity": .string(signer.identity),
                        "rootKeyId": .string(signer.key.publicKey.keyID.rawValue), "headHash": .string(hash.hex),
                    ])
                case .text:
                    Output.line("created ledger \(ledger.ledgerID) at \(path)")
                    Output.line("root identity \(signer.identity), key \(signer.key.publicKey.keyID)")
                    Output.line("genesis hash \(hash.hex)")
                }
            }
        }
    }
}
