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
    public var keyHash: [UInt8] {
        Array(SHA256.hash(Array(name.utf8) + [0x0A, Self.ed25519Type] + publicKey.rawRepresentation).bytes.prefix(4))
    }

    public var description: String {
        "\(name)+\(Hex.encode(keyHash))+\(Base64.encode([Self.ed25519Type] + publicKey.rawRepresentation))"
    }

    /// Parses the text form, refusing a key hash that does not match the name and key.
    public init(_ text: some StringProtocol) throws(FormatError) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, Self.isValidName(parts[0]), parts[1].utf8.count == 8, let hash = Hex.decode(parts[1]),
              let key = Base64.decode(parts[2]), key.count == 33, key[0] == Self.ed25519Type
        else {
            throw FormatError(.invalidField, "a verifier key is NAME+KEYHASH+BASE64 with an Ed25519 key (type 0x01)")
        }
        do { publicKey = try Ed25519PublicKey(rawRepresentation: Array(key.dropFirst())) } catch {
            throw FormatError(.invalidField, "the verifier key's public key is not a valid Ed25519 key")
        }
        name = String(parts[0])
        guard hash == keyHash else { throw FormatError(.invalidField, "the verifier key's hash does not match its name and key") }
    }

    /// A key name is non-empty, printable, without spaces or `+`.
    public static func isValidName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { !$0.properties.isWhitespace && $0 != "+" && $0.value >= 0x21 && $0.value != 0x7F }
    }
}
