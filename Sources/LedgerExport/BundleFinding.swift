public import LedgerFormat

/// A problem with an evidence bundle as a container (its manifest, files, lines or
/// checkpoints), beside the findings of the ledger verification of its events. Every bundle
/// finding is an error. Codes are listed in docs/VERIFY.md.
public struct BundleFinding: Sendable, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// `manifest.json` is not the canonical form of a valid manifest.
        case manifestInvalid = "bundle-manifest-invalid"
        /// A file the manifest lists is not in the bundle.
        case fileMissing = "bundle-file-missing"
        /// A file in the bundle is not listed in the manifest (or is not a regular file).
        case fileUnlisted = "bundle-file-unlisted"
        /// A file's SHA-256 or length differs from the manifest's.
        case fileMismatch = "bundle-file-mismatch"
        /// A line of `events.jsonl` is not a valid canonical line.
        case lineInvalid = "bundle-line-invalid"
        /// A checkpoint file does not pass the checkpoint reader's checks.
        case checkpointInvalid = "bundle-checkpoint-invalid"
        /// The manifest's ledger id, size or head hash differs from the events.
        case headMismatch = "bundle-head-mismatch"
        /// No valid checkpoint covers the bundle's last event.
        case unanchored = "bundle-unanchored"
        /// A request bundle's event has no inclusion proof that leads from its hash to the
        /// root of the bundle's checkpoint note, or a proof has no event.
        case proofInvalid = "bundle-proof-invalid"
    }

    public let code: Code
    /// What it concerns: a file path, or `events.jsonl:LINE`; nil for the bundle as a whole.
    public let subject: String?
    public let message: String

    public init(_ code: Code, _ subject: String?, _ message: String) {
        self.code = code
        self.subject = subject
        self.message = message
    }

    public var jsonValue: JSONValue {
        ["code": .string(code.rawValue), "severity": "error", "subject": subject.map(JSONValue.string) ?? .null, "message": .string(message)]
    }
}
