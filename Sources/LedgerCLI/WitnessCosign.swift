import ApprovalLedger
import ArgumentParser
import Foundation

extension LedgerTool.WitnessCommand {
    struct Cosign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a checkpoint against the witness's state and cosign it (add-checkpoint, locally).",
            discussion: """
                Runs the checks of C2SP tlog-witness add-checkpoint on a checkpoint note file: the \
                log's signature, --old equal to the size the witness last cosigned (0 at first), \
                and a consistency proof from it (--proof). On success records the checkpoint and \
                prints the cosignature line (append it to the note's signature lines). A size \
                conflict prints the witness's size and exits 2 (`size-conflict`).

                --proof takes the C2SP form (one base64 hash a line) or the JSON of `ledger prove \
                consistency --format json`, whose oldSize must equal --old.

                Examples:
                  ledger witness cosign --state wit --key witness.pem --old 0 ops.checkpoint
                  ledger --ledger ops.ledger prove consistency old.checkpoint ops.checkpoint \\
                      --format json > p.json
                  ledger witness cosign --state wit --key witness.pem --old 10 \\
                      --proof p.json ops.checkpoint
                """)

        @OptionGroup var state: WitnessStateOption
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The size the witness last cosigned for the log (0 for none).", valueName: "size")) var old: UInt64
        @Option(help: ArgumentHelp("The consistency proof from --old to the checkpoint's size.", valueName: "file")) var proof: String?
        @Argument(help: ArgumentHelp("The checkpoint note file.", valueName: "note")) var note: String
        @Option(help: "Output format: text or json.") var format: OutputFormat = .text

        func run() async throws {
            try await CommandRunner.run {
                let noteBytes = try InputFile.read(note, what: "checkpoint note", limit: 64 * 1024)
                guard noteBytes.count <= 64 * 1024 else { throw FormatError(.invalidField, "checkpoint note '\(note)' is larger than 64 KiB") }
                let hashes = try proof.map { try Self.readProof($0, old: old) } ?? []
                let request = AddCheckpointRequest(oldSize: old, proof: hashes, checkpoint: try SignedNote(noteBytes))
                let witness = try Witness(directory: state.directory, key: try global.privateKey())
                let line: SignedNote.Signature
                do { line = try witness.addCheckpoint(request) } catch let refusal as WitnessRefusal where refusal.code == .sizeConflict {
                    if format == .json, let size = refusal.currentSize { Output.json(["error": .string(refusal.stableCode), "size": .string(String(size))]) }
                    throw refusal
                }
                switch format {
                case .json:
                    Output.json([
                        "cosignature": .string(line.line), "timestamp": .string(String(try Cosignature(line).timestamp)),
                        "note": .string(String(decoding: SignedNote(text: request.checkpoint.text, signatures: request.checkpoint.signatures + [line]).bytes, as: UTF8.self)),
                    ])
                case .text: Output.line(line.line, terminator: "")
                }
            }
        }

        /// The proof's hashes, from C2SP lines or a `ledger prove consistency` JSON document.
        static func readProof(_ path: String, old: UInt64) throws -> [[UInt8]] {
            let bytes = try InputFile.read(path, what: "proof file", limit: 64 * 1024)
            if bytes.first == UInt8(ascii: "{") {
                guard case .consistency(_, let proof, _, _) = try ProofDocument(JSONParser.parse(bytes)) else {
                    throw FormatError(.invalidField, "proof file '\(path)' is not a consistency proof")
                }
                guard proof.oldSize == old else {
                    throw ValidationError("the proof in '\(path)' is from size \(proof.oldSize), not --old \(old)")
                }
                return proof.hashes
            }
            var hashes: [[UInt8]] = []
            for (number, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n").enumerated() {
                guard let hash = Base64.decode(line), hash.count == 32 else {
                    throw FormatError(.invalidField, "line \(number + 1) of proof file '\(path)' is not a 32-byte hash in base64")
                }
                hashes.append(hash)
            }
            return hashes
        }
    }
}
