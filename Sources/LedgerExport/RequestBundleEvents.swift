internal import LedgerCrypto
internal import LedgerFormat
internal import LedgerStore

/// The events of a request bundle (docs/FORMAT.md §Request bundles): the named requests'
/// events, every system event (the genesis, keys and policies they are judged by) and the
/// event at the bundle's size, each written to `events.jsonl` with its inclusion proof in the
/// tree of that size written to `proofs.jsonl`, in the same order.
///
/// Proofs are made from the same read snapshot as the events, O(log n) reads each: the
/// bundle costs what the request is, not what the ledger is.
enum RequestBundleEvents {
    static let proofsFile = "proofs.jsonl"

    static func write(ledger: Ledger, plan: ExportPlan, events: OutputFile, proofs: OutputFile, progress: ((Int64) -> Void)?) throws -> ExportSummary {
        var summary = ExportSummary(format: "jsonl", path: events.path)
        summary.eventsInPeriod = plan.eventsInPeriod
        summary.requests = plan.requests.count
        var line: [UInt8] = []
        var lastEnvelope: [UInt8]?
        let size = UInt64(plan.end)
        // One root for the whole bundle, read in the scan's snapshot: every proof leads to it.
        var root = SHA256Digest.zero
        try ledger.scan(before: { root = try MerkleTree.root(size: size, subtree: $0.subtree) }) { rows, snapshot in
            for row in rows where row.seq <= plan.end {
                // The column picks candidates; the envelope, which the proof covers, decides.
                guard row.stream.hasPrefix("$") || plan.requests.contains(row.stream) || row.seq == plan.end else { continue }
                let exported = try ExportedEvent.exported(row, plan: plan)
                let stream = exported.event.envelope.stream
                guard stream.hasPrefix("$") || plan.requests.contains(stream) || row.seq == plan.end else { continue }
                line.removeAll(keepingCapacity: true)
                EventLine.write(exported.event, into: &line)
                try events.write(line)
                let proof = try MerkleTree.inclusionProof(leafIndex: UInt64(row.seq - 1), treeSize: size, subtree: snapshot.subtree)
                let document = ProofDocument.inclusion(ledgerID: plan.ledgerID, seq: row.seq, eventHash: exported.event.hash, proof: proof, root: root)
                try proofs.write(CanonicalJSON.encode(document.jsonValue) + [0x0A])
                summary.count(exported)
                lastEnvelope = exported.event.envelopeBytes
            }
            progress?(min(rows.last?.seq ?? 0, plan.end))
        }
        summary.headHash = lastEnvelope.map { DomainSeparation.eventHash(envelopeBytes: $0) }
        summary.bytes = events.count
        return summary
    }
}
