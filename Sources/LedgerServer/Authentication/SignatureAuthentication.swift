public import ApprovalLedger
public import Hummingbird

/// Authenticates a request that carries an HTTP message signature (RFC 9421, a
/// `Signature-Input` header), for `AuthenticationMiddleware`.
///
/// An implementation must: verify the signature over the covered components with the
/// registered, unrevoked key `keyid` names (and `Content-Digest` against `body` when a body
/// is covered), hold `created` within its window, refuse a replayed `nonce`, and return the
/// key's identity and capabilities as `Credential.key`. Every refusal is a `Problem` with
/// status 401 and its own code, so the middleware answers it as it is.
public protocol MessageSignatureAuthenticating: Sendable {
    func authenticate(_ request: Request, body: [UInt8], ledger: Ledger) async throws -> Caller
}
