public import LedgerCrypto

/// The verifier key of a cosigner (a witness) making Ed25519 cosignature/v1 signatures
/// (c2sp.org/tlog-cosignature): `NAME+KEYHASH+BASE64(0x04 ‖ public key)`.
///
/// Same text form as `NoteVerifierKey` (`NoteKeyText`), another type byte.
public struct CosignerKey: NoteVerifier, CustomStringConvertible {
    /// The signature type byte of Ed25519 cosignature/v1.
    public static let cosignatureType: UInt8 = 0x04

    public var name: String
    public var publicKey: Ed25519PublicKey

    public init(name: String, publicKey: Ed25519PublicKey) {
        self.name = name
        self.publicKey = publicKey
    }

    /// The first 4 bytes of SHA-256(name ‖ LF ‖ 0x04 ‖ public key).
    public var keyHash: [UInt8] { NoteKeyText.keyHash(name: name, type: Self.cosignatureType, publicKey: publicKey) }

    public var description: String { NoteKeyText.text(name: name, type: Self.cosignatureType, publicKey: publicKey) }

    /// Parses the text form, refusing another type byte and a key hash that does not match.
    /// - Throws: `FormatError.invalidField`.
    public init(_ text: some StringProtocol) throws(FormatError) {
        (name, publicKey) = try NoteKeyText.parse(
            text, type: Self.cosignatureType, what: "cosigner key",
            shape: "a cosigner key is NAME+KEYHASH+BASE64(0x04 ‖ 32-byte Ed25519 key), with the key hash as 8 lowercase hex digits"
        ) { name, type in
            "the key '\(Identifier.printable(name))' has signature type 0x\(Hex.encode([type])), not 0x04 (an Ed25519 cosignature/v1 key); a log's key (0x01) cannot stand for a witness"
        }
    }

    /// True when `signature` is a well-formed cosignature/v1 by this key over `text`.
    public func isValid(_ signature: SignedNote.Signature, text: [UInt8]) -> Bool {
        guard let cosignature = try? Cosignature(signature) else { return false }
        return publicKey.isValidSignature(cosignature.signature, for: Cosignature.message(timestamp: cosignature.timestamp, text: text))
    }
}
