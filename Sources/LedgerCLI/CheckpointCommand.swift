import ApprovalLedger
import ArgumentParser
import Foundation

extension LedgerTool {
    struct CheckpointCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Write a signed checkpoint (ledger id, size, head hash, time) to a file.",
            discussion: """
                Keep checkpoints away from the ledger (another host, a ticket, a WORM bucket): \
                `ledger verify --anchor FILE` then proves the ledger still holds that head at that \
                size, which is the only way to detect removal of events from the end.

                Example:
                  ledger checkpoint --out ops-$(date +%F).checkpoint
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Where to write the checkpoint (refuses to overwrite).", valueName: "path")) var out: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openLedger(readOnly: true)
                let checkpoint = try await ledger.checkpoint(signer: Signer(identity: "checkpoint", key: try global.privateKey()))
                guard !FileManager.default.fileExists(atPath: out) else {
                    throw LedgerError(.alreadyExists, "'\(out)' already exists; a checkpoint file is never overwritten")
                }
                do {
                    try Data(checkpoint.fileBytes).write(to: URL(fileURLWithPath: out), options: .withoutOverwriting)
                } catch {
                    throw LedgerError(.storage, "cannot write '\(out)': \(error.localizedDescription)")
                }
                switch format {
                case .json: Output.json(checkpointJSON(checkpoint))
                case .text: Output.line("checkpoint of \(checkpoint.size) events, head \(checkpoint.headHash.hex), written to \(out)")
                }
            }
        }

        private func checkpointJSON(_ checkpoint: Checkpoint) -> JSONValue {
            (try? JSONParser.parse(Array(checkpoint.fileBytes.dropLast()))) ?? .null
        }
    }
}
