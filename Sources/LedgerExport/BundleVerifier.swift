internal import Foundation
internal import LedgerCrypto
public import LedgerFormat
internal import LedgerStore
internal import LedgerVerify

/// `ledger verify --bundle`: checks an evidence bundle offline (docs/FORMAT.md §Evidence
/// bundles).
///
/// The bundle's checks (manifest, file hashes, line syntax, anchoring) are done here; the
/// events are then judged, read in place from `events.jsonl` (`BundleEvents`), by the same
/// `Verifier` as `ledger verify`, with the bundle's checkpoints as anchors, so the ledger
/// checks and their findings are the same ones.
public struct BundleVerifier: Sendable {
    /// Checkpoints the auditor holds from elsewhere, checked besides the bundle's own.
    public var extraAnchors: [Checkpoint]
    /// Tree checkpoints (C2SP notes) the auditor holds from elsewhere.
    public var extraTreeAnchors: [TreeCheckpoint] = []
    /// Consistency proofs (`ledger prove consistency … --format json`) from the bundle's
    /// checkpoint note to newer notes in `extraTreeAnchors`: with one, a newer checkpoint is
    /// checked against the bundle instead of being beyond it.
    public var consistencyProofs: [ProofDocument] = []
    /// The time completeness (requests pending past their deadline) is judged at; nil: the
    /// time of the bundle's last event, so that the verdict is the same whenever it is checked.
    public var now: Timestamp?
    /// Called with a phase (`reading`, `verifying`) and the number of events done.
    public var progress: (@Sendable (String, Int64) -> Void)?

    public init(extraAnchors: [Checkpoint] = [], now: Timestamp? = nil, progress: (@Sendable (String, Int64) -> Void)? = nil) {
        self.extraAnchors = extraAnchors
        self.now = now
        self.progress = progress
    }

    /// Verifies the bundle directory at `path`.
    /// - Throws: `ExportError.notABundle` when `path` is not a directory with a
    ///   `manifest.json`, or when `events.jsonl` cannot be read or changes while it is
    ///   verified. Every problem with the bundle's content is a finding in the report.
    public func verify(bundleAt path: String) async throws -> BundleReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExportError(.notABundle, "'\(path)' is not a directory; an evidence bundle is the directory `ledger export --format bundle` writes", path: path)
        }
        let manifestPath = path + "/" + BundleManifest.fileName
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            throw ExportError(.notABundle, "'\(path)' has no \(BundleManifest.fileName), so it is not an evidence bundle", path: path)
        }
        var report = BundleReport(path: path)
        report.extraAnchors = extraAnchors.count + extraTreeAnchors.count
        report.manifest = readManifest(manifestPath, into: &report)
        let present = try listFiles(path, into: &report)
        report.files = present.count
        if let manifest = report.manifest { checkFiles(manifest, present: present, root: path, into: &report) }
        readCheckpoints(present, root: path, into: &report)

        guard present.contains(BundleExport.eventsFile) else {
            if !report.findings.contains(where: { $0.code == .fileMissing && $0.subject == BundleExport.eventsFile }) {
                report.findings.append(BundleFinding(.fileMissing, BundleExport.eventsFile, "the bundle has no events.jsonl, so there is nothing to verify"))
            }
            return report
        }
        var events = EventsReader()
        let selection = report.manifest?.requests != nil
        events.keepsSeqs = selection
        let progress = self.progress
        let source = try events.read(path + "/" + BundleExport.eventsFile) { progress?("reading", $0) }
        report.lines = events.lines
        report.findings += events.findings

        // An auditor's checkpoint beyond the bundle's end is no evidence that events were cut
        // from it (a bundle ends at its period): it is judged apart, not as an anchor.
        let beyond = self.extraAnchors.filter { $0.size > events.lastSeq }
        let extraAnchors = self.extraAnchors.filter { $0.size <= events.lastSeq }
        var treeBeyond = extraTreeAnchors.filter { $0.size > events.lastSeq }
        let joined = Self.joinedByProof(treeBeyond, bundle: report.treeCheckpoints.first { $0.size == events.lastSeq }, proofs: consistencyProofs)
        treeBeyond.removeAll { joined.contains($0) }
        var verifier = Verifier(anchors: report.checkpoints + extraAnchors, now: now ?? events.lastTime)
        verifier.treeAnchors = report.treeCheckpoints + extraTreeAnchors.filter { $0.size <= events.lastSeq }
        verifier.allowsWithheldPayloads = true
        if selection {
            verifier.verifiesSelection = true
            checkProofs(events.hashes, root: path, into: &report)
        }
        if let progress { verifier.progress = { progress("verifying", $0) } }
        var verification = try verifier.verify(source)
        report.absentPayloads = events.absentPayloads
        Self.adapt(&verification, events: events)
        Self.judge(beyond.map(AnyCheckpoint.chain) + treeBeyond.map(AnyCheckpoint.tree), bundleEnd: events.lastSeq, into: &verification)
        verification.anchorsChecked += joined.count
        report.verification = verification
        checkHead(&report, events: events)
        return report
    }

    /// The newer notes a consistency proof joins to the bundle's own note of its end (whose
    /// root the walk holds to the bundle's events, and whose signer to the bundle's keys).
    static func joinedByProof(_ newer: [TreeCheckpoint], bundle: TreeCheckpoint?, proofs: [ProofDocument]) -> [TreeCheckpoint] {
        guard let bundle else { return [] }
        return newer.filter { anchor in
            anchor.ledgerID == bundle.ledgerID && proofs.contains { document in
                guard case .consistency(let ledgerID, let proof, let oldRoot, let newRoot) = document, ledgerID == bundle.ledgerID,
                      proof.oldSize == UInt64(bundle.size), proof.newSize == UInt64(anchor.size), oldRoot == bundle.root, newRoot == anchor.root
                else { return false }
                return (try? document.check()) != nil
            }
        }
    }

    // MARK: Request bundles

    /// Every event of a request bundle must be proven by its line of `proofs.jsonl` to be
    /// leaf `seq - 1` of the tree its checkpoint note signed at the manifest's size, and every
    /// proof must belong to an event: that is what places a selection of events in the log.
    private func checkProofs(_ hashes: [(seq: Int64, hash: SHA256Digest)], root: String, into report: inout BundleReport) {
        let file = RequestBundleEvents.proofsFile
        guard let size = report.manifest?.size, let note = report.treeCheckpoints.first(where: { $0.size == size }) else {
            report.findings.append(BundleFinding(.proofInvalid, file, "a request bundle needs a checkpoint note of its size, whose root its proofs lead to"))
            return
        }
        guard var reader = try? LineReader(path: root + "/" + file, maxLine: 64 * 1024) else {
            report.findings.append(BundleFinding(.proofInvalid, file, "a request bundle carries proofs.jsonl, one inclusion proof per event"))
            return
        }
        defer { reader.close() }
        var number = 0
        for (seq, hash) in hashes {
            number += 1
            let subject = "\(file):\(number)"
            guard let (bytes, terminated) = try? reader.next(), terminated else {
                report.findings.append(BundleFinding(.proofInvalid, subject, "event \(seq) has no inclusion proof"))
                return
            }
            do {
                let document = try ProofDocument(try JSONParser.parse(Array(bytes), limits: .init(maxBytes: 64 * 1024, maxDepth: 3)))
                guard case .inclusion(let ledgerID, let proven, let eventHash, let proof, let proofRoot) = document,
                      ledgerID == note.ledgerID, proven == seq, eventHash == hash, proof.treeSize == UInt64(size), proofRoot == note.root
                else {
                    report.findings.append(BundleFinding(.proofInvalid, subject, "the proof is not of event \(seq) (hash \(hash.hex.prefix(16))…) in the tree of \(size) events the checkpoint signed"))
                    continue
                }
                try document.check()
            } catch let error as MerkleProofError {
                report.findings.append(BundleFinding(.proofInvalid, subject, "event \(seq) is not in the tree the checkpoint signed: \(error.message)"))
            } catch {
                report.findings.append(BundleFinding(.proofInvalid, subject, "not a valid proof line: \(error)"))
            }
        }
        if (try? reader.next()) != nil {
            report.findings.append(BundleFinding(.proofInvalid, file, "proofs.jsonl has more lines than the bundle has events"))
        }
    }

    // MARK: Manifest and files

    private func readManifest(_ path: String, into report: inout BundleReport) -> BundleManifest? {
        guard let data = BundleFileRead.bytes(path, limit: (1 << 20) + 1), data.count <= (1 << 20) + 1 else {
            report.findings.append(BundleFinding(.manifestInvalid, BundleManifest.fileName, "manifest.json cannot be read, is not a regular file, or is larger than 1 MiB"))
            return nil
        }
        do { return try BundleManifest(fileBytes: data) } catch {
            report.findings.append(BundleFinding(.manifestInvalid, BundleManifest.fileName, error.message))
            return nil
        }
    }

    /// Every regular file under `root` except the manifest, as relative paths.
    private func listFiles(_ root: String, into report: inout BundleReport) throws -> Set<String> {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw ExportError(.notABundle, "cannot list '\(root)'", path: root)
        }
        var files: Set<String> = []
        while let relative = enumerator.nextObject() as? String {
            let type = (try? FileManager.default.attributesOfItem(atPath: root + "/" + relative))?[.type] as? FileAttributeType
            switch type {
            case .typeDirectory?: continue
            case .typeRegular? where relative == BundleManifest.fileName: continue
            case .typeRegular?: files.insert(relative)
            default: report.findings.append(BundleFinding(.fileUnlisted, relative, "not a regular file; a bundle holds only regular files"))
            }
        }
        return files
    }

    private func checkFiles(_ manifest: BundleManifest, present: Set<String>, root: String, into report: inout BundleReport) {
        let listed = Set(manifest.files.map(\.path))
        for file in manifest.files {
            guard present.contains(file.path) else {
                report.findings.append(BundleFinding(.fileMissing, file.path, "listed in the manifest but not in the bundle"))
                continue
            }
            guard let (digest, length) = Self.digest(root + "/" + file.path) else {
                report.findings.append(BundleFinding(.fileMismatch, file.path, "cannot be read"))
                continue
            }
            if length != file.bytes || digest != file.sha256 {
                report.findings.append(BundleFinding(
                    .fileMismatch, file.path,
                    "SHA-256 \(digest.hex.prefix(16))… and \(length) bytes differ from the manifest's \(file.sha256.hex.prefix(16))… and \(file.bytes) bytes: the file was changed"))
            }
        }
        for path in present.subtracting(listed).sorted() {
            report.findings.append(BundleFinding(.fileUnlisted, path, "in the bundle but not listed in the manifest"))
        }
    }

    static func digest(_ path: String) -> (SHA256Digest, Int64)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let hasher = SHA256()
        var length: Int64 = 0
        while let chunk = try? handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            hasher.update([UInt8](chunk))
            length += Int64(chunk.count)
        }
        return (hasher.finalize(), length)
    }

    private func readCheckpoints(_ present: Set<String>, root: String, into report: inout BundleReport) {
        for path in present.sorted() where Self.isCheckpointPath(path) {
            guard let data = BundleFileRead.bytes(root + "/" + path, limit: 64 * 1024 + 1), data.count <= 64 * 1024 + 1 else {
                report.findings.append(BundleFinding(.checkpointInvalid, path, "cannot be read or is larger than 64 KiB"))
                continue
            }
            do {
                switch try AnyCheckpoint(fileBytes: data) {
                case .chain(let checkpoint): report.checkpoints.append(checkpoint)
                case .tree(let checkpoint): report.treeCheckpoints.append(checkpoint)
                }
            } catch {
                report.findings.append(BundleFinding(.checkpointInvalid, path, error.message))
            }
        }
        report.checkpoints.sort { $0.size < $1.size }
        report.treeCheckpoints.sort { $0.size < $1.size }
    }

    /// Whether the bundle's file at `path` is one of its checkpoints: `checkpoints/NAME.checkpoint`,
    /// directly in that directory (docs/FORMAT.md §Layout). A file deeper down is only a file.
    static func isCheckpointPath(_ path: String) -> Bool {
        let prefix = BundleExport.checkpointsDirectory + "/"
        guard path.hasPrefix(prefix), path.hasSuffix(".checkpoint") else { return false }
        return !path.dropFirst(prefix.count).contains("/")
    }

    // MARK: After verification

    /// Turns the report of the bundle's events into the report of the bundle (docs/FORMAT.md
    /// §JSON Lines: the verification of exported events, without the column checks).
    static func adapt(_ report: inout VerificationReport, events: EventsReader) {
        // The rows' columns are copies the reader made of the envelopes, so a column check says
        // nothing about the bundle; it fails only where a copy differs on purpose (a second
        // event claiming a stream version, numbered apart), which `stream-version-gap` reports.
        report.checks.removeAll { $0 == "columns" }
        var findings = report.findings.filter { $0.code != .columnMismatch }
        // A bundle of a short period withholds most payloads: the report counts them
        // (`absentPayloads`) instead of listing a note for each. Likewise the requests whose
        // replay stopped at a withheld payload (`requestsWithheld`). Erasures recorded in the
        // ledger (`payload-redacted`) stay listed: each is a redaction event the bundle holds.
        findings.removeAll { $0.code == .payloadWithheld || $0.code == .requestWithheld }
        findings += events.sequenceFindings
        findings.sort { ($0.seq ?? .max, $0.code.rawValue) < ($1.seq ?? .max, $1.code.rawValue) }
        report.findings = findings
    }

    /// Adds the findings for the auditor's checkpoints of more events than the bundle holds
    /// (docs/FORMAT.md §Verifying a bundle): another ledger's is `anchor-foreign`; this
    /// ledger's a warning, `anchor-beyond-bundle`, of what the bundle cannot show. They have no
    /// seq, so they stay last, where the report's order puts them.
    static func judge(_ beyond: [AnyCheckpoint], bundleEnd end: Int64, into report: inout VerificationReport) {
        report.anchorsChecked += beyond.count
        for anchor in beyond {
            if let ledgerID = report.ledgerID, anchor.ledgerID != ledgerID {
                report.findings.append(Finding(.anchorForeign, seq: nil, "checkpoint of size \(anchor.size) belongs to ledger \(anchor.ledgerID), not \(ledgerID)"))
            } else {
                report.findings.append(Finding(.anchorBeyondBundle, seq: nil, "the checkpoint covers \(anchor.size) events but the bundle ends at seq \(end): the bundle cannot show that its events are the first \(end) of that checkpoint's history, since event \(anchor.size), whose hash the checkpoint names, is not in it (nor is any event after seq \(end)). Check the checkpoint against the ledger, or ask for a bundle that reaches it"))
            }
        }
    }

    private func checkHead(_ report: inout BundleReport, events: EventsReader) {
        let last = events.lastSeq
        if let manifest = report.manifest, let verification = report.verification {
            var differences: [String] = []
            if let id = verification.ledgerID, id != manifest.ledgerID { differences.append("ledger id \(manifest.ledgerID) is not the genesis' \(id)") }
            // A request bundle's lines are a selection: its size is its last event's seq only.
            if manifest.size != last || (manifest.requests == nil && manifest.size != events.lines) {
                differences.append("size \(manifest.size) is not the \(events.lines) events (last seq \(last))")
            }
            if verification.headHash != manifest.headHash.hex {
                differences.append("head hash \(manifest.headHash.hex.prefix(16))… is not the last event's \(verification.headHash?.prefix(16) ?? "none")…")
            }
            if !differences.isEmpty {
                report.findings.append(BundleFinding(.headMismatch, BundleManifest.fileName, "the manifest's " + differences.joined(separator: "; ")))
            }
        }
        let anchoredSize = report.manifest?.size ?? last
        if !report.checkpoints.contains(where: { $0.size == anchoredSize }), !report.treeCheckpoints.contains(where: { $0.size == anchoredSize }) {
            let sizes = (report.checkpoints.map(\.size) + report.treeCheckpoints.map(\.size)).sorted().map(String.init).joined(separator: ", ")
            report.findings.append(BundleFinding(
                .unanchored, nil,
                "no valid checkpoint covers the last event (seq \(anchoredSize))\(sizes.isEmpty ? "; the bundle has none" : "; checkpoints cover \(sizes)"): events could have been cut off the end"))
        }
    }
}
