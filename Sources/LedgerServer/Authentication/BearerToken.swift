public import ApprovalLedger

/// The secrets of bearer tokens: `lgr_` and 32 random bytes in hex, shown once when created;
/// the ledger keeps only their SHA-256 (hex), which is what a presented token is looked up by.
public enum BearerToken {
    public static let prefix = "lgr_"
    /// Random bytes in a secret: 256 bits, beyond guessing.
    public static let secretBytes = 32

    /// A fresh secret (`SystemRandomNumberGenerator` reads the kernel's CSPRNG).
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + Hex.encode((0..<secretBytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The lookup key of `secret`: lowercase hex SHA-256 of its UTF-8 bytes.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(Array(secret.utf8)).hex
    }

    /// True when `secret` has the shape `newSecret` makes, so anything else is refused before
    /// a lookup.
    public static func isWellFormed(_ secret: String) -> Bool {
        guard secret.hasPrefix(prefix) else { return false }
        let hex = secret.utf8.dropFirst(prefix.utf8.count)
        return hex.count == secretBytes * 2 && hex.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The capabilities a token may carry: what a service or CI job does. Not `admin`,
    /// `clock` or `relay`: those stay with keys.
    public static let grantable: [Capability] = [.request, .approve, .execute, .append]
}
