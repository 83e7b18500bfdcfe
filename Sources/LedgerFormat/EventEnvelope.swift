public import LedgerCrypto

/// The signed header of one ledger event. Its canonical JSON bytes are what is hashed; it
/// commits to the payload only through the payload's SHA-256, so a payload can be redacted
/// later without breaking the chain. Field by field in docs/FORMAT.md §Envelope.
public struct EventEnvelope: Sendable, Hashable {
    /// The format version this library writes and reads.
    public static let formatVersion: Int64 = 1

    public var seq: Int64
    public var type: String
    public var stream: String
    public var streamVersion: Int64
    public var actor: String
    public var keyID: KeyID
    public var time: Timestamp
    public var previousHash: SHA256Digest
    public var payloadHash: SHA256Digest
    public var idempotencyKey: String?
    public var correlationID: String?
    /// Who asked, when a relay appended the event on someone's behalf (nil: the key's own).
    public var origin: EventOrigin?

    public init(
        seq: Int64, type: String, stream: String, streamVersion: Int64, actor: String, keyID: KeyID,
        time: Timestamp, previousHash: SHA256Digest, payloadHash: SHA256Digest,
        idempotencyKey: String? = nil, correlationID: String? = nil, origin: EventOrigin? = nil
    ) {
        self.seq = seq
        self.type = type
        self.stream = stream
        self.streamVersion = streamVersion
        self.actor = actor
        self.keyID = keyID
        self.time = time
        self.previousHash = previousHash
        self.payloadHash = payloadHash
        self.idempotencyKey = idempotencyKey
        self.correlationID = correlationID
        self.origin = origin
    }

    enum Field {
        static let version = "v", seq = "seq", type = "type", stream = "stream", streamVersion = "streamVersion"
        static let actor = "actor", keyID = "keyId", time = "time", previousHash = "prevHash"
        static let payloadHash = "payloadHash", idempotencyKey = "idempotencyKey", correlationID = "correlationId"
        static let origin = "origin"
        static let all: Set<String> = [
            version, seq, type, stream, streamVersion, actor, keyID, time, previousHash, payloadHash,
            idempotencyKey, correlationID, origin,
        ]
    }

    /// The envelope as a JSON object (optional fields omitted when absent). `canonicalBytes`
    /// is its canonical encoding, written without building this tree.
    public var jsonValue: JSONValue {
        var object = JSONObject()
        object[Field.version] = .integer(Self.formatVersion)
        object[Field.seq] = .integer(seq)
        object[Field.type] = .string(type)
        object[Field.stream] = .string(stream)
        object[Field.streamVersion] = .integer(streamVersion)
        object[Field.actor] = .string(actor)
        object[Field.keyID] = .string(keyID.rawValue)
        object[Field.time] = .string(time.description)
        object[Field.previousHash] = .string(previousHash.hex)
        object[Field.payloadHash] = .string(payloadHash.hex)
        if let idempotencyKey { object[Field.idempotencyKey] = .string(idempotencyKey) }
        if let correlationID { object[Field.correlationID] = .string(correlationID) }
        if let origin { object[Field.origin] = origin.jsonValue }
        return .object(object)
    }

    /// Decodes stored envelope bytes, refusing anything that is not exactly the canonical
    /// encoding of a valid envelope: unknown or missing fields, wrong types, bad values.
    public init(canonicalBytes bytes: [UInt8]) throws(FormatError) {
        if let envelope = Self.decodeCanonical(bytes) {
            self = envelope
            return
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw FormatError(.invalidJSON, "envelope: \(error)") }
        let fields = try FieldReader(value, what: "envelope")
        // The version decides every other rule, so it is judged first: an envelope of another
        // version is unsupported, whatever members that version has (docs/FORMAT.md §Versioning).
        let version = try fields.integer(Field.version)
        guard version == Self.formatVersion else {
            throw FormatError(.unsupportedVersion, "envelope format version \(version) is not supported (this build reads \(Self.formatVersion))")
        }
        try fields.rejectUnknown(allowed: Field.all)
        seq = try fields.integer(Field.seq, minimum: 1)
        type = try fields.token(Field.type)
        stream = try fields.token(Field.stream)
        streamVersion = try fields.integer(Field.streamVersion, minimum: 1)
        actor = try fields.identity(Field.actor)
        keyID = try fields.keyID(Field.keyID)
        time = try fields.timestamp(Field.time)
        previousHash = try fields.digest(Field.previousHash)
        payloadHash = try fields.digest(Field.payloadHash)
        idempotencyKey = try fields.optionalReference(Field.idempotencyKey)
        correlationID = try fields.optionalReference(Field.correlationID)
        origin = try fields.object[Field.origin].map { value throws(FormatError) in try EventOrigin(value) }
        guard canonicalBytes == bytes else {
            throw FormatError(.notCanonical, "envelope bytes are not in RFC 8785 canonical form")
        }
    }
}
