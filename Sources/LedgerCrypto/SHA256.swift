internal import CLibCrypto

/// SHA-256 through OpenSSL, one-shot or streaming.
///
/// The streaming form owns an `EVP_MD_CTX` and is not `Sendable`: use one per task.
public final class SHA256 {
    private let context: OpaquePointer

    /// Starts a new streaming hash.
    public init() {
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("EVP_MD_CTX_new: out of memory") }
        self.context = context
        reset()
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Forgets everything fed so far.
    public func reset() {
        guard EVP_DigestInit_ex(context, SHA256Algorithm.shared.md, nil) == 1 else {
            preconditionFailure("EVP_DigestInit_ex(SHA256) failed: \(OpenSSL.drainErrors())")
        }
    }

    /// Feeds more bytes.
    public func update(_ bytes: some ContiguousBytesView) {
        bytes.withBytes { buffer in
            guard EVP_DigestUpdate(context, buffer.baseAddress, buffer.count) == 1 else {
                preconditionFailure("EVP_DigestUpdate failed: \(OpenSSL.drainErrors())")
            }
        }
    }

    /// Returns the digest of everything fed since the last reset, then resets.
    public func finalize() -> SHA256Digest {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &output, &length) == 1, length == 32 else {
            preconditionFailure("EVP_DigestFinal_ex failed: \(OpenSSL.drainErrors())")
        }
        reset()
        return SHA256Digest(uncheckedBytes: output)
    }

    /// The SHA-256 digest of `bytes`.
    public static func hash(_ bytes: some ContiguousBytesView) -> SHA256Digest {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withBytes { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &output, &length, SHA256Algorithm.shared.md, nil)
        }
        guard ok == 1, length == 32 else { preconditionFailure("EVP_Digest(SHA256) failed: \(OpenSSL.drainErrors())") }
        return SHA256Digest(uncheckedBytes: output)
    }
}

/// Byte containers SHA-256 and Ed25519 can read without copying.
public protocol ContiguousBytesView {
    /// Calls `body` with the bytes.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result
}

extension Array: ContiguousBytesView where Element == UInt8 {
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}

extension ArraySlice: ContiguousBytesView where Element == UInt8 {
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(body)
    }
}

extension UnsafeRawBufferPointer: ContiguousBytesView {
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(self)
    }
}

/// The SHA-256 implementation fetched once: OpenSSL 3 would otherwise look it up on every call.
///
/// `@unchecked Sendable`: the fetched EVP_MD is immutable and OpenSSL documents fetched
/// algorithm objects as shareable across threads (openssl-threads(7)).
final class SHA256Algorithm: @unchecked Sendable {
    static let shared = SHA256Algorithm()
    let md: OpaquePointer

    private init() {
        guard let md = EVP_MD_fetch(nil, "SHA256", nil) else {
            preconditionFailure("EVP_MD_fetch(SHA256) failed: \(OpenSSL.drainErrors())")
        }
        self.md = md
    }
}
