public import LedgerCrypto
public import LedgerFormat
public import LedgerStore

/// Chooses the checkpoints that anchor an evidence bundle, and so where it ends.
///
/// Without a checkpoint at its last event, nobody could tell a bundle from one with events cut
/// off the end. So a bundle ends exactly at a checkpoint: the `--anchor` files given (kept
/// elsewhere, which is what makes them worth more), and a fresh one signed with the
/// exporter's key when there is one. The end is the period's end, moved later to the largest
/// anchor beyond it; events after the period travel without their payloads.
public enum BundleAnchoring {
    /// Moves `plan.end` to where the checkpoints anchor it and returns them, by size.
    /// - Parameters:
    ///   - anchors: checkpoint files already read (their signatures checked).
    ///   - key: the exporter's key; when given, a checkpoint of the end is signed with it. It
    ///     must be a registered, unrevoked key of the ledger, registered at or before the end.
    /// - Throws: `ExportError.cannotAnchor` when an anchor does not match the ledger, or no
    ///   checkpoint can anchor the end.
    public static func checkpoints(
        for plan: inout ExportPlan, ledger: Ledger, anchors: [Checkpoint], treeAnchors: [TreeCheckpoint] = [], key: Ed25519PrivateKey?,
        now: Timestamp
    ) async throws -> [AnyCheckpoint] {
        for anchor in anchors {
            try await check(anchor, ledger: ledger, head: plan.head)
        }
        for anchor in treeAnchors {
            try await check(anchor, ledger: ledger, head: plan.head)
        }
        let end = max(plan.periodEnd, (anchors.map(\.size) + treeAnchors.map(\.size)).max() ?? 0)
        var checkpoints = anchors
        var trees = treeAnchors
        if let key {
            let keyID = key.publicKey.keyID
            guard let record = try await ledger.keys().first(where: { $0.keyID == keyID }), !record.isRevoked else {
                throw ExportError(.cannotAnchor, "key \(keyID) is not a registered, unrevoked key of this ledger, so it cannot sign the bundle's checkpoint; use --key with one, or give --anchor checkpoints")
            }
            guard record.registeredSeq <= end else {
                throw ExportError(.cannotAnchor, "key \(keyID) was registered at seq \(record.registeredSeq), after the export's end (seq \(end)), so a checkpoint it signs would not anchor it; use an older key, or --anchor")
            }
            let hash = try await hash(at: end, ledger: ledger)
            let fresh: Checkpoint
            do { fresh = try Checkpoint.sign(ledgerID: plan.ledgerID, size: end, headHash: hash, time: now, key: key) } catch {
                throw LedgerError(.crypto, "signing the bundle's checkpoint failed: \(error)")
            }
            if !checkpoints.contains(where: { $0.size == end && $0.keyID == keyID }) { checkpoints.append(fresh) }
            // And the tree's checkpoint note at the end, which proofs and witnesses use.
            let root = try await ledger.treeRoot(size: end).root
            do { trees.append(try TreeCheckpoint.sign(ledgerID: plan.ledgerID, size: end, root: root, key: key)) } catch {
                throw LedgerError(.crypto, "signing the bundle's checkpoint failed: \(error)")
            }
        } else if !anchors.contains(where: { $0.size == end }), !treeAnchors.contains(where: { $0.size == end }) {
            throw ExportError(.cannotAnchor, "the export ends at seq \(end) but no checkpoint anchors it: pass --key (a registered key signs one) or an --anchor checkpoint taken at or after the period's end")
        }
        plan.end = end
        return checkpoints.sorted { ($0.size, $0.time) < ($1.size, $1.time) }.map(AnyCheckpoint.chain)
            + trees.reduce(into: [TreeCheckpoint]()) { unique, tree in if !unique.contains(tree) { unique.append(tree) } }
            .sorted { $0.size < $1.size }.map(AnyCheckpoint.tree)
    }

    private static func check(_ anchor: TreeCheckpoint, ledger: Ledger, head: Int64) async throws {
        guard anchor.ledgerID == ledger.ledgerID else {
            throw ExportError(.cannotAnchor, "checkpoint of size \(anchor.size) belongs to ledger \(anchor.ledgerID), not \(ledger.ledgerID)")
        }
        guard anchor.size <= head else {
            throw ExportError(.cannotAnchor, "checkpoint covers \(anchor.size) events but the ledger holds \(head): events were removed from the end. Run `ledger verify --anchor`.")
        }
        guard try await ledger.treeRoot(size: anchor.size).root == anchor.root else {
            throw ExportError(.cannotAnchor, "the ledger's tree of \(anchor.size) events does not have the root the checkpoint signed: the ledger was rewritten. Run `ledger verify --anchor`.")
        }
    }

    private static func check(_ anchor: Checkpoint, ledger: Ledger, head: Int64) async throws {
        guard anchor.ledgerID == ledger.ledgerID else {
            throw ExportError(.cannotAnchor, "checkpoint of size \(anchor.size) belongs to ledger \(anchor.ledgerID), not \(ledger.ledgerID)")
        }
        guard anchor.size <= head else {
            throw ExportError(.cannotAnchor, "checkpoint covers \(anchor.size) events but the ledger holds \(head): events were removed from the end. Run `ledger verify --anchor`.")
        }
        guard try await hash(at: anchor.size, ledger: ledger) == anchor.headHash else {
            throw ExportError(.cannotAnchor, "event \(anchor.size) does not have the hash the checkpoint names: the ledger was rewritten. Run `ledger verify --anchor`.")
        }
    }

    private static func hash(at seq: Int64, ledger: Ledger) async throws -> SHA256Digest {
        guard let event = try await ledger.events(from: seq, limit: 1).first, event.envelope.seq == seq else {
            throw ExportError(.cannotAnchor, "event \(seq) cannot be read")
        }
        // The anchor must match the hash of the bytes, not the stored copy.
        return DomainSeparation.eventHash(envelopeBytes: event.envelopeBytes)
    }
}
