internal import CLibCrypto

/// An Ed25519 private key held inside OpenSSL, which cleanses it when the last copy is released.
public struct Ed25519PrivateKey: Sendable {
    let key: EVPKey
    /// The matching public key.
    public let publicKey: Ed25519PublicKey

    /// Generates a new key from OpenSSL's CSPRNG.
    public init() throws {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw OpenSSL.failure("creating an Ed25519 key-generation context")
        }
        defer { EVP_PKEY_CTX_free(context) }
        try OpenSSL.check(EVP_PKEY_keygen_init(context), "initialising Ed25519 key generation")
        var pointer: OpaquePointer?
        try OpenSSL.check(EVP_PKEY_keygen(context, &pointer), "generating an Ed25519 key")
        try self.init(evpKey: EVPKey(takingOwnershipOf: OpenSSL.check(pointer, "generating an Ed25519 key")))
    }

    /// Imports the 32-byte seed (RFC 8032's "secret key"). The caller should cleanse its copy.
    public init(seed: [UInt8]) throws {
        guard seed.count == 32 else { throw CryptoError(.invalidKey, "an Ed25519 seed is 32 bytes, got \(seed.count)") }
        let pointer = try OpenSSL.check(
            EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, seed.count),
            "importing an Ed25519 seed")
        try self.init(evpKey: EVPKey(takingOwnershipOf: pointer))
    }

    /// Imports an unencrypted PEM "PRIVATE KEY" block (PKCS#8), as `openssl genpkey -algorithm
    /// ed25519` writes. Encrypted keys are refused rather than prompting for a passphrase.
    public init(pemRepresentation pem: [UInt8]) throws {
        let pointer = try BIO.reading(pem) { bio in
            guard let pointer = PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil) else {
                throw OpenSSL.failure(
                    "reading a PEM private key (expected an unencrypted 'BEGIN PRIVATE KEY' block)", code: .invalidPEM)
            }
            return pointer
        }
        try self.init(evpKey: EVPKey(takingOwnershipOf: pointer))
    }

    private init(evpKey: EVPKey) throws {
        guard evpKey.isEd25519 else { throw CryptoError(.invalidKey, "the key is not an Ed25519 key") }
        self.key = evpKey
        self.publicKey = try Ed25519PublicKey(rawRepresentation: evpKey.rawPublicKey())
    }

    /// PEM PKCS#8 ("BEGIN PRIVATE KEY"), unencrypted, readable by `openssl pkey`.
    /// The returned bytes are secret: cleanse them (`cleanseSecret`) once written.
    public func pemRepresentation() throws -> [UInt8] {
        try BIO.writing(secure: true) { bio in
            try OpenSSL.check(
                PEM_write_bio_PKCS8PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil), "writing a PEM private key")
        }
    }

    /// Signs `message` with pure Ed25519 (RFC 8032; deterministic).
    public func signature(for message: some ContiguousBytesView) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSL.failure("allocating a signing context") }
        defer { EVP_MD_CTX_free(context) }
        try OpenSSL.check(EVP_DigestSignInit(context, nil, nil, nil, key.pointer), "initialising Ed25519 signing")
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        try message.withBytes { msg in
            try OpenSSL.check(
                EVP_DigestSign(context, &signature, &length, msg.bindMemory(to: UInt8.self).baseAddress, msg.count),
                "Ed25519 signing")
        }
        precondition(length == 64, "Ed25519 signatures are 64 bytes")
        return signature
    }
}
