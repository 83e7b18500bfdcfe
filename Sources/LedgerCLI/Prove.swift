import ApprovalLedger
import ArgumentParser
import Foundation

extension LedgerTool {
    struct Prove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print and check Merkle proofs: an event is in the ledger, a ledger extends an earlier one.",
            discussion: """
                The ledger keeps an RFC 6962 Merkle tree over its events (docs/FORMAT.md §Merkle \
                tree), so either proof is a few dozen hashes, made in O(log n) reads, and anyone \
                holding a checkpoint can check it without the ledger: `ledger prove check`.

                Examples:
                  ledger prove inclusion 1042 --checkpoint ops-2026-12-01.checkpoint
                  ledger prove consistency old.cp new.cp --format json > p.json
                  ledger prove check p.json --checkpoint new.cp
                """,
            subcommands: [Inclusion.self, Consistency.self, Check.self])
    }
}

extension LedgerTool.Prove {
    struct Inclusion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that event SEQ is in the ledger (in the tree of a checkpoint, or of the whole ledger).",
            discussion: """
                With --checkpoint, the proof is made in the tree of the checkpoint's size and \
                checked against the root the checkpoint signed (a JSON checkpoint, which has no \
                root, is held to its head hash instead). Exit 0 when the proof checks, 1 when it \
                does not.

                Examples:
                  ledger prove inclusion 1042
                  ledger prove inclusion 1042 --checkpoint ops.checkpoint --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The event's seq.") var seq: Int64
        @Option(help: ArgumentHelp("Prove against this checkpoint's tree.", valueName: "file")) var checkpoint: String?
        @Option(help: "Prove in the tree of the first N events (default: all).") var size: Int64?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func validate() throws {
            if checkpoint != nil, size != nil { throw ValidationError("give --checkpoint or --size, not both") }
        }

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openLedger(readOnly: true)
                let anchor = try checkpoint.map(LedgerTool.Verify.readCheckpoint)
                let made = try await ledger.inclusionProof(seq: seq, size: anchor?.size ?? size)
                let document = ProofDocument.inclusion(
                    ledgerID: ledger.ledgerID, seq: seq, eventHash: made.event.hash, proof: made.proof, root: made.root)
                let failure = ProofOutput.failure(document, against: anchor, ledger: ledger)
                try ProofOutput.report(document, format: format, failure: failure)
            }
        }
    }

    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that the ledger (or NEW) extends OLD: every event OLD covers is still there, unchanged.",
            discussion: """
                OLD and NEW are checkpoint files; without NEW the proof goes to the ledger as it \
                is now. The proof is checked against the roots the checkpoints signed (a JSON \
                checkpoint is held to its head hash). Exit 0 when it checks, 1 when it does not.

                Examples:
                  ledger prove consistency ops-2026-11-01.checkpoint
                  ledger prove consistency old.checkpoint new.checkpoint --format json
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The earlier checkpoint.", valueName: "old")) var old: String
        @Argument(help: ArgumentHelp("The later checkpoint (default: the ledger now).", valueName: "new")) var new: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let ledger = try await global.openLedger(readOnly: true)
                let oldCheckpoint = try LedgerTool.Verify.readCheckpoint(old)
                let newCheckpoint = try new.map(LedgerTool.Verify.readCheckpoint)
                let made = try await ledger.consistencyProof(from: oldCheckpoint.size, to: newCheckpoint?.size)
                let document = ProofDocument.consistency(
                    ledgerID: ledger.ledgerID, proof: made.proof, oldRoot: made.oldRoot, newRoot: made.newRoot)
                var failure = ProofOutput.failure(document, against: nil, ledger: ledger)
                for (checkpoint, root) in [(oldCheckpoint, made.oldRoot), (newCheckpoint, made.newRoot)] {
                    guard failure == nil, let checkpoint else { continue }
                    failure = try await ProofOutput.mismatch(checkpoint, root: root, ledger: ledger)
                }
                try ProofOutput.report(document, format: format, failure: failure)
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a proof file (from `ledger prove … --format json` or a bundle) without the ledger.",
            discussion: """
                The proof must lead to the roots it names; with --checkpoint (a C2SP checkpoint \
                note), to the root that checkpoint signed at that size. Exit 0 when it checks, 1 \
                when it does not.

                Example:
                  ledger prove check proof.json --checkpoint ops-2026-12-01.checkpoint
                """)

        @Argument(help: ArgumentHelp("The proof file.", valueName: "proof")) var proof: String
        @Option(help: ArgumentHelp("A checkpoint whose root the proof must lead to.", valueName: "file")) var checkpoint: String?
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let document = try LedgerTool.Verify.readProof(proof)
                var failure: String?
                do throws(MerkleProofError) { try document.check() } catch { failure = error.message }
                if failure == nil, let checkpoint {
                    failure = ProofOutput.offlineMismatch(try LedgerTool.Verify.readCheckpoint(checkpoint), document: document)
                }
                try ProofOutput.report(document, format: format, failure: failure)
            }
        }
    }
}
