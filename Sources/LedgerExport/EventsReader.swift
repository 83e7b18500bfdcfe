internal import LedgerCrypto
internal import LedgerFormat
internal import LedgerStore
internal import LedgerVerify

/// Reads `events.jsonl` of a bundle line by line, checking what only the lines can show (their
/// syntax, their `seq` members and idempotency keys), and indexes the valid lines as the rows
/// of a `BundleEvents` source for the verifier.
struct EventsReader {
    private(set) var lines: Int64 = 0
    /// The `seq` member of the last valid line.
    private(set) var lastSeq: Int64 = 0
    /// The latest time of a valid envelope.
    private(set) var lastTime: Timestamp?
    private(set) var absentPayloads: Int64 = 0
    private(set) var findings: [BundleFinding] = []
    /// Findings of docs/FORMAT.md §Verification that only the lines can show: `seq-gap` from
    /// the `seq` members (the walk sees the rows numbered 1, 2, 3… in file order, whatever the
    /// lines say, so a gap is reported here, once, and the chain is still linked across it),
    /// and `duplicate-idempotency-key` (a bundle has no column that refuses a second use).
    private(set) var sequenceFindings: [Finding] = []
    private var rows: Int64 = 0
    /// A request bundle's rows keep their lines' own seqs (its events are a selection, placed
    /// by their proofs); they must rise.
    var keepsSeqs = false
    /// Each valid line's seq and recomputed event hash, for a request bundle's proofs.
    private(set) var hashes: [(seq: Int64, hash: SHA256Digest)] = []
    private var streamVersions: Set<String> = []
    private var idempotencyKeys: Set<String> = []

    /// Reads the file at `path` and returns its valid lines as an event source.
    mutating func read(_ path: String, progress: (Int64) -> Void) throws -> BundleEvents {
        let events = BundleEvents(path: path)
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
            let storedStreamVersion = check(line)
            let row = Self.row(line, seq: keepsSeqs ? line.seq : rows, storedStreamVersion: storedStreamVersion)
            events.append(row, offset: reader.lineOffset, length: bytes.count, storedStreamVersion: storedStreamVersion)
            if lines % 4096 == 0 { progress(lines) }
        }
        progress(lines)
        return events
    }

    /// Notes what `line` says about the bundle as a whole. Returns the stream version its row
    /// stores instead of the envelope's: a second event claiming a stream's version is numbered
    /// apart (`-row`, which no envelope has), so reads by stream still find each version once,
    /// and the claim is `stream-version-gap` in the walk.
    private mutating func check(_ line: EventLine) -> Int64? {
        var storedStreamVersion: Int64?
        if let envelope = line.envelope {
            lastTime = max(lastTime ?? envelope.time, envelope.time)
            if !streamVersions.insert("\(envelope.stream)\u{0}\(envelope.streamVersion)").inserted {
                storedStreamVersion = -rows
            }
            if let key = envelope.idempotencyKey, !idempotencyKeys.insert(key).inserted {
                sequenceFindings.append(Finding(
                    .duplicateIdempotencyKey, seq: envelope.seq,
                    "idempotency key '\(Identifier.printable(key))' was already used by an earlier event (line \(lines) of \(BundleExport.eventsFile)); no ledger can hold both"))
            }
        }
        if line.payloadBytes == nil {
            absentPayloads += 1
        }
        return storedStreamVersion
    }

    /// The row of `line` at `seq`: its bytes as the line carries them, its columns copied from
    /// its envelope.
    static func row(_ line: EventLine, seq: Int64, storedStreamVersion: Int64?) -> StoredEvent {
        StoredEvent(
            seq: seq, hash: line.hash, envelopeBytes: line.envelopeBytes, signature: line.signature,
            payloadBytes: line.payloadBytes, envelope: line.envelope, storedStreamVersion: storedStreamVersion)
    }
}
