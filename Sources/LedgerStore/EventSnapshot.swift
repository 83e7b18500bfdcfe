/// One consistent view of an `EventSource`: the required core every source gives (its rows in
/// seq order, and the reads by stream and seq of `EarlierEvents`), and the capabilities only a
/// database has, each nil where the source has none.
///
/// Requirements an implementer must meet:
/// - Rows are the columns exactly as stored, never re-derived from the envelope: the verifier
///   holds each column to the signed bytes (`column-mismatch`), and reads by stream trust the
///   columns it has checked.
/// - The ledger is the rows numbered 1, 2, 3…; a row outside that range is not returned by any
///   read here (a database reports it through `EventTables`).
/// - Every read answers from the same state as the rows `scan` returns.
public protocol EventSnapshot: EarlierEvents {
    /// Calls `body` with the rows from `first` through `last` (inclusive), in seq order, in
    /// batches of up to `batchSize`. Memory is bounded by the batch, not the ledger.
    func scan(from first: Int64, through last: Int64, batchSize: Int, _ body: ([StoredEvent]) throws -> Void) throws

    /// Rows of a database's tables that no append makes (`seq-invalid`, `payload-orphan`,
    /// `duplicate-idempotency-key`); nil for a source that holds only the ledger's events.
    var eventTables: (any EventTables)? { get }
    /// The stored Merkle tree, held to the tree the walk rebuilds (`tree-mismatch`); nil when
    /// the source stores none.
    var storedTree: (any StoredTree)? { get }
    /// The projection tables, held to the walk's replay (`projection-mismatch`,
    /// `projection-ahead`, `projection-digest-mismatch`); nil when the source has none.
    var projectionTables: (any ProjectionTables)? { get }
}

extension EventSnapshot {
    /// A source of events alone (a bundle) has none of a database's tables: the checks of
    /// those tables do not apply to it.
    public var eventTables: (any EventTables)? { nil }
    public var storedTree: (any StoredTree)? { nil }
    public var projectionTables: (any ProjectionTables)? { nil }
}
