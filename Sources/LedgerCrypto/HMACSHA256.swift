internal import CLibCrypto

/// HMAC-SHA256 (RFC 2104) through OpenSSL: what Slack's request signatures (v0) and Standard
/// Webhooks' `v1` signatures are made of. Comparing a received MAC goes through
/// `constantTimeEqual`, never `==`, so a forger learns nothing from how long a refusal takes.
public enum HMACSHA256 {
    /// The 32-byte MAC of `message` under `key`.
    public static func mac(key: some ContiguousBytesView, message: some ContiguousBytesView) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = key.withBytes { key in
            message.withBytes { message in
                // OpenSSL reads a null pointer as "no bytes" only with a zero length; give it a
                // valid one for empty inputs anyway.
                withUnsafeBytes(of: UInt8(0)) { empty in
                    HMAC(
                        SHA256Algorithm.shared.md, key.baseAddress ?? empty.baseAddress, Int32(key.count),
                        (message.baseAddress ?? empty.baseAddress)?.assumingMemoryBound(to: UInt8.self), message.count, &output, &length)
                }
            }
        }
        guard result != nil, length == 32 else { preconditionFailure("HMAC(SHA256) failed: \(OpenSSL.drainErrors())") }
        return output
    }

    /// True when `a` and `b` hold the same bytes, in time that depends only on their lengths.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { a in b.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 } }
    }
}
