public import LedgerCrypto

/// The event types and payloads through which keys enter and leave the ledger. The verifier
/// judges each signature by the key timeline these events build, never by a key table.
public enum KeyEvents {
    public static let genesisType = "ledger.genesis"
    public static let registeredType = "key.registered"
    public static let revokedType = "key.revoked"
    /// The stream of the genesis event.
    public static let ledgerStream = "$ledger"
    /// The stream of key registrations and revocations.
    public static let keysStream = "$keys"
}

/// A key bound to an identity with capabilities: the payload of `key.registered`, and the
/// root key inside the genesis payload.
public struct KeyRegistration: Sendable, Hashable {
    public var keyID: KeyID
    public var publicKey: Ed25519PublicKey
    public var identity: String
    public var capabilities: [Capability]

    public init(publicKey: Ed25519PublicKey, identity: String, capabilities: [Capability]) {
        self.keyID = publicKey.keyID
        self.publicKey = publicKey
        self.identity = identity
        self.capabilities = Array(Set(capabilities)).sorted()
    }

    /// True when the key may append events of `type`.
    public func allows(eventType type: String) -> Bool {
        Capability.allows(capabilities, eventType: type)
    }

    public var jsonValue: JSONValue {
        [
            "keyId": .string(keyID.rawValue),
            "publicKey": .string(Hex.encode(publicKey.rawRepresentation)),
            "identity": .string(identity),
            "capabilities": .array(capabilities.map { .string($0.rawValue) }),
        ]
    }

    public init(_ value: JSONValue, what: String) throws(FormatError) {
        let fields = try FieldReader(value, what: what)
        try fields.rejectUnknown(allowed: ["keyId", "publicKey", "identity", "capabilities"])
        let raw = try fields.hexBytes("publicKey", count: 32)
        do { publicKey = try Ed25519PublicKey(rawRepresentation: raw) } catch {
            throw FormatError(.invalidField, "\(what) publicKey is not a valid Ed25519 key")
        }
        keyID = try fields.keyID("keyId")
        guard keyID == publicKey.keyID else {
            throw FormatError(.invalidField, "\(what) keyId \(keyID) does not match its public key (\(publicKey.keyID))")
        }
        identity = try fields.identity("identity")
        var capabilities: [Capability] = []
        for name in try fields.stringArray("capabilities") {
            let capability = Capability(rawValue: name)
            guard Capability.all.contains(capability) else {
                throw FormatError(.invalidField, "\(what) names unknown capability \"\(Identifier.printable(name))\"")
            }
            capabilities.append(capability)
        }
        guard capabilities == Array(Set(capabilities)).sorted() else {
            throw FormatError(.invalidField, "\(what) capabilities must be sorted and unique")
        }
        self.capabilities = capabilities
    }
}

/// The payload of `key.revoked`: from this event on, the key signs nothing valid.
public struct KeyRevocation: Sendable, Hashable {
    public var keyID: KeyID
    public var reason: String

    public init(keyID: KeyID, reason: String) {
        self.keyID = keyID
        self.reason = reason
    }

    public var jsonValue: JSONValue { ["keyId": .string(keyID.rawValue), "reason": .string(reason)] }

    public init(_ value: JSONValue, what: String) throws(FormatError) {
        let fields = try FieldReader(value, what: what)
        try fields.rejectUnknown(allowed: ["keyId", "reason"])
        keyID = try fields.keyID("keyId")
        reason = try fields.string("reason")
    }
}

/// The payload of the genesis event (seq 1): the ledger's identity and its root key.
public struct Genesis: Sendable, Hashable {
    public var ledgerID: String
    public var formatVersion: Int64
    public var rootKey: KeyRegistration

    public init(ledgerID: String, rootKey: KeyRegistration) {
        self.ledgerID = ledgerID
        self.formatVersion = EventEnvelope.formatVersion
        self.rootKey = rootKey
    }

    public var jsonValue: JSONValue {
        ["ledgerId": .string(ledgerID), "formatVersion": .integer(formatVersion), "rootKey": rootKey.jsonValue]
    }

    public init(_ value: JSONValue) throws(FormatError) {
        let fields = try FieldReader(value, what: "genesis payload")
        // Judged first, as for envelopes: another version may have other members.
        formatVersion = try fields.integer("formatVersion")
        guard formatVersion == EventEnvelope.formatVersion else {
            throw FormatError(.unsupportedVersion, "ledger format version \(formatVersion) is not supported (this build reads \(EventEnvelope.formatVersion))")
        }
        try fields.rejectUnknown(allowed: ["ledgerId", "formatVersion", "rootKey"])
        ledgerID = try fields.token("ledgerId")
        rootKey = try KeyRegistration(try fields.require("rootKey"), what: "genesis rootKey")
        guard rootKey.capabilities.contains(.admin) else {
            throw FormatError(.invalidField, "genesis rootKey must have the admin capability")
        }
    }
}
