public import LedgerCrypto

/// A signed statement "ledger L had N events and its head hash was H at time T", written to a
/// file and kept away from the ledger so that a later truncation or rewrite is detectable.
/// Specified in docs/FORMAT.md §Checkpoints.
public struct Checkpoint: Sendable, Hashable {
    public static let type = "approval-ledger.checkpoint"

    public var ledgerID: String
    /// Number of events covered (the seq of the head event).
    public var size: Int64
    /// Event hash of the event at seq `size`.
    public var headHash: SHA256Digest
    public var time: Timestamp
    /// The signing key, included so the file can be checked on its own.
    public var publicKey: Ed25519PublicKey
    /// Ed25519 signature over `checkpointHash`.
    public var signature: [UInt8]

    public var keyID: KeyID { publicKey.keyID }

    /// Signs a new checkpoint.
    public static func sign(ledgerID: String, size: Int64, headHash: SHA256Digest, time: Timestamp, key: Ed25519PrivateKey) throws -> Checkpoint {
        var checkpoint = Checkpoint(ledgerID: ledgerID, size: size, headHash: headHash, time: time, publicKey: key.publicKey, signature: [])
        checkpoint.signature = try key.signature(for: checkpoint.checkpointHash.bytes)
        return checkpoint
    }

    private init(ledgerID: String, size: Int64, headHash: SHA256Digest, time: Timestamp, publicKey: Ed25519PublicKey, signature: [UInt8]) {
        self.ledgerID = ledgerID
        self.size = size
        self.headHash = headHash
        self.time = time
        self.publicKey = publicKey
        self.signature = signature
    }

    /// The signed statement: every field except `signature`.
    public var statement: JSONValue {
        [
            "type": .string(Self.type),
            "v": .integer(EventEnvelope.formatVersion),
            "ledgerId": .string(ledgerID),
            "size": .integer(size),
            "headHash": .string(headHash.hex),
            "time": .string(time.description),
            "keyId": .string(keyID.rawValue),
            "publicKey": .string(Hex.encode(publicKey.rawRepresentation)),
        ]
    }

    /// SHA-256(checkpoint prefix ‖ canonical statement): what the signature covers.
    public var checkpointHash: SHA256Digest {
        DomainSeparation.checkpointHash(statementBytes: CanonicalJSON.encode(statement))
    }

    /// True when `signature` is valid for the statement under `publicKey`.
    public var isSignatureValid: Bool {
        publicKey.isValidSignature(signature, for: checkpointHash.bytes)
    }

    /// The file form: the canonical JSON of the statement plus `signature`, then a line feed.
    public var fileBytes: [UInt8] {
        guard case .object(var object) = statement else { preconditionFailure("statement is an object") }
        object["signature"] = .string(Hex.encode(signature))
        return CanonicalJSON.encode(.object(object)) + [0x0A]
    }

    /// Reads a checkpoint file, refusing anything malformed and any signature that does not
    /// verify under the key the file names.
    public init(fileBytes: [UInt8]) throws(FormatError) {
        var bytes = fileBytes
        if bytes.last == 0x0A { bytes.removeLast() }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes, limits: .init(maxBytes: 64 * 1024, maxDepth: 4)) } catch {
            throw FormatError(.invalidJSON, "checkpoint file: \(error)")
        }
        let fields = try FieldReader(value, what: "checkpoint")
        guard try fields.string("type") == Self.type else {
            throw FormatError(.invalidField, "checkpoint field \"type\" must be \"\(Self.type)\"")
        }
        // Before the members: a checkpoint of another version may have others (a Merkle root).
        let version = try fields.integer("v")
        guard version == EventEnvelope.formatVersion else {
            throw FormatError(.unsupportedVersion, "checkpoint format version \(version) is not supported (this build reads \(EventEnvelope.formatVersion))")
        }
        try fields.rejectUnknown(allowed: ["type", "v", "ledgerId", "size", "headHash", "time", "keyId", "publicKey", "signature"])
        ledgerID = try fields.token("ledgerId")
        size = try fields.integer("size", minimum: 1)
        headHash = try fields.digest("headHash")
        time = try fields.timestamp("time")
        do { publicKey = try Ed25519PublicKey(rawRepresentation: try fields.hexBytes("publicKey", count: 32)) } catch let error as FormatError {
            throw error
        } catch {
            throw FormatError(.invalidField, "checkpoint publicKey is not a valid Ed25519 key")
        }
        guard try fields.keyID("keyId") == publicKey.keyID else {
            throw FormatError(.invalidField, "checkpoint keyId does not match its publicKey")
        }
        signature = try fields.hexBytes("signature", count: 64)
        guard isSignatureValid else {
            throw FormatError(.badSignature, "checkpoint signature does not verify under key \(publicKey.keyID)")
        }
    }
}
