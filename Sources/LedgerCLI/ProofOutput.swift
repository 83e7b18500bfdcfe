import ApprovalLedger
import ArgumentParser
import Foundation

/// How `ledger prove` prints a proof and decides whether it holds.
enum ProofOutput {
    /// Why the proof fails its own check or the checkpoint it was made against; nil when it holds.
    static func failure(_ document: ProofDocument, against checkpoint: AnyCheckpoint?, ledger: Ledger) -> String? {
        do throws(MerkleProofError) { try document.check() } catch { return error.message }
        if let checkpoint { return offlineMismatch(checkpoint, document: document) }
        return nil
    }

    /// Whether `root` (the ledger's tree at the checkpoint's size) is what the checkpoint signed.
    static func mismatch(_ checkpoint: AnyCheckpoint, root: SHA256Digest, ledger: Ledger) async throws -> String? {
        switch checkpoint {
        case .chain(let chain):
            let event = try await ledger.events(from: chain.size, limit: 1).first
            guard let event, event.envelope.seq == chain.size, event.hash == chain.headHash else {
                return "the ledger's event \(chain.size) is not the head the checkpoint signed (\(chain.headHash.hex.prefix(16))…): the ledger was rewritten"
            }
            return nil
        case .tree(let tree):
            if tree.ledgerID != ledger.ledgerID { return "the checkpoint belongs to ledger \(tree.ledgerID), not \(ledger.ledgerID)" }
            if tree.root != root { return "the ledger's tree of \(tree.size) events has root \(root.hex.prefix(16))…, but the checkpoint signed \(tree.root.hex.prefix(16))…: the ledger was rewritten" }
            return nil
        }
    }

    /// What a proof document must agree with in a checkpoint, checked without the ledger.
    static func offlineMismatch(_ checkpoint: AnyCheckpoint, document: ProofDocument) -> String? {
        switch (checkpoint, document) {
        case (.chain(let chain), .inclusion(_, let seq, let eventHash, let proof, _)):
            if proof.treeSize != UInt64(chain.size) { return "the proof is in a tree of \(proof.treeSize) events, the checkpoint covers \(chain.size)" }
            if seq == chain.size, eventHash != chain.headHash { return "event \(seq) is not the head the checkpoint signed" }
            return nil
        case (.chain(let chain), .consistency(_, let proof, _, _)):
            if proof.oldSize != UInt64(chain.size), proof.newSize != UInt64(chain.size) {
                return "the proof joins trees of \(proof.oldSize) and \(proof.newSize) events; the checkpoint covers \(chain.size)"
            }
            return nil
        case (.tree(let tree), .inclusion(let ledgerID, _, _, let proof, let root)):
            return treeMismatch(tree, ledgerID: ledgerID, sizes: [proof.treeSize], roots: [root])
        case (.tree(let tree), .consistency(let ledgerID, let proof, let oldRoot, let newRoot)):
            return treeMismatch(tree, ledgerID: ledgerID, sizes: [proof.oldSize, proof.newSize], roots: [oldRoot, newRoot])
        }
    }

    /// The checkpoint's size must be one the proof's roots are at, and its root that root.
    private static func treeMismatch(_ tree: TreeCheckpoint, ledgerID: String, sizes: [UInt64], roots: [SHA256Digest]) -> String? {
        if tree.ledgerID != ledgerID { return "the checkpoint belongs to ledger \(tree.ledgerID), not \(ledgerID)" }
        guard let index = sizes.firstIndex(of: UInt64(tree.size)) else {
            return "the proof is about trees of \(sizes.map(String.init).joined(separator: " and ")) events; the checkpoint covers \(tree.size)"
        }
        if roots[index] != tree.root { return "the proof's root at \(tree.size) is not the root the checkpoint signed" }
        return nil
    }

    /// Prints the proof and whether it checked; a proof that failed exits 1.
    static func report(_ document: ProofDocument, format: OutputFormat, failure: String?) throws {
        print(document, format: format, failure: failure)
        if failure != nil { throw ExitCode(1) }
    }

    static func print(_ document: ProofDocument, format: OutputFormat, failure: String?) {
        switch format {
        case .json:
            guard case .object(var object) = document.jsonValue else { return }
            object["checked"] = .bool(failure == nil)
            if let failure { object["failure"] = .string(failure) }
            Output.json(.object(object))
        case .text:
            switch document {
            case .inclusion(_, let seq, let eventHash, let proof, let root):
                Output.line("inclusion of event \(seq) (leaf \(proof.leafIndex)) in the tree of \(proof.treeSize) events")
                Output.line("  event hash \(eventHash.hex)")
                Output.line("  root       \(root.hex)")
                lines(proof.hashes)
            case .consistency(_, let proof, let oldRoot, let newRoot):
                Output.line("consistency of the tree of \(proof.oldSize) events with the tree of \(proof.newSize)")
                Output.line("  old root   \(oldRoot.hex)")
                Output.line("  new root   \(newRoot.hex)")
                lines(proof.hashes)
            }
            Output.line(failure.map { "FAILED: \($0)" } ?? "checked: the proof holds")
        }
    }

    private static func lines(_ hashes: [[UInt8]]) {
        Output.line("  \(hashes.count) hash\(hashes.count == 1 ? "" : "es")\(hashes.isEmpty ? "" : ":")")
        for hash in hashes { Output.line("    \(Hex.encode(hash))") }
    }
}
