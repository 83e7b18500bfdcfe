/// The text of any log's tlog-checkpoint (c2sp.org/tlog-checkpoint): origin, tree size and
/// RFC 6962 root hash, one per line, then optional extension lines.
///
/// `TreeCheckpoint` is this ledger's own kind (origin `approval-ledger/<id>`, size ≥ 1); a
/// witness reads every log's, so this type takes any non-empty origin, size 0 and extensions.
public struct CheckpointText: Sendable, Hashable {
    /// The log's identity. Conventionally a schema-less URL, but nothing is assumed of it.
    public var origin: String
    /// The number of leaves.
    public var size: UInt64
    /// The Merkle tree hash at `size`, 32 bytes.
    public var rootHash: [UInt8]
    /// Opaque non-empty lines after the root hash. Nothing audits them.
    public var extensions: [String]

    /// - Throws: `FormatError.invalidField` for an empty origin or extension line, a line
    ///   holding a control character, or a root hash that is not 32 bytes.
    public init(origin: String, size: UInt64, rootHash: [UInt8], extensions: [String] = []) throws(FormatError) {
        guard rootHash.count == 32 else { throw FormatError(.invalidField, "a checkpoint's root hash is 32 bytes, not \(rootHash.count)") }
        for line in [origin] + extensions where line.isEmpty || line.utf8.contains(where: { $0 < 0x20 }) {
            throw FormatError(.invalidField, "a checkpoint's origin and extension lines are non-empty, without control characters")
        }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses a note text strictly: at least three lines, each ending in LF; a size in decimal
    /// without leading zeros; the root as canonical base64 of 32 bytes; extension lines
    /// non-empty.
    /// - Throws: `FormatError.invalidField`.
    public init(text: [UInt8]) throws(FormatError) {
        guard text.last == 0x0A, let string = String(validating: text, as: UTF8.self) else {
            throw FormatError(.invalidField, "a checkpoint's text is UTF-8 and ends in a line feed")
        }
        let lines = string.utf8.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else {
            throw FormatError(.invalidField, "a checkpoint's text has an origin, a size and a root hash line")
        }
        guard let size = Self.decimal(lines[1]) else {
            throw FormatError(.invalidField, "the checkpoint's size '\(Identifier.printable(lines[1]))' is not a decimal number without leading zeros")
        }
        guard let root = Base64.decode(lines[2]), root.count == 32 else {
            throw FormatError(.invalidField, "the checkpoint's root hash is not 32 bytes of canonical base64")
        }
        try self.init(origin: lines[0], size: size, rootHash: root, extensions: Array(lines[3...]))
    }

    /// The note text.
    public var text: [UInt8] {
        Array(([origin, String(size), Base64.encode(rootHash)] + extensions).map { $0 + "\n" }.joined().utf8)
    }

    /// Reads ASCII decimal digits with no sign, no leading zero (but `0` itself) and no
    /// overflow: how sizes are written in checkpoints and witness requests.
    public static func decimal(_ text: some StringProtocol) -> UInt64? {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count <= 20, digits.allSatisfy({ (0x30...0x39).contains($0) }),
              digits.count == 1 || digits[0] != 0x30
        else { return nil }
        return UInt64(String(text))
    }
}
