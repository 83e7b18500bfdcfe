internal import GRDB
public import LedgerFormat

extension Ledger {
    /// The latest event.
    public func head() async throws -> LedgerHead {
        let ledgerID = self.ledgerID
        return try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                guard let head = try Appender(db: db, configuration: LedgerConfiguration()).head() else {
                    throw LedgerError(.notALedger, "the ledger has no events")
                }
                return LedgerHead(ledgerID: ledgerID, size: head.seq, hash: head.hash, time: head.time)
            }
        }
    }

    /// The seq of the last event, 0 when there is none, read without decoding that event:
    /// unlike `head()`, it answers for a ledger whose head row is corrupt.
    public func lastSeq() async throws -> Int64 {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in try Self.headSeq(db) }
        }
    }

    /// Events with `seq >= from`, in order, at most `limit` of them.
    public func events(from: Int64 = 1, limit: Int = 1000) async throws -> [RecordedEvent] {
        try await fetch(StoredEvent.selection + " WHERE e.seq >= ? ORDER BY e.seq LIMIT ?", [from, limit])
    }

    /// The events of one stream, in stream-version order, from `fromVersion`.
    public func events(stream: String, fromVersion: Int64 = 1, limit: Int = 1000) async throws -> [RecordedEvent] {
        try await fetch(
            StoredEvent.selection + " WHERE e.stream = ? AND e.stream_version >= ? ORDER BY e.stream_version LIMIT ?",
            [stream, fromVersion, limit])
    }

    /// The key projection: every key ever registered, with its revocation if any.
    public func keys() async throws -> [KeyRecord] {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in try KeyStore(db: db).all() }
        }
    }

    /// Calls `body` with every stored row in seq order, in batches of up to `batchSize`, all
    /// from one read snapshot, so a concurrent append is either wholly seen or not at all.
    /// Memory stays bounded by the batch size, whatever the ledger's length. `body` also gets
    /// point reads into the same snapshot.
    public func scan(from: Int64 = 1, batchSize: Int = 4096, _ body: ([StoredEvent], LedgerSnapshot) throws -> Void) throws {
        try StorageErrors.mapping(path: path) {
            try database.read { db in
                let snapshot = LedgerSnapshot(db: db)
                let cursor = try Row.fetchCursor(db, sql: StoredEvent.selection + " WHERE e.seq >= ? ORDER BY e.seq", arguments: [from])
                var batch: [StoredEvent] = []
                batch.reserveCapacity(batchSize)
                while let row = try cursor.next() {
                    batch.append(StoredEvent(row: row))
                    if batch.count == batchSize {
                        try body(batch, snapshot)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try body(batch, snapshot) }
            }
        }
    }

    /// Every event whose `idempotency_key` column repeats that of an earlier row, among the
    /// keys of events after `seq` (0: the whole ledger), by seq.
    ///
    /// The column, not the envelope, is read: verification proves each column equal to the
    /// signed envelope (`column-mismatch` otherwise), so together they check the envelopes.
    /// Complexity: the whole ledger, one pass over the column's `UNIQUE` index (45 ms for
    /// 100k keyed events) returning only the keys used twice; after a checkpoint, one index
    /// lookup per new event with a key. A file whose index was dropped costs a sort or one
    /// scan of the table, never a scan per event.
    public func idempotencyKeyReuses(after seq: Int64 = 0) throws -> [IdempotencyKeyReuse] {
        let keys = seq <= 0
            ? "SELECT idempotency_key FROM events WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING COUNT(*) > 1"
            : "SELECT idempotency_key FROM events WHERE seq > ?1 AND idempotency_key IS NOT NULL"
        return try StorageErrors.mapping(path: path) {
            try database.read { db in
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
    }

    private func fetch(_ sql: String, _ arguments: StatementArguments) async throws -> [RecordedEvent] {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { try StoredEvent(row: $0).recordedEvent() }
            }
        }
    }
}
