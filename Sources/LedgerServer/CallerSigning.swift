import ApprovalLedger

/// The signer a caller's command is appended with. A token caller has no key of its own, so
/// the server's key relays for it (`origin.via = "token:<name>"`); a key caller's command
/// carries its own signature (the body's `signed` member) for the ledger to check.
struct CallerSigning: Sendable {
    let serverSigner: Signer

    /// The members of a body's `signed` object.
    static let signedMembers: Set<String> = ["nonce", "time", "signature"]

    func signer(for caller: Caller, signed: JSONValue?) throws -> Signer {
        switch caller.credential {
        case .token(let name):
            if signed != nil {
                throw Problem(status: .badRequest, code: "command-signed-by-token", detail: "a token caller's command is relayed by the server's key: drop the \"signed\" member, or authenticate with your key")
            }
            return relayed(identity: caller.identity, via: "token:\(name)")
        case .key(let keyID):
            guard let signed else {
                throw Problem(
                    status: .badRequest, code: "command-unsigned",
                    detail: "a key-authenticated write must carry \"signed\": {nonce, time, signature} over its command statement (docs/SERVER.md §Signed commands)")
            }
            return try ownKey(identity: caller.identity, keyID: keyID, signed: signed)
        case .anonymous:
            throw AuthenticationMiddleware<ServerContext>.unauthenticated("authentication-required", "writes need credentials: a bearer token or an HTTP message signature")
        }
    }

    /// Reads `signed` strictly (400 for an unknown member or a malformed one).
    static func readSigned(_ value: JSONValue) throws -> (nonce: String, time: Timestamp, signature: [UInt8]) {
        let fields = try FieldReader(value, what: "\"signed\"")
        try fields.rejectUnknown(allowed: signedMembers)
        return (try fields.string("nonce"), try fields.timestamp("time"), try fields.hexBytes("signature", count: 64))
    }

    private func relayed(identity: String, via channel: String) -> Signer {
        serverSigner.speaking(for: identity, origin: .relayed(via: channel))
    }

    private func ownKey(identity: String, keyID: KeyID, signed: JSONValue) throws -> Signer {
        let parts = try Self.readSigned(signed)
        let signature = CommandSignature(keyID: keyID, nonce: parts.nonce, time: parts.time, signature: parts.signature)
        return serverSigner.speaking(for: identity, origin: .signed(signature))
    }
}
