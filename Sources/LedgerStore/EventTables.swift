/// What a database's event and payload tables can hold that no append makes: a row outside the
/// ledger's 1…N, a payload row of no event, and a key the `UNIQUE` column should have refused.
/// Each is a sign that someone wrote into the database by hand; a source of events alone
/// cannot hold any of them.
public protocol EventTables {
    /// Rows of the events table outside the ledger (seq below 1), lowest seq first, at most
    /// `limit`.
    func rowsOutsideLedger(limit: Int) throws -> [StoredEvent]
    /// Seqs of payload rows outside the ledger (below 1 or above its head), lowest first, at
    /// most `limit`.
    func orphanPayloadSeqs(limit: Int) throws -> [Int64]
    /// Every event whose idempotency key repeats that of an earlier row, among the keys of the
    /// events after `seq` (0: the whole ledger), by seq.
    func idempotencyKeyReuses(after seq: Int64) throws -> [IdempotencyKeyReuse]
}
