public import LedgerCrypto

/// One event as stored: the envelope's exact bytes, its hash and signature, and the payload
/// bytes (nil once redacted).
public struct RecordedEvent: Sendable, Hashable {
    public let envelope: EventEnvelope
    /// The canonical envelope bytes that were hashed and signed.
    public let envelopeBytes: [UInt8]
    /// SHA-256 of the event prefix and `envelopeBytes`.
    public let hash: SHA256Digest
    /// Ed25519 signature over the 32 bytes of `hash`.
    public let signature: [UInt8]
    /// Canonical payload bytes; nil when the payload has been redacted or withheld.
    public let payloadBytes: [UInt8]?

    public init(envelope: EventEnvelope, envelopeBytes: [UInt8], hash: SHA256Digest, signature: [UInt8], payloadBytes: [UInt8]?) {
        self.envelope = envelope
        self.envelopeBytes = envelopeBytes
        self.hash = hash
        self.signature = signature
        self.payloadBytes = payloadBytes
    }

    /// Builds, hashes and signs a new event. `payload` must be a JSON object.
    public static func seal(_ envelope: EventEnvelope, payloadBytes: [UInt8], signer: Ed25519PrivateKey) throws -> RecordedEvent {
        precondition(envelope.keyID == signer.publicKey.keyID, "the envelope must name the signing key")
        let envelopeBytes = envelope.canonicalBytes
        let hash = DomainSeparation.eventHash(envelopeBytes: envelopeBytes)
        let signature = try signer.signature(for: hash.bytes)
        return RecordedEvent(envelope: envelope, envelopeBytes: envelopeBytes, hash: hash, signature: signature, payloadBytes: payloadBytes)
    }

    /// The payload parsed, or nil when it has been redacted.
    public func payload() throws(FormatError) -> JSONValue? {
        guard let payloadBytes else { return nil }
        do { return try JSONParser.parse(payloadBytes) } catch {
            throw FormatError(.invalidJSON, "payload of event \(envelope.seq): \(error)")
        }
    }
}
