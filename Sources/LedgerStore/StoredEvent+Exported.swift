public import LedgerFormat

extension StoredEvent {
    /// A row built from an exported event (docs/FORMAT.md §JSON Lines), for a source that reads
    /// exported events in place (an evidence bundle).
    ///
    /// The indexed columns are copied from `envelope` when it decoded; when it did not, they
    /// are placeholders that no check reads (the verifier stops at an invalid envelope).
    /// `storedStreamVersion` overrides the stream version column, so that a second event
    /// claiming a stream's version can be told apart from the first in reads by stream.
    public init(
        seq: Int64, hash: [UInt8], envelopeBytes: [UInt8], signature: [UInt8], payloadBytes: [UInt8]?,
        envelope: EventEnvelope?, storedStreamVersion: Int64? = nil
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
        idempotencyKey = envelope?.idempotencyKey
        correlationID = envelope?.correlationID
    }
}
