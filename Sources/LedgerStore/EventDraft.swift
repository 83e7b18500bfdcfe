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

/// Who appends: the identity the events speak for and the private key registered to it.
public struct Signer: Sendable {
    public let identity: String
    public let key: Ed25519PrivateKey

    public init(identity: String, key: Ed25519PrivateKey) {
        self.identity = identity
        self.key = key
    }
}
