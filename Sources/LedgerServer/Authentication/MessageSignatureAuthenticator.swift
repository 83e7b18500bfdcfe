public import ApprovalLedger
internal import HTTPSignatures
public import Hummingbird

/// Authenticates requests signed with HTTP Message Signatures (RFC 9421, alg `ed25519`) by a
/// key the ledger has registered: the `MessageSignatureAuthenticating` the server uses.
///
/// What a signature must carry (docs/SERVER.md §Authentication): covered components
/// `@method` and `@target-uri`, plus `content-digest` and `content-type` when there is a
/// body; parameters `created`, `nonce`, `keyid` (a ledger key id) and `alg="ed25519"`. It is
/// accepted when `created` lies within ±`window` seconds of the server's clock, its nonce was
/// not accepted before, `Content-Digest` (RFC 9530, sha-256) matches the body, and the key is
/// registered and not revoked. Every refusal is a 401 problem with its own code.
public struct MessageSignatureAuthenticator: MessageSignatureAuthenticating {
    /// How far `created` may lie from the server's clock, either side, in seconds.
    public static let defaultWindow: Int64 = 300

    /// The scheme clients address the server with when the request line does not say
    /// (HTTP/1.1 origin-form): `https` behind a TLS-terminating proxy, `http` on loopback.
    let scheme: String
    let window: Int64
    let nonces: MessageSignatureNonces
    let clock: @Sendable () -> Timestamp

    /// - Parameters:
    ///   - scheme: the scheme of the URLs clients sign, for `@target-uri`.
    ///   - window: the accepted distance of `created` from now, in seconds.
    ///   - nonceCapacity: how many nonces to remember before refusing new signatures (503).
    ///   - clock: the server's clock.
    public init(
        scheme: String = "http", window: Int64 = Self.defaultWindow, nonceCapacity: Int = 1_000_000,
        clock: @escaping @Sendable () -> Timestamp = SystemClock.now
    ) {
        self.scheme = scheme
        self.window = window
        self.nonces = MessageSignatureNonces(capacity: nonceCapacity)
        self.clock = clock
    }

    public func authenticate(_ request: Request, body: [UInt8], ledger: Ledger) async throws -> Caller {
        let message = components(of: request)
        let signature = try onlySignature(in: message)
        let parameters = signature.parameters
        try requireCoverage(parameters, hasBody: !body.isEmpty)
        guard parameters.algorithm == MessageSignature.algorithm else {
            throw Self.refusal("signature-invalid", "the signature must say alg=\"ed25519\"")
        }
        guard let keyText = parameters.keyID, let keyID = KeyID(keyText) else {
            throw Self.refusal("signature-invalid", "the signature's keyid must be a ledger key id (`ed25519:` and 32 hex digits)")
        }
        guard let nonce = parameters.nonce, !nonce.isEmpty, nonce.utf8.count <= 128 else {
            throw Self.refusal("signature-invalid", "the signature needs a nonce parameter of 1 to 128 characters, fresh for each request")
        }
        guard let created = parameters.created else {
            throw Self.refusal("signature-invalid", "the signature needs a created parameter (Unix seconds)")
        }
        let now = clock().millisecondsSinceEpoch / 1000
        guard abs(created - now) <= window, parameters.expires.map({ $0 >= now }) ?? true else {
            throw Self.refusal(
                "signature-expired",
                "the signature was created at \(created), \(created - now) s from the server's clock (\(now)); it must lie within ±\(window) s: check the client's clock")
        }

        guard let key = try await ledger.keys().first(where: { $0.keyID == keyID }) else {
            throw Self.refusal("key-unknown", "key \(keyID) is not registered in this ledger (`ledger key register` registers it)")
        }
        if let revoked = key.revokedSeq {
            throw Self.refusal("key-revoked", "key \(keyID) of \(Identifier.printable(key.identity)) was revoked at seq \(revoked)")
        }
        let valid: Bool
        do {
            valid = try signature.isValid(for: message, publicKey: key.publicKey)
        } catch let error as HTTPSignatureError {
            throw Self.refusal("signature-invalid", error.message)
        }
        guard valid else {
            throw Self.refusal("signature-invalid", "the HTTP message signature does not verify with key \(keyID): the request was changed or signed with another key")
        }
        if parameters.coveredComponents.contains("content-digest") {
            do {
                try ContentDigest.verify(message.values(of: "content-digest").joined(separator: ", "), body: body)
            } catch let error as HTTPSignatureError {
                throw Self.refusal("digest-mismatch", error.message)
            }
        }
        // Last, so only requests that passed every other check take a place in the cache.
        switch nonces.insert(keyID: keyText, nonce: nonce, expiry: created + window, now: now) {
        case .fresh:
            break
        case .replayed:
            throw Self.refusal("signature-replayed", "this signature's nonce was already used: sign each request afresh")
        case .full:
            throw Problem(
                status: .serviceUnavailable, code: "unavailable",
                detail: "too many signed requests in the last \(2 * window) s to remember their nonces; retry shortly"
            ).with(header: .retryAfter, "1")
        }
        return Caller(identity: key.identity, capabilities: key.capabilities, credential: .key(keyID))
    }

    /// The request as RFC 9421 sees it. HTTP/1.1 gives no scheme (origin-form), so it is the
    /// configured one; the authority is what `Host` said.
    func components(of request: Request) -> MessageComponents {
        let target = request.head.path ?? "/"
        let path: Substring, query: String?
        if let question = target.firstIndex(of: "?") {
            path = target[..<question]
            query = String(target[target.index(after: question)...])
        } else {
            path = Substring(target)
            query = nil
        }
        return MessageComponents(
            method: request.method.rawValue, scheme: request.head.scheme ?? scheme, authority: request.head.authority ?? "",
            path: String(path), query: query,
            fields: request.headers.map { (name: $0.name.rawName, value: $0.value) })
    }

    private func onlySignature(in message: MessageComponents) throws -> MessageSignature {
        let signatures: [MessageSignature]
        do {
            signatures = try MessageSignature.all(in: message)
        } catch let error as HTTPSignatureError {
            throw Self.refusal("signature-invalid", error.message)
        }
        guard signatures.count == 1 else {
            throw Self.refusal("signature-invalid", "the request carries \(signatures.count) signatures; sign it once")
        }
        return signatures[0]
    }

    private func requireCoverage(_ parameters: SignatureParameters, hasBody: Bool) throws {
        let required = hasBody ? ["@method", "@target-uri", "content-digest", "content-type"] : ["@method", "@target-uri"]
        let missing = required.filter { !parameters.coveredComponents.contains($0) }
        guard missing.isEmpty else {
            throw Self.refusal(
                "signature-invalid", "the signature must cover \(required.map { "\"\($0)\"" }.joined(separator: " ")); it leaves out \(missing.joined(separator: ", "))")
        }
    }

    static func refusal(_ code: String, _ detail: String) -> Problem {
        Problem(status: .unauthorized, code: code, detail: detail)
            .with(header: .wwwAuthenticate, #"Signature realm="ledger""#)
    }
}
