internal import CLibCrypto

/// Owns one `EVP_PKEY` and frees it (OpenSSL cleanses private material on free).
///
/// `@unchecked Sendable`: the handle is never mutated after init, and OpenSSL 3 documents
/// EVP_PKEY as safe for concurrent read-only use (sign and verify) from many threads
/// (openssl-threads(7)).
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes ownership of a freshly created key.
    init(takingOwnershipOf pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// True when the key is an Ed25519 key.
    var isEd25519: Bool {
        EVP_PKEY_get_base_id(pointer) == EVP_PKEY_ED25519
    }

    /// The 32-byte raw public key.
    func rawPublicKey() throws -> [UInt8] {
        var length = 32
        var raw = [UInt8](repeating: 0, count: 32)
        try OpenSSL.check(EVP_PKEY_get_raw_public_key(pointer, &raw, &length), "reading the raw Ed25519 public key")
        guard length == 32 else { throw CryptoError(.invalidKey, "Ed25519 public key is \(length) bytes, expected 32") }
        return raw
    }
}
