internal import LedgerCrypto
internal import LedgerFormat

// A relay (the server) appending on behalf of a caller it authenticated
// (docs/FORMAT.md §Origin): the same rules the verifier applies, checked before anything is
// written, so a relay can only record what the caller's own key, or its own relay
// capability, allows.

extension Appender {
    /// The relay key's part: it must hold `relay`, and for a relayed event (no caller
    /// signature) also the capability the type needs, since the relay is all that vouches.
    func authorizeRelay(_ record: KeyRecord, eventType: String) throws {
        guard Capability.mayRelay(record.capabilities) else {
            throw LedgerError(
                .keyNotAllowed,
                "'\(record.identity)' (key \(record.keyID)) may not append for others: register it with the relay capability (`ledger key register --capability relay`)")
        }
    }

    /// Checks a relayed or signed origin and returns the signer to append with, its command
    /// hash filled in; sets a signed command's idempotency key, `command:` and its hash, so
    /// the same signed command can never be recorded twice.
    func attribute(_ draft: inout EventDraft, signer: Signer, payloadBytes: [UInt8]) throws -> Signer {
        guard let origin = signer.origin else { return signer }
        guard !draft.stream.hasPrefix("$") else {
            throw LedgerError(.invalidEvent, "a relay cannot append system events (\(draft.type)) for others", stream: draft.stream)
        }
        guard Identifier.isValidIdentity(signer.identity) else {
            throw LedgerError(.invalidEvent, "identity '\(Identifier.printable(signer.identity))' is invalid: use \(Identifier.identityRule)")
        }
        switch origin {
        case .relayed(let via, let evidence):
            guard Identifier.isValidReference(via) else {
                throw LedgerError(.invalidEvent, "relay channel '\(Identifier.printable(via))' must be \(Identifier.referenceRule)")
            }
            if !evidence.isEmpty, !EventOrigin.isValidEvidence(evidence) {
                throw LedgerError(.invalidEvent, "relay evidence must be \(EventOrigin.evidenceRule)")
            }
            let relay = try key(signer.key.publicKey.keyID)
            guard let relay, relay.allows(eventType: draft.type) else {
                throw LedgerError(
                    .keyNotAllowed,
                    "the relay key lacks the '\(Capability.required(forEventType: draft.type)?.rawValue ?? "-")' capability needed to relay \(draft.type) events")
            }
            // A chat account speaks only for the identity an admin linked it to; an
            // unlinked account's attempt is the relay's own event (`Approvals.chatVote`).
            if IdentityLink.namesAccount(via: via), signer.identity != relay.identity {
                let linked = try IdentityLinkTable.read(storage).identity(of: via)
                guard linked == signer.identity else {
                    throw LedgerError(
                        .keyNotAllowed,
                        "\(Identifier.printable(via)) is \(linked.map { "linked to '\($0)'" } ?? "not linked to any identity"), so the relay cannot speak for '\(signer.identity)' through it (`ledger identity link`)")
                }
            }
            return signer
        case .signed(let command):
            let signer = try withHash(signer, command: command, draft: draft, payloadBytes: payloadBytes)
            let hash = signer.origin!.command!.hash!
            try checkCommand(command, hash: hash, actor: signer.identity, eventType: draft.type, verified: signer.commandVerified)
            let key = EventOrigin.commandKeyPrefix + hash.hex
            if let given = draft.idempotencyKey, given != key {
                throw LedgerError(.invalidEvent, "a signed command's idempotency key is its hash (\(key)); leave the idempotency key out", stream: draft.stream)
            }
            if let original = try event(idempotencyKey: key) {
                throw LedgerError(
                    .commandReplayed,
                    "this signed command was already recorded as event \(original.envelope.seq); sign a new command with a fresh nonce",
                    seq: original.envelope.seq, stream: original.envelope.stream)
            }
            draft.idempotencyKey = key
            return signer
        }
    }

    /// A raw append's statement is the format's own `append` (type and payload hash); the
    /// workflow computes its commands' statements before appending.
    private func withHash(_ signer: Signer, command: CommandSignature, draft: EventDraft, payloadBytes: [UInt8]) throws -> Signer {
        if command.hash != nil { return signer }
        let namespace = String(draft.type.prefix { $0 != "." })
        guard !Capability.workflowNamespaces.contains(namespace) else {
            throw LedgerError(.invalidEvent, "a signed \(draft.type) must go through the approval workflow, which knows its command statement", stream: draft.stream)
        }
        return signer.withCommandHash(CommandStatement.hash(
            of: command, ledgerID: ledgerID, stream: draft.stream, command: CommandStatement.appendCommand,
            arguments: CommandStatement.appendArguments(type: draft.type, payloadHash: SHA256.hash(payloadBytes))))
    }

    /// The caller's key must be valid, registered to the caller, allowed the event, and have
    /// signed this very statement within the allowed skew of the appender's clock.
    private func checkCommand(_ command: CommandSignature, hash: SHA256Digest, actor: String, eventType: String, verified: Bool) throws {
        guard let record = try key(command.keyID) else {
            throw LedgerError(.commandSignatureInvalid, "the command is signed by key \(command.keyID), which is not registered in this ledger")
        }
        if let revoked = record.revokedSeq {
            throw LedgerError(.commandSignatureInvalid, "the command is signed by key \(command.keyID), revoked at seq \(revoked)", seq: revoked)
        }
        guard record.identity == actor else {
            throw LedgerError(.commandSignatureInvalid, "the command is signed by key \(command.keyID) of '\(record.identity)', not of '\(Identifier.printable(actor))'")
        }
        guard record.allows(eventType: eventType) else {
            throw LedgerError(
                .commandSignatureInvalid,
                "'\(record.identity)' (key \(command.keyID)) lacks the '\(Capability.required(forEventType: eventType)?.rawValue ?? "-")' capability needed for \(eventType) events")
        }
        // Checked before the transaction when `verified`: a key's public key never changes,
        // and its status (revocation) is the part re-read here.
        if !verified { try command.check(hash, publicKey: record.publicKey) }
        // The time the event will carry (never before the head's), which verify compares with.
        let clock = self.now ?? configuration.clock()
        let now = max(clock, try head()?.time ?? clock)
        let skew = configuration.maxClockSkew.components.seconds * 1000
        guard abs(command.time.millisecondsSinceEpoch - now.millisecondsSinceEpoch) <= skew else {
            throw LedgerError(
                .commandStale,
                "the command is dated \(command.time), more than \(skew / 1000) s from this ledger's clock (\(now)): sign it again with the current time")
        }
    }
}

extension CommandSignature {
    /// Refuses a signature that does not cover `hash` under `publicKey`.
    func check(_ hash: SHA256Digest, publicKey: Ed25519PublicKey) throws {
        guard publicKey.isValidSignature(signature, for: hash.bytes) else {
            throw LedgerError(
                .commandSignatureInvalid,
                "the command signature does not verify under key \(keyID): sign the statement docs/FORMAT.md §Signed commands defines, for this ledger and request")
        }
    }
}
