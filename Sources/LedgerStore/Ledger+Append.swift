internal import GRDB
internal import LedgerCrypto
public import LedgerFormat

extension Ledger {
    /// The deepest nesting a payload may have: that of any JSON text a reader accepts (64,
    /// the payload's own outermost object being level 1). Its JSON Lines line wraps it in one
    /// more object and is read with a limit one deeper (`EventLine.limits`), so whatever the
    /// writer stores, an export carries (docs/FORMAT.md §Accepted JSON).
    public static let maxPayloadDepth = JSONParser.Limits.default.maxDepth

    /// Appends many events in one transaction: all are written, or none. Concurrent appends
    /// share a commit (`Ledger.transaction`).
    ///
    /// - Throws: `LedgerError.versionConflict` when `expectedVersion` does not hold,
    ///   `.idempotencyConflict` when the idempotency key was used for different content,
    ///   `.unknownKey` / `.revokedKey` / `.keyNotAllowed` when the signer may not append it,
    ///   `.invalidEvent` / `.payloadTooLarge` for a bad draft, `.locked`, `.diskFull`, `.readOnly`.
    ///   Nothing is written when it throws.
    public func append(_ drafts: [EventDraft], signer: Signer) async throws -> [RecordedEvent] {
        try EventDraft.checkReadable(drafts)
        let signer = try await verifiedAppend(drafts, signer: signer)
        return try await writes.perform { batch in
            // A raw append stamps each event with the clock, not a transaction's fixed time.
            batch.appender.now = nil
            let events = try batch.appender.append(drafts, signer: signer)
            try batch.appender.storage.replaceRequests(among: drafts.map(\.stream))
            return (events, events.reduce(0) { $0 + $1.envelopeBytes.count + ($1.payloadBytes?.count ?? 0) })
        }
    }

    /// A caller's signed `append` checked before the write transaction (see
    /// `Approvals.verifiedCommand`); the appender checks what is left, or all of it when the
    /// key is not found here.
    private func verifiedAppend(_ drafts: [EventDraft], signer: Signer) async throws -> Signer {
        guard drafts.count == 1, let draft = drafts.first, case .signed(let signature) = signer.origin, signature.hash == nil,
              let key = try await key(signature.keyID)
        else { return signer }
        let hash = CommandStatement.hash(
            of: signature, ledgerID: ledgerID, stream: draft.stream, command: CommandStatement.appendCommand,
            arguments: CommandStatement.appendArguments(type: draft.type, payloadHash: SHA256.hash(CanonicalJSON.encode(draft.payload))))
        return try signer.verifyingCommand(hash, publicKey: key.publicKey)
    }

    /// Signs a checkpoint of the current head with `signer`'s key, which must be a registered,
    /// unrevoked key of this ledger.
    public func checkpoint(signer: Signer) async throws -> Checkpoint {
        let head = try await head()
        let keyID = signer.key.publicKey.keyID
        guard let record = try await keys().first(where: { $0.keyID == keyID }), !record.isRevoked else {
            throw LedgerError(.unknownKey, "key \(keyID) is not a registered, unrevoked key of this ledger; a checkpoint must be signed by one")
        }
        do {
            return try Checkpoint.sign(
                ledgerID: ledgerID, size: head.size, headHash: head.hash, time: configuration.clock(), key: signer.key)
        } catch {
            throw LedgerError(.crypto, "signing the checkpoint failed: \(error)")
        }
    }
}
