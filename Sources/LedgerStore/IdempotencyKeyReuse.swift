/// An event whose idempotency key an earlier event of the same ledger already carries: what
/// the `UNIQUE` column forbids, so only a file rebuilt or written without its constraints
/// holds one (docs/FORMAT.md §Verification, `duplicate-idempotency-key`).
public struct IdempotencyKeyReuse: Sendable, Hashable {
    /// The key both events carry.
    public let key: String
    /// The later event.
    public let seq: Int64
    /// The first event that carries the key.
    public let firstSeq: Int64

    public init(key: String, seq: Int64, firstSeq: Int64) {
        self.key = key
        self.seq = seq
        self.firstSeq = firstSeq
    }
}
