public import LedgerCrypto

/// A C2SP signed-note verifier key: a name and an Ed25519 public key, written
/// `NAME+KEYHASH+BASE64(0x01 ‖ public key)` with the key hash as 8 hex digits.
public struct NoteVerifierKey: Sendable, Hashable, CustomStringConvertible {
    /// The signature type byte of Ed25519 in signed notes.
    public static let ed25519Type: UInt8 = 0x01

    public var name: String
    public var publicKey: Ed25519PublicKey

    public init(name: String, publicKey: Ed25519PublicKey) {
        self.name = name
        self.publicKey = publicKey
    }

    /// The first 4 bytes of SHA-256(name ‖ LF ‖ 0x01 ‖ public key): how a signature line names
    /// its key.
    public var keyHash: [UInt8] { NoteKeyText.keyHash(name: name, type: Self.ed25519Type, publicKey: publicKey) }

    public var description: String { NoteKeyText.text(name: name, type: Self.ed25519Type, publicKey: publicKey) }

    /// Parses the text form, refusing a key hash that does not match the name and key.
    public init(_ text: some StringProtocol) throws(FormatError) {
        let shape = "a verifier key is NAME+KEYHASH+BASE64 with an Ed25519 key (type 0x01)"
        (name, publicKey) = try NoteKeyText.parse(text, type: Self.ed25519Type, what: "verifier key", shape: shape) { _, _ in shape }
    }

    /// A key name is non-empty, printable, without spaces or `+`.
    public static func isValidName(_ name: some StringProtocol) -> Bool { NoteKeyText.isValidName(name) }
}
