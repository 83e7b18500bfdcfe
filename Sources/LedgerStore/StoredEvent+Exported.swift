public import LedgerFormat

extension StoredEvent {
    /// A row built from an exported event (docs/FORMAT.md §JSON Lines), for `Ledger.restore`.
    ///
    /// The indexed columns are copied from `envelope` when it decoded; when it did not, they
    /// are placeholders that no check reads (the verifier stops at an invalid envelope).
    /// `streamVersion` and `idempotencyKey` may be overridden so that rows the storage's
    /// UNIQUE constraints would refuse (two events claiming one stream version) can still be
    /// stored and judged by the verifier.
    public init(
        seq: Int64, hash: [UInt8], envelopeBytes: [UInt8], signature: [UInt8], payloadBytes: [UInt8]?,
        envelope: EventEnvelope?, storedStreamVersion: Int64? = nil, storedIdempotencyKey: String?? = nil
    ) {
        self.seq = seq
        self.hash = hash
        self.envelopeBytes = envelopeBytes
        self.signature = signature
        self.payloadBytes = payloadBytes
        previousHash = envelope?.previousHash.bytes ?? []
        stream = envelope?.stream ?? ""
        streamVersion = storedStreamVersion ?? envelope?.streamVersion ?? -seq
        type = envelope?.type ?? ""
        actor = envelope?.actor ?? ""
        keyID = envelope?.keyID.rawValue ?? ""
        time = envelope?.time.description ?? ""
        idempotencyKey = storedIdempotencyKey ?? envelope?.idempotencyKey
        correlationID = envelope?.correlationID
    }
}
