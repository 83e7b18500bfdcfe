public import LedgerFormat

/// A bearer token `ledger serve` accepts, as the `tokens` table holds it: never the secret,
/// only its SHA-256 (hex), with the identity it acts as, what it may do and when it ends.
public struct AccessToken: Sendable, Hashable {
    /// Unique, chosen by whoever creates it (`ledger token create --name`); revocation names it.
    public var name: String
    /// Lowercase hex SHA-256 of the secret.
    public var secretSHA256: String
    public var identity: String
    public var capabilities: [Capability]
    public var createdAt: Timestamp
    public var expiresAt: Timestamp
    public var revokedAt: Timestamp?

    public init(
        name: String, secretSHA256: String, identity: String, capabilities: [Capability], createdAt: Timestamp,
        expiresAt: Timestamp, revokedAt: Timestamp? = nil
    ) {
        self.name = name
        self.secretSHA256 = secretSHA256
        self.identity = identity
        self.capabilities = capabilities
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// True when it may be used at `time`: not revoked, not expired.
    public func isUsable(at time: Timestamp) -> Bool { revokedAt == nil && time < expiresAt }
}
