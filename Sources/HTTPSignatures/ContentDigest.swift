import Foundation
public import LedgerCrypto

/// `Content-Digest` (RFC 9530) with `sha-256`: the header that binds a signed request to its body.
public enum ContentDigest {
    /// The header value for `body`: `sha-256=:<base64>:`.
    public static func sha256(_ body: [UInt8]) -> String {
        "sha-256=:" + Data(SHA256.hash(body).bytes).base64EncodedString() + ":"
    }
}
