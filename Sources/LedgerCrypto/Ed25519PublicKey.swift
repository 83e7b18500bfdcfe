internal import CLibCrypto

/// An Ed25519 public key: verifies signatures, and names itself with a `KeyID`.
public struct Ed25519PublicKey: Sendable, Hashable {
    /// The 32-byte raw key (RFC 8032 encoding).
    public let rawRepresentation: [UInt8]
    /// The key's identifier (see `KeyID`), derived once.
    public let keyID: KeyID
    let key: EVPKey

    /// Imports a raw 32-byte key.
    /// - Throws: `CryptoError.invalidKey` for the wrong length or a point OpenSSL rejects.
    public init(rawRepresentation raw: [UInt8]) throws {
        guard raw.count == 32 else {
            throw CryptoError(.invalidKey, "an Ed25519 public key is 32 bytes, got \(raw.count)")
        }
        let pointer = try OpenSSL.check(
            EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count),
            "importing a raw Ed25519 public key")
        self.key = EVPKey(takingOwnershipOf: pointer)
        self.rawRepresentation = raw
        self.keyID = KeyID(publicKey: raw)
    }

    /// Imports a PEM "PUBLIC KEY" block (SubjectPublicKeyInfo), as `openssl pkey -pubout` writes.
    /// - Throws: `CryptoError.invalidPEM`, or `.invalidKey` when the key is not Ed25519.
    public init(pemRepresentation pem: String) throws {
        let pointer = try BIO.reading(Array(pem.utf8)) { bio in
            guard let pointer = PEM_read_bio_PUBKEY(bio, nil, nil, nil) else {
                throw OpenSSL.failure("reading a PEM public key (expected a 'BEGIN PUBLIC KEY' block)", code: .invalidPEM)
            }
            return pointer
        }
        try self.init(evpKey: EVPKey(takingOwnershipOf: pointer))
    }

    init(evpKey: EVPKey) throws {
        guard evpKey.isEd25519 else { throw CryptoError(.invalidKey, "the key is not an Ed25519 key") }
        self.key = evpKey
        self.rawRepresentation = try evpKey.rawPublicKey()
        self.keyID = KeyID(publicKey: rawRepresentation)
    }

    /// PEM SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"), readable by `openssl pkey -pubin`.
    public var pemRepresentation: String {
        do {
            let bytes = try BIO.writing { bio in
                try OpenSSL.check(PEM_write_bio_PUBKEY(bio, key.pointer), "writing a PEM public key")
            }
            return String(decoding: bytes, as: UTF8.self)
        } catch {
            preconditionFailure("encoding a valid Ed25519 public key cannot fail: \(error)")
        }
    }

    /// True when `signature` is a valid Ed25519 signature (RFC 8032, as OpenSSL checks it) of
    /// `message`. Malformed signatures, including any not 64 bytes long, are simply invalid.
    public func isValidSignature(_ signature: some ContiguousBytesView, for message: some ContiguousBytesView) -> Bool {
        signature.withBytes { sig in
            message.withBytes { msg in
                guard sig.count == 64, let context = EVP_MD_CTX_new() else { return false }
                defer { EVP_MD_CTX_free(context) }
                let valid = EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1
                    && EVP_DigestVerify(
                        context, sig.bindMemory(to: UInt8.self).baseAddress, sig.count,
                        msg.bindMemory(to: UInt8.self).baseAddress, msg.count) == 1
                if !valid { ERR_clear_error() }
                return valid
            }
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rawRepresentation == rhs.rawRepresentation }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawRepresentation) }
}
