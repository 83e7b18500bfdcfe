public import LedgerCrypto
public import LedgerFormat

/// An event a caller wants appended; the ledger fills in seq, time, hashes and signature.
public struct EventDraft: Sendable {
    public var type: String
    public var stream: String
    /// Must be a JSON object.
    public var payload: JSONValue
    public var expectedVersion: ExpectedVersion
    /// A retry with the same key returns the original event and writes nothing.
    public var idempotencyKey: String?
    public var correlationID: String?

    public init(
        type: String, stream: String, payload: JSONValue, expectedVersion: ExpectedVersion = .any,
        idempotencyKey: String? = nil, correlationID: String? = nil
    ) {
        self.type = type
        self.stream = stream
        self.payload = payload
        self.expectedVersion = expectedVersion
        self.idempotencyKey = idempotencyKey
        self.correlationID = correlationID
    }
}

/// The optimistic-concurrency condition an append states about its stream.
public enum ExpectedVersion: Sendable, Hashable {
    /// No condition.
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream's latest version must be exactly this.
    case exactly(Int64)
}

/// Who appends: the identity the events speak for and the private key that signs them, which
/// is registered to that identity, or, for a relay, carries the `origin` that proves who asked.
public struct Signer: Sendable {
    public let identity: String
    public let key: Ed25519PrivateKey
    /// Set when `key` is a relay's (the server's) appending for `identity`, a caller it
    /// authenticated (docs/FORMAT.md §Origin).
    public let origin: EventOrigin?
    /// True once the caller's signature over the origin's command hash was checked (before the
    /// write transaction, so the writer does not spend its serial time on it).
    package let commandVerified: Bool

    public init(identity: String, key: Ed25519PrivateKey) {
        self.identity = identity
        self.key = key
        origin = nil
        commandVerified = false
    }

    private init(identity: String, key: Ed25519PrivateKey, origin: EventOrigin, commandVerified: Bool = false) {
        self.identity = identity
        self.key = key
        self.origin = origin
        self.commandVerified = commandVerified
    }

    /// This signer's key appending on behalf of `actor`: the key must be registered with the
    /// `relay` capability. With `.signed`, the caller's own signature over its command is
    /// checked and recorded; with `.relayed`, the relay vouches for the caller.
    public func speaking(for actor: String, origin: EventOrigin) -> Signer {
        Signer(identity: actor, key: key, origin: origin)
    }

    /// The same signer with the command hash its origin's signature must cover.
    package func withCommandHash(_ hash: SHA256Digest) -> Signer {
        guard case .signed(var command) = origin, command.hash != hash else { return self }
        command.hash = hash
        return Signer(identity: identity, key: key, origin: .signed(command))
    }

    /// The same signer, its command hash checked against `publicKey`'s signature.
    package func verifyingCommand(_ hash: SHA256Digest, publicKey: Ed25519PublicKey) throws -> Signer {
        guard case .signed(var command) = origin else { return self }
        try command.check(hash, publicKey: publicKey)
        command.hash = hash
        return Signer(identity: identity, key: key, origin: .signed(command), commandVerified: true)
    }
}
