internal import Dispatch
internal import Foundation
internal import LedgerCrypto
internal import LedgerFormat
internal import LedgerStore

/// What an incremental verify (`--since-checkpoint`) relies on, proven to be what the trusted
/// checkpoint committed to.
///
/// An incremental verify trusts a checkpoint it verified before, and then rests on the
/// events before it: the key timeline and the policies (from the system events) and the
/// earlier events of requests still in flight. The file may have been edited since, so that
/// trust is re-earned here, cheaply, without a signature check: every envelope of the prefix
/// is hashed and the hashes are linked from the genesis up to the checkpoint's head hash, which
/// proves each envelope is byte for byte one the checkpoint committed to; every indexed column
/// is held to its envelope, so reads by stream return exactly the committed events; and every
/// payload to its commitment. A hash chain can only prove that by rehashing the prefix: one
/// SHA-256 of each envelope and payload, on all cores: about a seventh of a full verify's cost
/// per event (docs/PERFORMANCE.md), and linear in the prefix.
struct PrefixProof {
    /// Problems found in the prefix, as findings at their seqs.
    var findings: [Finding] = []
    /// The system events of the prefix (genesis, keys, policies), judged by their envelopes.
    var systemEvents: [StoredEvent] = []
    /// The time of the checkpoint's head event.
    var headTime: Timestamp?
    /// The hash of the checkpoint's head event, recomputed from its envelope.
    var headHash: SHA256Digest?
    /// The Merkle tree of the prefix, from the recomputed hashes, so the walk after it can
    /// go on computing roots.
    var tree = MerkleFrontier()
    /// Events of the prefix whose payload is absent and may be erased, with their recomputed
    /// hashes: each must be answered for by a redaction, in the prefix or after it, or it is
    /// `payload-missing`.
    var absentPayloads: [Int64: SHA256Digest] = [:]

    /// The per-row half, independent of every other row: run on all cores.
    private struct RowCheck: Sendable {
        var hash = SHA256Digest.zero
        var envelope: EventEnvelope?
        var problems: [(FindingCode, String)] = []
        /// The payload is present and is the one the envelope commits to.
        var payloadProven = false
        /// The payload is absent, and the type's payload may be erased by a redaction.
        var payloadErasedOrDeleted = false
    }

    static func prove(_ checkpoint: AnyCheckpoint, snapshot: any EventSnapshot) throws -> PrefixProof {
        var proof = PrefixProof()
        var expected: Int64 = 1
        var previous = SHA256Digest.zero
        let cores = ProcessInfo.processInfo.activeProcessorCount
        try snapshot.scan(from: 1, through: checkpoint.size, batchSize: 4096) { rows in
            let checks = Self.check(rows, workers: cores)
            for (row, check) in zip(rows, checks) {
                if row.seq != expected {
                    proof.findings.append(Finding(.seqGap, seq: row.seq, "events \(expected)…\(row.seq - 1) before the trusted checkpoint are missing"))
                }
                expected = row.seq + 1
                for (code, message) in check.problems { proof.findings.append(Finding(code, seq: row.seq, message)) }
                if let envelope = check.envelope {
                    if envelope.previousHash != previous {
                        proof.findings.append(Finding(.chainBroken, seq: row.seq, "before the trusted checkpoint, prevHash does not link to the hash of event \(row.seq - 1): the prefix was rewritten after the checkpoint was signed"))
                    }
                    // A system event whose payload was replaced or removed is left out: what it
                    // would register, revoke or publish is unproven, and is not relied on.
                    if envelope.stream.hasPrefix("$"), check.payloadProven { proof.systemEvents.append(row) }
                    if row.seq == checkpoint.size { proof.headTime = envelope.time }
                }
                if check.payloadErasedOrDeleted { proof.absentPayloads[row.seq] = check.hash }
                previous = check.hash
                proof.tree.append(MerkleTree.leafHash(check.hash.bytes))
            }
        }
        proof.headHash = previous
        if expected <= checkpoint.size {
            proof.findings.append(Finding(.anchorAhead, seq: nil, "the trusted checkpoint covers \(checkpoint.size) events but the ledger holds \(expected - 1) of them: events were removed"))
        } else {
            switch checkpoint {
            case .chain(let chain) where previous != chain.headHash:
                proof.findings.append(Finding(.anchorMismatch, seq: chain.size, "the events up to the trusted checkpoint hash to \(previous.hex.prefix(16))…, but the checkpoint says \(chain.headHash.hex.prefix(16))…: the ledger was rewritten before it"))
            case .tree(let note) where proof.tree.root != note.root:
                proof.findings.append(Finding(.anchorMismatch, seq: note.size, "the Merkle tree of the events up to the trusted checkpoint has root \(proof.tree.root.hex.prefix(16))…, but the checkpoint says \(note.root.hex.prefix(16))…: the ledger was rewritten before it"))
            default:
                break
            }
        }
        return proof
    }

    private static func check(_ rows: [StoredEvent], workers: Int) -> [RowCheck] {
        var checks = [RowCheck](repeating: RowCheck(), count: rows.count)
        let workers = max(1, min(workers, rows.count / 256))
        checks.withUnsafeMutableBufferPointer { output in
            // Each worker writes only the indices it owns: no two touch the same element.
            nonisolated(unsafe) let output = output
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var timeText: [UInt8] = []
                var index = worker
                while index < rows.count {
                    output[index] = check(rows[index], timeText: &timeText)
                    index += workers
                }
            }
        }
        return checks
    }

    private static func check(_ row: StoredEvent, timeText: inout [UInt8]) -> RowCheck {
        var check = RowCheck()
        check.hash = DomainSeparation.eventHash(envelopeBytes: row.envelopeBytes)
        let envelope: EventEnvelope
        do { envelope = try EventEnvelope(canonicalBytes: row.envelopeBytes) } catch {
            check.problems.append((.envelopeInvalid, "before the trusted checkpoint, the stored envelope is not a valid canonical envelope: \(error.message)"))
            return check
        }
        check.envelope = envelope
        let differing = row.differingColumns(from: envelope, timeText: &timeText)
        if !differing.isEmpty { check.problems.append((.columnMismatch, StoredEvent.columnMessage(differing))) }
        if let bytes = row.payloadBytes {
            if SHA256.hash(bytes) != envelope.payloadHash {
                check.problems.append((.payloadMismatch, "before the trusted checkpoint, the stored payload does not match the payloadHash its envelope commits to: it was replaced after the checkpoint was signed"))
            } else {
                check.payloadProven = true
            }
        } else if RequiredPayloads.isRequired(eventType: envelope.type) {
            check.problems.append((.payloadMissing, "before the trusted checkpoint, the payload of this \(envelope.type) event is absent, but the rules are re-derived from it"))
        } else {
            check.payloadErasedOrDeleted = true
        }
        return check
    }
}
