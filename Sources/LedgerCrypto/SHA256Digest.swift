/// A 32-byte SHA-256 digest.
public struct SHA256Digest: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Wraps 32 bytes; returns nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hex characters; returns nil for anything else.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 64, let bytes = Hex.decode(hex) else { return nil }
        self.bytes = bytes
    }

    /// The all-zero digest, used as the previous hash of the genesis event.
    public static let zero = SHA256Digest(uncheckedBytes: [UInt8](repeating: 0, count: 32))

    init(uncheckedBytes bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Lowercase hex, as written everywhere in the ledger format.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { hex }

    /// Compares in constant time; use this, not `==`, when one side comes from an attacker.
    public func constantTimeEquals(_ other: SHA256Digest) -> Bool {
        LedgerCrypto.constantTimeEquals(bytes, other.bytes)
    }
}
