public import LedgerCrypto

/// How an event appended by a relay (the server) on behalf of someone else proves who asked
/// for it: the envelope's `origin` member (docs/FORMAT.md §Origin). An event without one speaks
/// for the identity its own key is registered to.
public enum EventOrigin: Sendable, Hashable {
    /// The caller had no key of its own (a service with a bearer token, a chat user): the
    /// relay key vouches, and `via` says through what channel, e.g. `token:ci-deployer`.
    case relayed(via: String)
    /// The caller signed its command with its own registered key; the relay only carried it.
    case signed(CommandSignature)

    enum Field {
        static let via = "via", hash = "hash", keyID = "keyId", nonce = "nonce", signature = "signature", time = "time"
        static let relayed: Set<String> = [via]
        static let signed: Set<String> = [hash, keyID, nonce, signature, time]
    }

    /// The prefix of a signed command's idempotency key: `command:` and the command hash, so
    /// the store's unique index refuses the same signed command twice.
    public static let commandKeyPrefix = "command:"

    public var jsonValue: JSONValue {
        var object = JSONObject()
        switch self {
        case .relayed(let via):
            object[Field.via] = .string(via)
        case .signed(let command):
            object[Field.hash] = .string(command.hash?.hex ?? "")
            object[Field.keyID] = .string(command.keyID.rawValue)
            object[Field.nonce] = .string(command.nonce)
            object[Field.signature] = .string(Hex.encode(command.signature))
            object[Field.time] = .string(command.time.description)
        }
        return .object(object)
    }

    /// Reads an envelope's `origin` member, refusing unknown members and bad values.
    public init(_ value: JSONValue) throws(FormatError) {
        let fields = try FieldReader(value, what: "origin")
        if fields.object[Field.via] != nil {
            try fields.rejectUnknown(allowed: Field.relayed)
            let via = try fields.string(Field.via)
            guard Identifier.isValidReference(via) else { throw FormatError(.invalidField, "origin field \"via\" must be \(Identifier.referenceRule)") }
            self = .relayed(via: via)
            return
        }
        try fields.rejectUnknown(allowed: Field.signed)
        let nonce = try fields.string(Field.nonce)
        guard Identifier.isValidReference(nonce) else { throw FormatError(.invalidField, "origin field \"nonce\" must be \(Identifier.referenceRule)") }
        var command = CommandSignature(
            keyID: try fields.keyID(Field.keyID), nonce: nonce, time: try fields.timestamp(Field.time),
            signature: try fields.hexBytes(Field.signature, count: 64))
        command.hash = try fields.digest(Field.hash)
        self = .signed(command)
    }

    /// The signed command, if the caller signed one.
    public var command: CommandSignature? {
        if case .signed(let command) = self { command } else { nil }
    }
}

/// A caller's signature over its command statement (docs/FORMAT.md §Signed commands): the
/// statement's canonical JSON names the ledger, the stream, the command and its arguments, a
/// fresh nonce and a time, so it can be neither moved to another request nor replayed.
public struct CommandSignature: Sendable, Hashable {
    /// The caller's registered key, which signed the statement.
    public var keyID: KeyID
    public var nonce: String
    public var time: Timestamp
    /// Ed25519 over the 32 bytes of `hash`.
    public var signature: [UInt8]
    /// SHA-256 of the statement. Set by the workflow from the command it runs (a caller's
    /// claim is never trusted), and always present in a recorded envelope.
    public package(set) var hash: SHA256Digest?

    public init(keyID: KeyID, nonce: String, time: Timestamp, signature: [UInt8]) {
        self.keyID = keyID
        self.nonce = nonce
        self.time = time
        self.signature = signature
    }

    /// The idempotency key an event recording this command carries.
    public var idempotencyKey: String? { hash.map { EventOrigin.commandKeyPrefix + $0.hex } }
}
