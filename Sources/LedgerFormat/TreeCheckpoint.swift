public import LedgerCrypto

/// A checkpoint of the ledger's Merkle tree in the C2SP tlog-checkpoint format: a signed note
/// whose text is the log's origin, the tree size and the base64 root hash, each on its line
/// (docs/FORMAT.md §Checkpoints). Witnesses add their cosignatures as further signature lines.
///
/// The ledger's key signs under the origin as its name. The note does not carry the public
/// key: a verifier finds it among the ledger's own keys by the key hash (`signer(among:)`), or
/// is given it as a verifier key.
public struct TreeCheckpoint: Sendable, Hashable {
    /// Every ledger's origin is this prefix and its genesis ledger id.
    public static let originPrefix = "approval-ledger/"

    public var ledgerID: String
    /// Number of events covered.
    public var size: Int64
    /// The Merkle tree's root over events 1…size.
    public var root: SHA256Digest
    /// The note, with every signature line it carries (the ledger's and any cosignatures).
    public var note: SignedNote

    public var origin: String { Self.originPrefix + ledgerID }

    /// The checkpoint text for a ledger, a size and a root.
    public static func text(ledgerID: String, size: Int64, root: SHA256Digest) -> [UInt8] {
        Array("\(originPrefix)\(ledgerID)\n\(size)\n\(Base64.encode(root.bytes))\n".utf8)
    }

    /// Signs a new checkpoint with a key of the ledger.
    public static func sign(ledgerID: String, size: Int64, root: SHA256Digest, key: Ed25519PrivateKey) throws -> TreeCheckpoint {
        let text = text(ledgerID: ledgerID, size: size, root: root)
        let signature = try SignedNote.sign(text, name: originPrefix + ledgerID, key: key)
        return TreeCheckpoint(ledgerID: ledgerID, size: size, root: root, note: SignedNote(text: text, signatures: [signature]))
    }

    private init(ledgerID: String, size: Int64, root: SHA256Digest, note: SignedNote) {
        self.ledgerID = ledgerID
        self.size = size
        self.root = root
        self.note = note
    }

    /// The file: the note's bytes.
    public var fileBytes: [UInt8] { note.bytes }

    /// The verifier key of `publicKey` for this ledger's checkpoints.
    public func verifierKey(_ publicKey: Ed25519PublicKey) -> NoteVerifierKey {
        NoteVerifierKey(name: origin, publicKey: publicKey)
    }

    /// The first of `keys` whose signature on the checkpoint verifies, if any.
    public func signer(among keys: [Ed25519PublicKey]) -> Ed25519PublicKey? {
        keys.first { note.isSigned(by: verifierKey($0)) }
    }

    /// Reads a checkpoint note. The signatures are not checked here, since the note does not
    /// name its keys: `signer(among:)` checks them against the ledger's.
    /// - Throws: `FormatError` for a malformed note, an origin that is not a ledger's, a size
    ///   that is not a canonical decimal ≥ 1, a root that is not 32 bytes of base64, or no
    ///   signature under the origin's name.
    public init(fileBytes: [UInt8]) throws(FormatError) {
        guard fileBytes.count <= 64 * 1024 else { throw FormatError(.invalidField, "a checkpoint note is at most 64 KiB") }
        let note = try SignedNote(fileBytes)
        // Any log's checkpoint text first (c2sp.org/tlog-checkpoint), then this ledger's rules.
        let text = try CheckpointText(text: note.text)
        let origin = text.origin
        guard origin.hasPrefix(Self.originPrefix), Identifier.isValidToken(String(origin.dropFirst(Self.originPrefix.count))) else {
            throw FormatError(.invalidField, "the checkpoint's origin '\(Identifier.printable(origin))' is not an approval ledger's (\(Self.originPrefix)<ledger id>)")
        }
        guard text.size >= 1, let size = Int64(exactly: text.size) else {
            throw FormatError(.invalidField, "the checkpoint's size must be a decimal number ≥ 1 without leading zeros")
        }
        guard let root = SHA256Digest(bytes: text.rootHash) else {
            throw FormatError(.invalidField, "the checkpoint's root hash must be 32 bytes of base64")
        }
        guard note.signatures.contains(where: { $0.name == origin }) else {
            throw FormatError(.badSignature, "the checkpoint carries no signature by its log (\(origin))")
        }
        self.init(ledgerID: String(origin.dropFirst(Self.originPrefix.count)), size: size, root: root, note: note)
    }

    /// Whether a file's bytes are a checkpoint note rather than a JSON checkpoint.
    public static func isNote(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Array(originPrefix.utf8))
    }
}
