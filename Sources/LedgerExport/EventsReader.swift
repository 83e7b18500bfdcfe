internal import LedgerCrypto
internal import LedgerFormat
internal import LedgerStore
internal import LedgerVerify

/// Reads `events.jsonl` of a bundle line by line into rows for the scratch ledger, checking
/// what only the lines can show: their syntax, their `seq` members and idempotency keys.
struct EventsReader {
    private(set) var lines: Int64 = 0
    /// The `seq` member of the last valid line.
    private(set) var lastSeq: Int64 = 0
    /// The latest time of a valid envelope.
    private(set) var lastTime: Timestamp?
    private(set) var absentPayloads: Int64 = 0
    private(set) var findings: [BundleFinding] = []
    /// Findings of docs/FORMAT.md §Verification that only the lines can show, since the
    /// scratch ledger holds copies this reader made: `seq-gap` from the `seq` members (the
    /// scratch ledger numbers its rows 1, 2, 3… whatever the lines say), and
    /// `duplicate-idempotency-key` (the scratch ledger's UNIQUE column holds each key once).
    private(set) var sequenceFindings: [Finding] = []
    private var rows: Int64 = 0
    /// A request bundle's lines keep their own seqs in the scratch ledger (its events are a
    /// selection, placed by their proofs); they must rise.
    var keepsSeqs = false
    /// Each valid line's seq and recomputed event hash, for a request bundle's proofs.
    private(set) var hashes: [(seq: Int64, hash: SHA256Digest)] = []
    private var streamVersions: Set<String> = []
    private var idempotencyKeys: Set<String> = []

    mutating func read(_ path: String, insert: (StoredEvent) throws -> Void, progress: (Int64) -> Void) throws {
        var reader = try LineReader(path: path, maxLine: EventLine.limits.maxBytes)
        defer { reader.close() }
        while let (bytes, terminated) = try reader.next() {
            lines += 1
            let subject = "\(BundleExport.eventsFile):\(lines)"
            guard terminated else {
                findings.append(BundleFinding(.lineInvalid, subject, bytes.count >= EventLine.limits.maxBytes
                    ? "the line is longer than \(EventLine.limits.maxBytes) bytes"
                    : "the last line does not end with a line feed (the file was cut short?)"))
                continue
            }
            let line: EventLine
            do { line = try EventLine(line: bytes) } catch {
                findings.append(BundleFinding(.lineInvalid, subject, error.message))
                continue
            }
            if keepsSeqs {
                guard line.seq > lastSeq else {
                    findings.append(BundleFinding(.lineInvalid, subject, "seq \(line.seq) follows \(lastSeq): a request bundle's lines rise in seq"))
                    continue
                }
                hashes.append((line.seq, DomainSeparation.eventHash(envelopeBytes: line.envelopeBytes)))
            } else if line.seq != lastSeq + 1 {
                sequenceFindings.append(Finding(.seqGap, seq: line.seq, line.seq > lastSeq + 1
                    ? "events \(lastSeq + 1)…\(line.seq - 1) are missing: the sequence jumps from \(lastSeq) to \(line.seq)"
                    : "seq \(line.seq) follows \(lastSeq): the sequence is out of order"))
            }
            lastSeq = line.seq
            rows += 1
            try insert(row(line))
            if lines % 4096 == 0 { progress(lines) }
        }
        progress(lines)
    }

    /// The row for `line`, with the column copies the storage's UNIQUE constraints accept.
    private mutating func row(_ line: EventLine) -> StoredEvent {
        var storedStreamVersion: Int64?
        var storedIdempotencyKey: String??
        if let envelope = line.envelope {
            lastTime = max(lastTime ?? envelope.time, envelope.time)
            if !streamVersions.insert("\(envelope.stream)\u{0}\(envelope.streamVersion)").inserted {
                storedStreamVersion = -rows
            }
            if let key = envelope.idempotencyKey, !idempotencyKeys.insert(key).inserted {
                storedIdempotencyKey = .some(nil)
                sequenceFindings.append(Finding(
                    .duplicateIdempotencyKey, seq: envelope.seq,
                    "idempotency key '\(Identifier.printable(key))' was already used by an earlier event (line \(lines) of \(BundleExport.eventsFile)); no ledger can hold both"))
            }
        }
        if line.payloadBytes == nil {
            absentPayloads += 1
        }
        return StoredEvent(
            seq: keepsSeqs ? line.seq : rows, hash: line.hash, envelopeBytes: line.envelopeBytes, signature: line.signature,
            payloadBytes: line.payloadBytes, envelope: line.envelope, storedStreamVersion: storedStreamVersion,
            storedIdempotencyKey: storedIdempotencyKey)
    }
}
