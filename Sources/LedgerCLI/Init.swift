import ApprovalLedger
import ArgumentParser

extension LedgerTool {
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new ledger whose root key is --key.",
            discussion: """
                Writes the genesis event, which names the ledger id, the format version and the \
                root public key (identity --as, default "root", with the admin capability). \
                Refuses to overwrite an existing file.

                Example:
                  ledger key generate --out root.pem
                  ledger --ledger ops.ledger --key root.pem init
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let path = try global.resolvedLedgerPath()
                try GlobalOptions.requireRegularLedgerFiles(path)
                let signer = Signer(identity: global.identity ?? "root", key: try global.privateKey())
                let ledger = try await Ledger.create(at: path, root: signer, configuration: try global.configuration())
                let head = try await ledger.head()
                switch format {
                case .json:
                    Output.json([
                        "ledgerId": .string(ledger.ledgerID), "path": .string(path), "rootIdentity": .string(signer.identity),
                        "rootKeyId": .string(signer.key.publicKey.keyID.rawValue), "headHash": .string(head.hash.hex),
                    ])
                case .text:
                    Output.line("created ledger \(ledger.ledgerID) at \(path)")
                    Output.line("root identity \(signer.identity), key \(signer.key.publicKey.keyID)")
                    Output.line("genesis hash \(head.hash.hex)")
                }
            }
        }
    }
}
