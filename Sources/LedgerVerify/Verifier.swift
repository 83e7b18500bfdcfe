internal import Foundation
internal import LedgerCrypto
public import LedgerFormat
public import LedgerStore

/// `ledger verify`: one streaming pass over a ledger that proves it complete, untouched and
/// correctly signed, or says exactly where it is not.
///
/// Memory is bounded by the batch size and the number of keys and streams, not by the number
/// of events; signatures are checked on all cores while the chain is walked.
public struct Verifier: Sendable {
    /// Findings kept in a report; the rest are counted in `findingsOmitted`.
    public static let maxFindings = 10_000

    public var anchors: [Checkpoint]
    /// Checkpoints of the Merkle tree (C2SP notes), held to the tree's root at their size.
    public var treeAnchors: [TreeCheckpoint] = []
    /// Witnesses whose cosignatures count (`--witness-key`), and how many of them every
    /// checkpoint note must carry (`--witnesses`; 0: none required).
    public var witnessKeys: [CosignerKey] = []
    public var requiredWitnesses = 0
    /// Called with the number of events walked so far, for progress display.
    public var progress: (@Sendable (Int64) -> Void)?
    /// The time completeness is judged at (pending past a deadline); nil: the clock.
    public var now: Timestamp?
    /// How many streams' state the walk keeps in memory; the rest is re-read when needed.
    public var streamsInMemory = 10_000
    /// Whether to hold the projection tables (and the digest `ledger rebuild` recorded) and the
    /// stored Merkle tree to the walk's own replay of the events (`ProjectionTableCheck`,
    /// `TreeCheck`). Not applicable to a source without them (a bundle: `EventSnapshot`'s
    /// capabilities are nil); skipped with `sinceCheckpoint`, whose cost must stay proportional
    /// to the new events.
    public var checksProjections = true
    /// For evidence bundles, whose exporter may withhold payloads a ledger must keep: a
    /// request is then replayed up to its first withheld payload (`request-withheld`) instead
    /// of the absence being an error (`payload-missing`).
    public var allowsWithheldPayloads = false
    /// For a bundle of selected events (a request's evidence bundle): seq gaps are expected,
    /// since each event is proven by an inclusion proof the bundle verifier checks.
    public var verifiesSelection = false
    /// How far past this verifier's clock an event may be dated (`time-future` beyond it).
    public static let clockSkew = LedgerConfiguration.defaultClockSkew

    public init(anchors: [Checkpoint] = [], now: Timestamp? = nil, progress: (@Sendable (Int64) -> Void)? = nil) {
        self.anchors = anchors
        self.now = now
        self.progress = progress
    }

    /// Verifies the events of `source` (a `Ledger`, a bundle) from one consistent view of it.
    /// - Throws: only when the source cannot be read at all; every problem in its content is a
    ///   finding in the report.
    public func verify(_ source: any EventSource) throws -> VerificationReport {
        try verify(source, sinceCheckpoint: nil)
    }

    /// Verifies `source`; with `sinceCheckpoint`, only the events after that trusted checkpoint
    /// (after checking that the source still holds the checkpoint's head at its size).
    public func verify(_ source: any EventSource, sinceCheckpoint trusted: Checkpoint?) throws -> VerificationReport {
        try verify(source, since: trusted.map(AnyCheckpoint.chain))
    }

    /// Verifies `source`; with `since`, only the events after that trusted checkpoint (of
    /// either form), after proving that the source still holds what it committed to.
    public func verify(_ source: any EventSource, since trusted: AnyCheckpoint?) throws -> VerificationReport {
        var (report, reuses) = try source.read { snapshot in
            (try walk(snapshot, sinceCheckpoint: trusted), try snapshot.eventTables?.idempotencyKeyReuses(after: trusted?.size ?? 0) ?? [])
        }
        var findings = report.findings
        findings += reuses.map { reuse in
            Finding(.duplicateIdempotencyKey, seq: reuse.seq, "idempotency key '\(Identifier.printable(reuse.key))' was already used by event \(reuse.firstSeq); the storage forbids a second event with it")
        }
        findings.sort { ($0.seq ?? .max, $0.code.rawValue) < ($1.seq ?? .max, $1.code.rawValue) }
        // Errors and warnings are listed before notes, so a ledger with many redacted payloads
        // (one note each) still shows, and is judged on, everything that can fail.
        let failing = findings.filter { $0.severity != .info }
        let notes = findings.filter { $0.severity == .info }
        let listedNotes = notes.prefix(max(0, Self.maxFindings - failing.count))
        report.findingsOmitted = max(0, failing.count - Self.maxFindings)
        report.notesOmitted = notes.count - listedNotes.count
        report.findings = (failing.prefix(Self.maxFindings) + listedNotes)
            .sorted { ($0.seq ?? .max, $0.code.rawValue) < ($1.seq ?? .max, $1.code.rawValue) }
        return report
    }

    /// The streaming pass: the chain walked on this thread, signatures checked on all cores.
    /// Returns a report with every finding of the pass, not yet sorted or capped.
    private func walk(_ snapshot: any EventSnapshot, sinceCheckpoint trusted: AnyCheckpoint?) throws -> VerificationReport {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let checker = SignatureChecker(maxInFlightChunks: max(4, cores * 4))
        var treeFindings: [Finding] = []
        let latestTime = Self.latestTime()
        // The stored tree is derived data like the projections: held to the events where the
        // walk rebuilds it from the genesis, in a source that stores one.
        var tree: (any StoredTree)?
        if checksProjections, trusted == nil, let stored = snapshot.storedTree, try stored.hasTree() { tree = stored }
        let checksTree = tree != nil
        var treeCheck = TreeCheck()
        // The projections are held to the walk's replay as it goes; skipped after a trusted
        // checkpoint, whose cost must follow the new events, and in a source without them.
        let tables = checksProjections && trusted == nil ? snapshot.projectionTables : nil
        let checksTables = tables != nil
        var tableCheck = ProjectionTableCheck()
        var tableFindings: [Finding] = []
        let witnessFindings = Self.witnessFindings(
            treeAnchors + (trusted.flatMap { if case .tree(let note) = $0 { [note] } else { nil } } ?? []),
            keys: witnessKeys, required: requiredWitnesses)
        try tables?.requireProjectionTables()
        // Every row of the file is accounted for: those outside the ledger are findings.
        var startFindings = try Self.rowsOutsideLedger(snapshot.eventTables)
        var walker: ChainWalker
        if let trusted {
            let proof = try PrefixProof.prove(trusted, snapshot: snapshot)
            walker = ChainWalker(
                resumingAfter: trusted, prefix: proof.systemEvents, absentPayloads: proof.absentPayloads, anchors: anchors, treeAnchors: treeAnchors,
                streamsInMemory: streamsInMemory, headHash: proof.headHash, headTime: proof.headTime, tree: proof.tree,
                latestTime: latestTime)
            startFindings += proof.findings + Self.check(trusted, walker: walker)
            startFindings += Self.checkOlderTreeAnchors(treeAnchors, trusted: trusted, walker: walker, tree: snapshot.storedTree)
        } else {
            walker = ChainWalker(
                anchors: anchors, treeAnchors: treeAnchors, streamsInMemory: streamsInMemory, latestTime: latestTime,
                allowsWithheldPayloads: allowsWithheldPayloads, projects: checksTables)
            walker.isSelection = verifiesSelection
        }
        let earlier: any EarlierEvents = snapshot
        try snapshot.scan(from: (trusted?.size ?? 0) + 1, through: .max, batchSize: 1024) { rows in
            var jobs: [ChainWalker.SignatureJob] = []
            jobs.reserveCapacity(rows.count)
            for row in rows {
                try walker.walk(row, earlier: earlier, into: &jobs)
            }
            if let tree { treeFindings += try treeCheck.check(walker.takeTreeNodes(), tree: tree) }
            if let tables { try tableCheck.compare(walker.takeReleasedProjections(), tables: tables) }
            checker.submit(jobs)
            progress?(walker.count)
        }
        startFindings += try Self.projectionsAhead(snapshot.projectionTables, head: walker.lastSeq)
        if let tables {
            try tableCheck.compare(walker.takeReleasedProjections(), tables: tables)
            try walker.forEachHeldProjection { try tableCheck.compare([$0], tables: tables) }
            tableFindings = try tableCheck.finish(tables: tables, head: walker.lastSeq)
        }
        // An empty ledger is `ledger-empty` already; its leftover tree rows add nothing.
        if let tree, let size = walker.tree?.size, size > 0 { treeFindings += try treeCheck.finish(size: size, tree: tree) }
        walker.finish(now: now ?? Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)))
        let (failed, checked) = checker.finish()

        var report = VerificationReport()
        report.findings = witnessFindings + startFindings + walker.findings + treeFindings + tableFindings
            + failed.map { failure in
                switch failure.kind {
                case .event: Finding(.signatureInvalid, seq: failure.seq, "the Ed25519 signature does not verify under the key the event names: the event was forged or altered")
                case .command: Finding(.commandSignatureInvalid, seq: failure.seq, "the caller's signature over the command does not verify under the caller's key: the relay recorded a command its caller did not sign")
                }
            }
        report.ledgerID = walker.ledgerID
        report.events = walker.count
        report.firstSeq = trusted.map { $0.size + 1 } ?? 1
        report.headHash = walker.headHash?.hex
        report.firstTime = walker.firstTime
        report.lastTime = walker.lastTime
        report.keysSeen = walker.timeline.entries.count
        report.requestsWithheld = walker.requestsWithheld
        report.requests = walker.requests
        report.policyVersions = walker.policyVersions
        report.eventsReplayed = walker.eventsReplayed
        report.signaturesChecked = checked
        report.anchorsChecked = anchors.count + treeAnchors.count + (trusted == nil ? 0 : 1)
        report.checks = Self.checks(anchored: !anchors.isEmpty || !treeAnchors.isEmpty || trusted != nil)
        if checksTree { report.checks.append("tree") }
        if checksTables { report.checks.append("projections") }
        return report
    }

    /// The clock the verifier judges event times by: its own, plus the allowed skew.
    static func latestTime() -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)).adding(milliseconds: clockSkew.components.seconds * 1000)
    }

    /// Rows of the events table outside the ledger, and payload rows of no event (none in a
    /// source without such tables).
    static func rowsOutsideLedger(_ tables: (any EventTables)?) throws -> [Finding] {
        guard let tables else { return [] }
        var findings = try tables.rowsOutsideLedger(limit: maxFindings).map { row in
            Finding(.seqInvalid, seq: row.seq, "a row of the events table has seq \(row.seq) (type '\(Identifier.printable(row.type))', stream '\(Identifier.printable(row.stream))'), outside the ledger's 1…N: no writer makes one, and no command reads it; it was written into the file by hand")
        }
        findings += try tables.orphanPayloadSeqs(limit: maxFindings).map { seq in
            Finding(.payloadOrphan, seq: seq, "a row of the payloads table has seq \(seq), which no event of the ledger has")
        }
        return findings
    }

    /// Projections built from events past the head: the tail of the log was removed after
    /// they were written (a rebuild would erase that evidence).
    static func projectionsAhead(_ tables: (any ProjectionTables)?, head: Int64) throws -> [Finding] {
        guard let reach = try tables?.projectionsReach() else { return [] }
        var findings: [Finding] = []
        if reach.tables > head {
            findings.append(Finding(.projectionAhead, seq: nil, "the projection tables record event \(reach.tables), but the log ends at seq \(head): events were removed from the end (do not run `ledger rebuild`, which would erase this evidence)"))
        }
        if let recorded = reach.recorded, recorded > head {
            findings.append(Finding(.projectionAhead, seq: nil, "the rebuild digest was recorded through seq \(recorded), but the log ends at seq \(head): events were removed from the end"))
        }
        return findings
    }

    /// The trusted checkpoint a walk starts from must be signed by a key valid at its size
    /// (the prefix proof matched its head hash).
    static func check(_ checkpoint: AnyCheckpoint, walker: ChainWalker) -> [Finding] {
        var findings: [Finding] = []
        if let ledgerID = walker.ledgerID, ledgerID != checkpoint.ledgerID {
            findings.append(Finding(.anchorForeign, seq: nil, "the checkpoint belongs to ledger \(checkpoint.ledgerID), not \(ledgerID)"))
        }
        let timeline = walker.timeline, size = checkpoint.size
        func isValid(_ keyID: KeyID) -> Bool {
            if case .valid = timeline.status(of: keyID, at: size + 1) { return true }
            return false
        }
        switch checkpoint {
        case .chain(let chain) where !isValid(chain.keyID):
            findings.append(Finding(.anchorUntrusted, seq: nil, "the checkpoint is signed by key \(chain.keyID), which is not a valid key of this ledger at seq \(size)"))
        case .tree(let note) where note.signer(among: timeline.entries.values.filter { isValid($0.registration.keyID) }.map(\.registration.publicKey)) == nil:
            findings.append(Finding(.anchorUntrusted, seq: nil, "no key of this ledger valid at seq \(size) signed the checkpoint (under \(note.origin))"))
        default:
            break
        }
        return findings
    }

    /// Tree checkpoints older than the trusted one an incremental walk starts after: each is
    /// held to it by a consistency proof from the stored tree (O(log n) reads), not by walking
    /// the events between them again, and to a key of the ledger valid at its size.
    static func checkOlderTreeAnchors(
        _ anchors: [TreeCheckpoint], trusted: AnyCheckpoint, walker: ChainWalker, tree: (any StoredTree)?
    ) -> [Finding] {
        guard case .tree(let newer) = trusted else { return [] }
        var findings: [Finding] = []
        for anchor in anchors where anchor.size <= newer.size {
            let signer = Self.check(.tree(anchor), walker: walker)
            findings += signer
            guard signer.isEmpty else { continue }
            do {
                guard let tree else { throw LedgerError(.unsupportedVersion, "the source stores no Merkle tree") }
                let proof = try MerkleTree.consistencyProof(oldSize: UInt64(anchor.size), newSize: UInt64(newer.size), subtree: tree.subtree)
                try proof.verify(oldRoot: anchor.root.bytes, newRoot: newer.root.bytes)
            } catch let error as MerkleProofError {
                findings.append(Finding(.anchorMismatch, seq: anchor.size, "the checkpoint of size \(anchor.size) is not consistent with the trusted checkpoint of size \(newer.size): \(error.message); the ledger was rewritten between them, or one of them is of another history"))
            } catch {
                findings.append(Finding(.anchorMismatch, seq: anchor.size, "no consistency proof from size \(anchor.size) to \(newer.size) can be made from the stored tree (\(error)); run a full `ledger verify --anchor`"))
            }
        }
        return findings
    }

    /// Each note must carry valid cosignatures (C2SP tlog-cosignature) of at least `required`
    /// distinct witnesses among `keys`: a log operator cannot show this history to one auditor
    /// and another to the next without those witnesses co-signing both.
    static func witnessFindings(_ notes: [TreeCheckpoint], keys: [CosignerKey], required: Int) -> [Finding] {
        guard required > 0 else { return [] }
        return notes.compactMap { note in
            let witnessed = keys.filter { key in note.note.signatures.contains { key.isValid($0, text: note.note.text) } }
            guard witnessed.count < required else { return nil }
            return Finding(.anchorUnwitnessed, seq: nil, "the checkpoint of size \(note.size) carries valid cosignatures of \(witnessed.count) of the given witnesses, \(required) required\(witnessed.isEmpty ? "" : " (\(witnessed.map(\.name).joined(separator: ", ")))")")
        }
    }

    static func checks(anchored: Bool) -> [String] {
        var checks = [
            "rows", "sequence", "hashes", "chain", "columns", "payload-commitments", "time", "stream-versions", "key-timeline",
            "signatures", "policies", "conformance", "completeness",
        ]
        if anchored { checks.append("anchors") }
        return checks
    }
}
