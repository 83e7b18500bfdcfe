public import LedgerCrypto

/// How an event appended by a relay (the server) on behalf of someone else proves who asked
/// for it: the envelope's `origin` member (docs/FORMAT.md §Origin). An event without one speaks
/// for the identity its own key is registered to.
public enum EventOrigin: Sendable, Hashable {
    /// The caller had no key of its own (a service with a bearer token, a chat user): the
    /// relay key vouches, and `via` says through what channel, e.g. `token:ci-deployer`.
    /// `evidence` holds what the channel itself reported (a chat's team, user, channel and
    /// action timestamps), so the record can be matched with the channel's own logs.
    case relayed(via: String, evidence: [String: String] = [:])
    /// The caller signed its command with its own registered key; the relay only carried it.
    case signed(CommandSignature)

    enum Field {
        static let via = "via", evidence = "evidence", hash = "hash", keyID = "keyId", nonce = "nonce", signature = "signature", time = "time"
        static let relayed: Set<String> = [via, evidence]
        static let signed: Set<String> = [hash, keyID, nonce, signature, time]
    }

    /// The prefix of a signed command's idempotency key: `command:` and the command hash, so
    /// the store's unique index refuses the same signed command twice.
    public static let commandKeyPrefix = "command:"

    public var jsonValue: JSONValue {
        var object = JSONObject()
        switch self {
        case .relayed(let via, let evidence):
            object[Field.via] = .string(via)
            if !evidence.isEmpty {
                var members = JSONObject()
                for (name, value) in evidence { members[name] = .string(value) }
                object[Field.evidence] = .object(members)
            }
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
            self = .relayed(via: via, evidence: try fields.object[Field.evidence].map(Self.evidence) ?? [:])
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

    /// The most members an `evidence` object holds.
    public static let maxEvidenceMembers = 16
    public static let evidenceRule = "an object of 1-16 members, names of 1-64 letters and digits starting with a letter, values \(Identifier.referenceRule)"

    /// True when `evidence` would be read back as written.
    public static func isValidEvidence(_ evidence: [String: String]) -> Bool {
        (1...maxEvidenceMembers).contains(evidence.count) && evidence.allSatisfy { name, value in
            isEvidenceName(name) && Identifier.isValidReference(value)
        }
    }

    private static func isEvidenceName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, Self.isLetter(first) else { return false }
        return bytes.allSatisfy { Self.isLetter($0) || (0x30...0x39).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }

    private static func evidence(_ value: JSONValue) throws(FormatError) -> [String: String] {
        guard case .object(let object) = value else { throw FormatError(.invalidField, "origin field \"evidence\" must be \(evidenceRule)") }
        var evidence: [String: String] = [:]
        for name in object.keys {
            guard let text = object[name]?.stringValue else { throw FormatError(.invalidField, "origin field \"evidence\" must be \(evidenceRule)") }
            evidence[name] = text
        }
        guard isValidEvidence(evidence) else { throw FormatError(.invalidField, "origin field \"evidence\" must be \(evidenceRule)") }
        return evidence
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
