public import LedgerFormat

/// What a witness keeps about one log: the keys it trusts for the origin and the latest
/// checkpoint it cosigned. The protocol needs nothing else (c2sp.org/tlog-witness).
public struct WitnessedLog: Sendable, Hashable {
    /// The checkpoint origin line this record is for.
    public var origin: String
    /// The log's keys: a checkpoint signed by any of them is the log's.
    public var logKeys: [NoteVerifierKey]
    /// The size of the latest cosigned checkpoint; 0 before the first.
    public var size: UInt64
    /// Its root hash; nil before the first cosignature.
    public var rootHash: [UInt8]?
    /// The latest cosigned checkpoint note, with the log's signatures and the witness's
    /// cosignature, as monitors fetch it. Nil before the first.
    public var checkpoint: SignedNote?

    /// A log the witness has not cosigned for yet.
    public init(origin: String, logKeys: [NoteVerifierKey]) {
        self.origin = origin
        self.logKeys = logKeys
        self.size = 0
        self.rootHash = nil
        self.checkpoint = nil
    }

    /// The record after cosigning `checkpoint` (whose text is `text`).
    public func advanced(to text: CheckpointText, note checkpoint: SignedNote) -> WitnessedLog {
        var next = self
        next.size = text.size
        next.rootHash = text.rootHash
        next.checkpoint = checkpoint
        return next
    }
}
