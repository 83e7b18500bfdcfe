import ApprovalLedger
import ArgumentParser
import Foundation

extension LedgerTool {
    struct CheckpointCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Write a signed checkpoint of the ledger (a C2SP checkpoint note of its Merkle tree) to a file.",
            discussion: """
                Keep checkpoints away from the ledger (another host, a ticket, a WORM bucket): \
                `ledger verify --anchor FILE` then proves the ledger still holds what the \
                checkpoint committed to, which is the only way to detect removal of events from \
                the end, and `ledger prove consistency FILE` proves in a few hashes that today's \
                ledger extends it.

                The file is a C2SP tlog-checkpoint signed note (origin approval-ledger/<ledger \
                id>, size, Merkle root; docs/FORMAT.md §Checkpoints), which witnesses can \
                co-sign. --json writes the older JSON checkpoint (size and head hash) instead; \
                every command reads both.

                Examples:
                  ledger checkpoint --out ops-$(date +%F).checkpoint
                  ledger checkpoint --json --out ops-$(date +%F).json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Where to write the checkpoint (refuses to overwrite).", valueName: "path")) var out: String
        @Flag(help: "Write the older JSON checkpoint (size, head hash, time) instead of a checkpoint note.") var json = false
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openLedger(readOnly: true)
                let signer = Signer(identity: "checkpoint", key: try global.privateKey())
                let bytes: [UInt8], summary: JSONValue, line: String
                if json {
                    let checkpoint = try await ledger.checkpoint(signer: signer)
                    bytes = checkpoint.fileBytes
                    summary = (try? JSONParser.parse(Array(checkpoint.fileBytes.dropLast()))) ?? .null
                    line = "checkpoint of \(checkpoint.size) events, head \(checkpoint.headHash.hex), written to \(out)"
                } else {
                    let checkpoint = try await ledger.treeCheckpoint(signer: signer)
                    bytes = checkpoint.fileBytes
                    summary = [
                        "form": "note", "origin": .string(checkpoint.origin), "ledgerId": .string(checkpoint.ledgerID),
                        "size": .integer(checkpoint.size), "root": .string(checkpoint.root.hex),
                        "verifierKey": .string(checkpoint.verifierKey(signer.key.publicKey).description), "path": .string(out),
                    ]
                    line = "checkpoint of \(checkpoint.size) events, tree root \(checkpoint.root.hex), written to \(out)"
                }
                guard !FileManager.default.fileExists(atPath: out) else {
                    throw LedgerError(.alreadyExists, "'\(out)' already exists; a checkpoint file is never overwritten")
                }
                do {
                    try Data(bytes).write(to: URL(fileURLWithPath: out), options: .withoutOverwriting)
                } catch {
                    throw LedgerError(.storage, "cannot write '\(out)': \(error.localizedDescription)")
                }
                switch format {
                case .json: Output.json(summary)
                case .text: Output.line(line)
                }
            }
        }
    }
}
