public import LedgerCrypto
public import LedgerFormat

/// The latest event of a ledger.
public struct LedgerHead: Sendable, Hashable {
    public let ledgerID: String
    /// Number of events, which is also the seq of the head.
    public let size: Int64
    public let hash: SHA256Digest
    public let time: Timestamp
}

/// A registered key as the key projection records it.
public struct KeyRecord: Sendable, Hashable {
    public let keyID: KeyID
    public let identity: String
    public let publicKey: Ed25519PublicKey
    public let capabilities: [Capability]
    public let registeredSeq: Int64
    public let revokedSeq: Int64?

    public var isRevoked: Bool { revokedSeq != nil }

    /// True when the key may append events of `type` (see `Capability.required`).
    public func allows(eventType type: String) -> Bool {
        Capability.allows(capabilities, eventType: type)
    }

}
