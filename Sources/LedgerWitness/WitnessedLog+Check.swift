public import LedgerFormat
import LedgerCrypto

extension WitnessedLog {
    /// Decides whether the witness may cosign `request`'s checkpoint given this record: the
    /// checks of c2sp.org/tlog-witness `add-checkpoint`, in its order. Pure: storing the new
    /// record (atomically with the old size check) is the caller's part.
    ///
    /// - Returns: the checkpoint's text, to cosign and record.
    /// - Throws: `WitnessRefusal` with the case and its HTTP status. The caller must have
    ///   matched the origin to this record (or refused with `unknownLog`).
    public func check(_ request: AddCheckpointRequest) throws(WitnessRefusal) -> CheckpointText {
        let text: CheckpointText
        do { text = try CheckpointText(text: request.checkpoint.text) } catch {
            throw WitnessRefusal(.malformedRequest, "the checkpoint's text is not a tlog-checkpoint: \(error.message)")
        }
        guard text.origin == origin else {
            throw WitnessRefusal(.unknownLog, "the checkpoint is for '\(Identifier.printable(text.origin))', not for '\(Identifier.printable(origin))'")
        }
        do { _ = try request.checkpoint.verified(by: logKeys) } catch {
            throw WitnessRefusal(.untrustedCheckpoint, "the checkpoint is not signed by a key trusted for '\(Identifier.printable(origin))': \(error.message)")
        }
        guard request.oldSize <= text.size else {
            throw WitnessRefusal(.oldSizeTooLarge, "the old size \(request.oldSize) is larger than the checkpoint's size \(text.size)")
        }
        guard request.oldSize == size else {
            throw WitnessRefusal(.sizeConflict, "the witness last cosigned '\(Identifier.printable(origin))' at size \(size), not \(request.oldSize): send a proof from \(size)", currentSize: size)
        }
        if text.size == 0, !constantTimeEquals(text.rootHash, MerkleTree.emptyRoot.bytes) {
            throw WitnessRefusal(.invalidEmptyRoot, "a checkpoint of size 0 must have the empty tree's root (SHA-256 of nothing)")
        }
        if request.oldSize == 0 {
            guard request.proof.isEmpty else {
                throw WitnessRefusal(.unexpectedProof, "the old size is 0, so the proof must be empty (every tree extends the empty one), not \(request.proof.count) hashes")
            }
            return text
        }
        // A record with a size > 0 always has a root: `advanced` sets both.
        let oldRoot = rootHash ?? []
        let proof = ConsistencyProof(oldSize: request.oldSize, newSize: text.size, hashes: request.proof)
        do { try proof.verify(oldRoot: oldRoot, newRoot: text.rootHash) } catch {
            throw WitnessRefusal(.inconsistent, "the checkpoint of size \(text.size) is not consistent with the one cosigned at size \(size): \(error.message)")
        }
        return text
    }
}
