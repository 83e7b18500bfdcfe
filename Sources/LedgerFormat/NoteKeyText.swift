internal import LedgerCrypto

/// The text form every C2SP note key shares, `NAME+KEYHASH+BASE64(type ‖ public key)`, for
/// Ed25519 keys of one signature type: 0x01 for a log's signed-note key (`NoteVerifierKey`),
/// 0x04 for a witness's cosignature/v1 key (`CosignerKey`). The type byte goes into the key
/// hash, so keys of two types never name each other's signature lines.
enum NoteKeyText {
    /// The first 4 bytes of SHA-256(name ‖ LF ‖ type ‖ public key): how a line names its key.
    static func keyHash(name: String, type: UInt8, publicKey: Ed25519PublicKey) -> [UInt8] {
        Array(SHA256.hash(Array(name.utf8) + [0x0A, type] + publicKey.rawRepresentation).bytes.prefix(4))
    }

    static func text(name: String, type: UInt8, publicKey: Ed25519PublicKey) -> String {
        "\(name)+\(Hex.encode(keyHash(name: name, type: type, publicKey: publicKey)))+\(Base64.encode([type] + publicKey.rawRepresentation))"
    }

    /// Parses a key of signature type `type`. `what` names the key in errors ("verifier key");
    /// `wrongType` says why a key of another type byte is refused.
    /// - Throws: `FormatError.invalidField`.
    static func parse(
        _ text: some StringProtocol, type: UInt8, what: String, shape: String, wrongType: (String, UInt8) -> String
    ) throws(FormatError) -> (name: String, publicKey: Ed25519PublicKey) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, isValidName(parts[0]), parts[1].utf8.count == 8, let hash = Hex.decodeLowercase(parts[1].utf8),
              let key = Base64.decode(parts[2]), key.count == 33
        else { throw FormatError(.invalidField, shape) }
        guard key[0] == type else { throw FormatError(.invalidField, wrongType(String(parts[0]), key[0])) }
        let publicKey: Ed25519PublicKey
        do { publicKey = try Ed25519PublicKey(rawRepresentation: Array(key.dropFirst())) } catch {
            throw FormatError(.invalidField, "the \(what)'s public key is not a valid Ed25519 key")
        }
        let name = String(parts[0])
        guard hash == keyHash(name: name, type: type, publicKey: publicKey) else {
            throw FormatError(.invalidField, "the \(what)'s hash does not match its name and key")
        }
        return (name, publicKey)
    }

    /// A key name is non-empty, printable, without spaces or `+`.
    static func isValidName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { !$0.properties.isWhitespace && $0 != "+" && $0.value >= 0x21 && $0.value != 0x7F }
    }
}
