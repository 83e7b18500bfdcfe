public import LedgerFormat
public import LedgerVerify

/// What `ledger verify --bundle` established: the bundle's own checks (manifest, files,
/// lines, anchoring) and the ledger verification of its events, with the same checks and
/// finding codes as `ledger verify`.
public struct BundleReport: Sendable {
    public var path: String
    /// The manifest, when it was valid.
    public var manifest: BundleManifest?
    /// Files found in the bundle besides the manifest.
    public var files = 0
    /// Lines of `events.jsonl`.
    public var lines: Int64 = 0
    /// The bundle's checkpoints that passed the checkpoint reader's checks.
    public var checkpoints: [Checkpoint] = []
    /// The bundle's tree checkpoints (C2SP notes) that passed the reader's checks.
    public var treeCheckpoints: [TreeCheckpoint] = []
    /// Checkpoints the auditor gave besides the bundle's (`--anchor`).
    public var extraAnchors = 0
    /// Events whose payload is `null`: withheld by the export or erased from the ledger. Each
    /// is a `payload-redacted` finding of the ledger verification; they are counted here
    /// rather than listed, since a bundle of a short period withholds most payloads.
    public var absentPayloads: Int64 = 0
    /// The verification of the events; nil when `events.jsonl` could not be read at all.
    public var verification: VerificationReport?
    /// Problems with the bundle as a container. All are errors.
    public var findings: [BundleFinding] = []

    public static let checks = ["bundle-manifest", "bundle-files", "bundle-lines", "bundle-anchored"]

    public init(path: String) {
        self.path = path
    }

    /// True when the bundle passed every check and its events verify.
    public func isVerified(strict: Bool = false) -> Bool {
        findings.isEmpty && verification?.isVerified(strict: strict) == true
    }

    public func jsonValue(strict: Bool) -> JSONValue {
        var object = verification?.jsonValue(strict: strict).objectValue ?? JSONObject()
        object["verified"] = .bool(isVerified(strict: strict))
        object["strict"] = .bool(strict)
        var summary = object["summary"]?.objectValue ?? JSONObject()
        summary["errors"] = .integer(Int64((verification?.count(.error) ?? 0) + self.findings.count))
        object["summary"] = .object(summary)
        object["checks"] = .array((Self.checks + (verification?.checks ?? [])).map(JSONValue.string))
        var findings = self.findings.map(\.jsonValue)
        findings += (object["findings"]?.arrayValue ?? [])
        object["findings"] = .array(findings)
        var bundle = JSONObject()
        bundle["path"] = .string(path)
        bundle["files"] = .integer(Int64(files))
        bundle["lines"] = .integer(lines)
        bundle["absentPayloads"] = .integer(absentPayloads)
        bundle["extraAnchors"] = .integer(Int64(extraAnchors))
        bundle["checkpoints"] = .array(checkpoints.map { checkpoint in
            ["size": .integer(checkpoint.size), "headHash": .string(checkpoint.headHash.hex), "time": .string(checkpoint.time.description), "keyId": .string(checkpoint.keyID.rawValue)]
        } + treeCheckpoints.map { checkpoint in
            ["size": .integer(checkpoint.size), "root": .string(checkpoint.root.hex), "origin": .string(checkpoint.origin)]
        })
        bundle["errors"] = .integer(Int64(self.findings.count))
        object["bundle"] = .object(bundle)
        return .object(object)
    }
}
