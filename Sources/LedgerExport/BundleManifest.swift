public import LedgerCrypto
public import LedgerFormat

/// `manifest.json` of an evidence bundle (docs/FORMAT.md §Evidence bundles): which ledger,
/// how many events and the head hash, and the SHA-256 and length of every other file.
///
/// Every member can be checked against the bundle itself, and the file must be exactly its
/// canonical form, so no byte of it can change without a verifier noticing.
public struct BundleManifest: Sendable, Hashable {
    public static let type = "approval-ledger.bundle"
    public static let fileName = "manifest.json"

    /// One file of the bundle.
    public struct File: Sendable, Hashable {
        /// Relative path, `/`-separated.
        public var path: String
        public var sha256: SHA256Digest
        public var bytes: Int64

        public init(path: String, sha256: SHA256Digest, bytes: Int64) {
            self.path = path
            self.sha256 = sha256
            self.bytes = bytes
        }
    }

    public var ledgerID: String
    /// The number of events in `events.jsonl`, which is the seq of its last event.
    public var size: Int64
    /// The event hash of the last event.
    public var headHash: SHA256Digest
    /// Every file except the manifest, in ascending byte order of path.
    public var files: [File]
    /// For a request bundle: the requests it carries, sorted. Its events are then a selection
    /// (those requests', the system events, the event at `size`), each with an inclusion
    /// proof in `proofs.jsonl` (docs/FORMAT.md §Request bundles); nil for a whole bundle.
    public var requests: [String]?

    public init(ledgerID: String, size: Int64, headHash: SHA256Digest, files: [File], requests: [String]? = nil) {
        self.ledgerID = ledgerID
        self.size = size
        self.headHash = headHash
        self.requests = requests?.sorted()
        self.files = files.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    public var jsonValue: JSONValue {
        let value: JSONValue = [
            "type": .string(Self.type), "v": .integer(EventEnvelope.formatVersion), "ledgerId": .string(ledgerID),
            "size": .integer(size), "headHash": .string(headHash.hex),
            "files": .array(files.map { ["path": .string($0.path), "sha256": .string($0.sha256.hex), "bytes": .integer($0.bytes)] }),
        ]
        guard let requests, case .object(var object) = value else { return value }
        object["requests"] = .array(requests.map(JSONValue.string))
        return .object(object)
    }

    /// The file: `JCS(manifest) ‖ LF`.
    public var fileBytes: [UInt8] { CanonicalJSON.encode(jsonValue) + [0x0A] }

    /// Reads a manifest file, refusing anything but the canonical form of a valid manifest.
    public init(fileBytes: [UInt8]) throws(FormatError) {
        guard fileBytes.last == 0x0A else { throw FormatError(.notCanonical, "manifest.json must end with one line feed") }
        let body = Array(fileBytes.dropLast())
        let value: JSONValue
        do { value = try JSONParser.parse(body, limits: .init(maxBytes: 1 << 20, maxDepth: 4)) } catch {
            throw FormatError(.invalidJSON, "manifest.json is not valid JSON (\(error.message) at byte \(error.offset))")
        }
        guard CanonicalJSON.encode(value) == body else {
            throw FormatError(.notCanonical, "manifest.json is not in RFC 8785 canonical form")
        }
        let fields = try FieldReader(value, what: "manifest")
        guard try fields.string("type") == Self.type else {
            throw FormatError(.invalidField, "manifest field \"type\" must be \"\(Self.type)\"")
        }
        // Before the members, as for every versioned object (docs/FORMAT.md §Versioning).
        let version = try fields.integer("v")
        guard version == EventEnvelope.formatVersion else {
            throw FormatError(.unsupportedVersion, "bundle format version \(version) is not supported (this build reads \(EventEnvelope.formatVersion))")
        }
        try fields.rejectUnknown(allowed: ["type", "v", "ledgerId", "size", "headHash", "files", "requests"])
        ledgerID = try fields.token("ledgerId")
        size = try fields.integer("size", minimum: 1)
        headHash = try fields.digest("headHash")
        guard let entries = try fields.require("files").arrayValue else {
            throw FormatError(.invalidField, "manifest field \"files\" must be an array")
        }
        var files: [File] = []
        for (index, entry) in entries.enumerated() {
            let file = try FieldReader(entry, what: "manifest files[\(index)]")
            try file.rejectUnknown(allowed: ["path", "sha256", "bytes"])
            let path = try file.string("path")
            guard Self.isValidPath(path) else {
                throw FormatError(.invalidField, "manifest files[\(index)] path \"\(Identifier.printable(path))\" is not a valid bundle path")
            }
            if let previous = files.last, !Array(previous.path.utf8).lexicographicallyPrecedes(Array(path.utf8)) {
                throw FormatError(.invalidField, "manifest files must be sorted by path without duplicates (\"\(path)\")")
            }
            files.append(File(path: path, sha256: try file.digest("sha256"), bytes: try file.integer("bytes", minimum: 0)))
        }
        self.files = files
        if fields.object["requests"] != nil {
            let requests = try fields.stringArray("requests")
            guard !requests.isEmpty, requests.allSatisfy(Identifier.isValidToken), requests == requests.sorted(), Set(requests).count == requests.count else {
                throw FormatError(.invalidField, "manifest field \"requests\" must be a sorted array of distinct request ids")
            }
            self.requests = requests
        }
    }

    /// A relative path of segments of `A–Z a–z 0–9 . _ -`, none of them `.` or `..`, and not
    /// the manifest itself.
    public static func isValidPath(_ path: String) -> Bool {
        guard path != fileName, !path.isEmpty, path.utf8.count <= 255 else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty && segment != "." && segment != ".."
                && segment.utf8.allSatisfy { byte in
                    (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                        || byte == 0x2E || byte == 0x5F || byte == 0x2D
                }
        }
    }
}
