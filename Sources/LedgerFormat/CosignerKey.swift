public import LedgerCrypto

/// The verifier key of a cosigner (a witness) making Ed25519 cosignature/v1 signatures
/// (c2sp.org/tlog-cosignature): `NAME+KEYHASH+BASE64(0x04 ‖ public key)`.
///
/// Same text form as `NoteVerifierKey`, another type byte: 0x04 goes into the key hash too, so
/// a log key and a cosigner key never name each other's lines even with one name and key.
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
    public var keyHash: [UInt8] {
        Array(SHA256.hash(Array(name.utf8) + [0x0A, Self.cosignatureType] + publicKey.rawRepresentation).bytes.prefix(4))
    }

    public var description: String {
        "\(name)+\(Hex.encode(keyHash))+\(Base64.encode([Self.cosignatureType] + publicKey.rawRepresentation))"
    }

    /// Parses the text form, refusing another type byte and a key hash that does not match.
    /// - Throws: `FormatError.invalidField`.
    public init(_ text: some StringProtocol) throws(FormatError) {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, NoteVerifierKey.isValidName(parts[0]), parts[1].utf8.count == 8,
              let hash = Hex.decodeLowercase(parts[1].utf8), let key = Base64.decode(parts[2]), key.count == 33
        else {
            throw FormatError(.invalidField, "a cosigner key is NAME+KEYHASH+BASE64(0x04 ‖ 32-byte Ed25519 key), with the key hash as 8 lowercase hex digits")
        }
        guard key[0] == Self.cosignatureType else {
            throw FormatError(.invalidField, "the key '\(Identifier.printable(String(parts[0])))' has signature type 0x\(Hex.encode([key[0]])), not 0x04 (an Ed25519 cosignature/v1 key); a log's key (0x01) cannot stand for a witness")
        }
        do { publicKey = try Ed25519PublicKey(rawRepresentation: Array(key.dropFirst())) } catch {
            throw FormatError(.invalidField, "the cosigner key's public key is not a valid Ed25519 key")
        }
        name = String(parts[0])
        guard hash == keyHash else { throw FormatError(.invalidField, "the cosigner key's hash does not match its name and key") }
    }

    /// True when `signature` is a well-formed cosignature/v1 by this key over `text`.
    public func isValid(_ signature: SignedNote.Signature, text: [UInt8]) -> Bool {
        guard let cosignature = try? Cosignature(signature) else { return false }
        return publicKey.isValidSignature(cosignature.signature, for: Cosignature.message(timestamp: cosignature.timestamp, text: text))
    }
}
