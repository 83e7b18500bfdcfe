internal import GRDB

/// Point reads inside the read transaction of `Ledger.scan`, so that what they return comes
/// from the same snapshot as the rows being scanned. Valid only inside the scan's closure.
public final class LedgerSnapshot {
    let db: Database
    /// The ledger's file, for error messages.
    let path: String

    init(db: Database, path: String) {
        self.db = db
        self.path = path
    }

    /// The rows of `stream` with `seq < before`, in stream order.
    public func rows(stream: String, before seq: Int64) throws -> [StoredEvent] {
        let statement = try db.cachedStatement(sql: StoredEvent.selection + " AND e.stream = ? AND e.seq < ? ORDER BY e.stream_version")
        return try Row.fetchAll(statement, arguments: [stream, seq]).map(StoredEvent.init(row:))
    }

    /// The type of the first event of `stream` (what the stream is: a request or not).
    public func firstType(stream: String) throws -> String? {
        let statement = try db.cachedStatement(sql: "SELECT type FROM events WHERE seq >= 1 AND stream = ? ORDER BY stream_version LIMIT 1")
        return try String.fetchOne(statement, arguments: [stream])
    }

    /// The stream version of the last event of `stream` before `seq`.
    public func lastStreamVersion(stream: String, before seq: Int64) throws -> Int64? {
        let statement = try db.cachedStatement(sql: "SELECT stream_version FROM events WHERE stream = ? AND seq >= 1 AND seq < ? ORDER BY stream_version DESC LIMIT 1")
        return try Int64.fetchOne(statement, arguments: [stream, seq])
    }

    /// The rows of the given streams up to and including `seq`, in seq order.
    public func rows(streams: [String], through seq: Int64) throws -> [StoredEvent] {
        let marks = Array(repeating: "?", count: streams.count).joined(separator: ", ")
        var arguments = StatementArguments(streams)
        arguments += [seq]
        return try Row.fetchAll(db, sql: StoredEvent.selection + " AND e.stream IN (\(marks)) AND e.seq <= ? ORDER BY e.seq", arguments: arguments)
            .map(StoredEvent.init(row:))
    }

    /// Rows of the events table outside the ledger (seq below 1), which no writer makes and no
    /// read of the ledger sees; at most `limit`, lowest seq first.
    public func rowsOutsideLedger(limit: Int) throws -> [StoredEvent] {
        try Row.fetchAll(db, sql: """
            SELECT e.seq, e.hash, e.prev_hash, e.stream, e.stream_version, e.type, e.actor, e.key_id, e.time,
                   e.idempotency_key, e.correlation_id, e.envelope, e.signature, NULL
            FROM events e WHERE NOT (\(StoredEvent.inLedger)) ORDER BY e.seq LIMIT ?
            """, arguments: [limit]).map(StoredEvent.init(row:))
    }

    /// Seqs of payload rows outside the ledger (below 1 or above its head), lowest first, at
    /// most `limit`: two range reads of the primary key. A payload row in a gap of the
    /// sequence belongs to the event the gap lost, which `seq-gap` already reports.
    public func orphanPayloadSeqs(limit: Int) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            SELECT seq FROM payloads
            WHERE seq < 1 OR seq > (SELECT IFNULL(MAX(seq), 0) FROM events WHERE seq >= 1)
            ORDER BY seq LIMIT ?
            """, arguments: [limit])
    }

    /// Calls `body` with the rows from `first` through `last`, in seq order, in batches of up
    /// to `batchSize`.
    public func scan(from first: Int64, through last: Int64, batchSize: Int, _ body: ([StoredEvent]) throws -> Void) throws {
        let cursor = try Row.fetchCursor(
            db, sql: StoredEvent.selection + " AND e.seq >= ? AND e.seq <= ? ORDER BY e.seq", arguments: [first, last])
        var batch: [StoredEvent] = []
        batch.reserveCapacity(batchSize)
        while let row = try cursor.next() {
            batch.append(StoredEvent(row: row))
            if batch.count == batchSize {
                try body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try body(batch) }
    }

    /// The highest seq the projection tables say they were built from, and the seq the
    /// recorded rebuild digest covers: if either is past the head, the projections saw events
    /// the log no longer holds. nil where the tables do not exist.
    public func projectionsReach() throws -> (tables: Int64, recorded: Int64?)? {
        guard try db.tableExists("request_timings") else { return nil }
        let tables = try Int64.fetchOne(db, sql: """
            SELECT MAX(s) FROM (
                SELECT MAX(last_seq) AS s FROM requests UNION ALL SELECT MAX(last_seq) FROM request_timings
                UNION ALL SELECT MAX(seq) FROM votes UNION ALL SELECT MAX(seq) FROM attempts UNION ALL SELECT MAX(seq) FROM executions)
            """) ?? 0
        let recorded = try Int64.fetchOne(db, sql: "SELECT MAX(through_seq) FROM projection_digest")
        return (tables, recorded)
    }

    /// The row at `seq`.
    public func row(seq: Int64) throws -> StoredEvent? {
        try Row.fetchOne(db, sql: StoredEvent.selection + " AND e.seq = ?", arguments: [seq]).map(StoredEvent.init(row:))
    }
}
