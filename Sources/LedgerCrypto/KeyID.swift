/// Names a public key in the ledger: `ed25519:` followed by the first 16 bytes of
/// SHA-256(raw 32-byte public key) in lowercase hex (32 characters). See docs/FORMAT.md §Keys.
public struct KeyID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The full text form, e.g. `ed25519:3d4017c3e843895a92b70aa74d1b7ebc`.
    public let rawValue: String

    /// The prefix that names the algorithm.
    public static let prefix = "ed25519:"

    /// Derives the id of a raw public key.
    public init(publicKey raw: [UInt8]) {
        rawValue = Self.prefix + Hex.encode(SHA256.hash(raw).bytes.prefix(16))
    }

    /// Accepts only the exact canonical text form; returns nil otherwise.
    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let hex = text.dropFirst(Self.prefix.count)
        guard hex.utf8.count == 32, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        rawValue = text
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

}
