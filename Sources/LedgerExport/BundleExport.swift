internal import Foundation
internal import LedgerCrypto
public import LedgerFormat
public import LedgerStore

/// `ledger export --format bundle`: a directory an auditor can verify offline.
///
///     events.jsonl                      seq 1 … end, docs/FORMAT.md §JSON Lines
///     checkpoints/<size>-<hash>.checkpoint  the checkpoints anchoring the end
///     README.md                         what this is and how to verify it
///     manifest.json                     SHA-256 and length of each file above
///
/// The directory is written under a temporary name beside `directory` and renamed when
/// complete, so a bundle that exists is whole.
public enum BundleExport {
    public static let eventsFile = "events.jsonl"
    public static let readmeFile = "README.md"
    public static let checkpointsDirectory = "checkpoints"

    /// Writes the bundle. `checkpoints` must anchor `plan.end` (see `BundleAnchoring`).
    /// `selectsRequests`: a request bundle of `plan.requests` (docs/FORMAT.md §Request
    /// bundles) instead of every event from seq 1.
    public static func write(
        ledger: Ledger, plan: ExportPlan, checkpoints: [AnyCheckpoint], selectsRequests: Bool = false, to directory: String,
        progress: ((Int64) -> Void)? = nil
    ) throws -> ExportSummary {
        try OutputFile.refuseExisting(directory)
        let partial = directory + ".partial-\(UUID().uuidString.prefix(8))"
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: partial + "/" + checkpointsDirectory, withIntermediateDirectories: true)
        } catch {
            throw ExportError(.output, "cannot create '\(directory)': \(error.localizedDescription)", path: directory)
        }
        var finished = false
        defer { if !finished { try? files.removeItem(atPath: partial) } }

        var listed: [BundleManifest.File] = []
        let events = try OutputFile(path: partial + "/" + eventsFile)
        var summary: ExportSummary
        if selectsRequests {
            guard checkpoints.contains(where: { if case .tree(let tree) = $0 { tree.size == plan.end } else { false } }) else {
                throw ExportError(.cannotAnchor, "a request bundle's proofs lead to a checkpoint note of its end (seq \(plan.end)): pass --key to sign one, or an --anchor note of that size")
            }
            let proofs = try OutputFile(path: partial + "/" + RequestBundleEvents.proofsFile)
            summary = try RequestBundleEvents.write(ledger: ledger, plan: plan, events: events, proofs: proofs, progress: progress)
            listed.append(.init(path: RequestBundleEvents.proofsFile, sha256: try proofs.finish(), bytes: Int64(proofs.count)))
        } else {
            summary = try JSONLinesExport.write(ledger: ledger, plan: plan, to: events, progress: progress)
        }
        let eventsHash = try events.finish()
        listed.append(.init(path: eventsFile, sha256: eventsHash, bytes: Int64(events.count)))
        guard summary.end == plan.end else {
            throw ExportError(.notExportable, "the ledger ended at seq \(summary.end) before the export's end \(plan.end)")
        }

        for checkpoint in checkpoints {
            listed.append(try writeFile(checkpoint.fileBytes, name: fileName(checkpoint), in: partial))
        }
        guard let head = summary.headHash else { throw ExportError(.notExportable, "the ledger has no events to export") }
        let readme = BundleReadme(plan: plan, summary: summary, checkpoints: checkpoints, headHash: head).text
        listed.append(try writeFile(Array(readme.utf8), name: readmeFile, in: partial))

        let manifest = BundleManifest(
            ledgerID: plan.ledgerID, size: plan.end, headHash: head, files: listed, requests: selectsRequests ? plan.requests.sorted() : nil)
        _ = try writeFile(manifest.fileBytes, name: BundleManifest.fileName, in: partial)
        do {
            try OutputFile.refuseExisting(directory)
            try files.moveItem(atPath: partial, toPath: directory)
        } catch let error as ExportError {
            throw error
        } catch {
            throw ExportError(.output, "cannot move the bundle into '\(directory)': \(error.localizedDescription)", path: directory)
        }
        finished = true
        summary.format = "bundle"
        summary.path = directory
        summary.bytes = listed.reduce(0) { $0 + Int($1.bytes) } + manifest.fileBytes.count
        summary.checkpoints = checkpoints.map(\.size)
        return summary
    }

    /// `checkpoints/<size>-<16 hex digits>.checkpoint`: of the checkpoint hash for a JSON
    /// checkpoint, of the file's SHA-256 for a note.
    static func fileName(_ checkpoint: AnyCheckpoint) -> String {
        let digest = switch checkpoint {
        case .chain(let chain): chain.checkpointHash
        case .tree(let tree): SHA256.hash(tree.fileBytes)
        }
        return "\(checkpointsDirectory)/\(checkpoint.size)-\(digest.hex.prefix(16)).checkpoint"
    }

    private static func writeFile(_ bytes: [UInt8], name: String, in directory: String) throws -> BundleManifest.File {
        let file = try OutputFile(path: directory + "/" + name)
        try file.write(bytes)
        return BundleManifest.File(path: name, sha256: try file.finish(), bytes: Int64(bytes.count))
    }
}
