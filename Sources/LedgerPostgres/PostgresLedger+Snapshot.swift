internal import LedgerStore
internal import PostgresNIO

extension PostgresLedger {
    /// The whole ledger as one consistent state, for `ledger verify`: every read in one
    /// REPEATABLE READ, READ ONLY transaction, so concurrent appends are not half seen.
    public func snapshot() async throws -> PostgresSnapshot {
        try await transaction { connection in
            let isolation: PostgresQuery = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
            try await connection.queryOrLost(isolation, logger: logger)
            let events = try await Self.decode(connection.queryOrLost(PostgresQuery(unsafeSQL: Self.selection + " WHERE e.seq >= 1 ORDER BY e.seq"), logger: logger))
            // What no append writes, and only someone editing the tables could: rows below
            // seq 1, payloads of no event, a key the dropped UNIQUE constraint would refuse.
            let outside = try await Self.decode(
                connection.queryOrLost(PostgresQuery(unsafeSQL: Self.selection + " WHERE e.seq < 1 ORDER BY e.seq LIMIT 100"), logger: logger))
            let orphanQuery: PostgresQuery = """
                SELECT p.seq FROM payloads p
                WHERE p.seq < 1 OR NOT EXISTS (SELECT 1 FROM events e WHERE e.seq = p.seq)
                ORDER BY p.seq LIMIT 100
                """
            var orphans: [Int64] = []
            for try await seq in try await connection.queryOrLost(orphanQuery, logger: logger).decode(Int64.self) { orphans.append(seq) }
            let reuseQuery: PostgresQuery = """
                SELECT idempotency_key, seq, first_value(seq) OVER (PARTITION BY idempotency_key ORDER BY seq)
                FROM events WHERE idempotency_key IS NOT NULL AND seq >= 1 AND idempotency_key IN (
                    SELECT idempotency_key FROM events WHERE idempotency_key IS NOT NULL AND seq >= 1
                    GROUP BY idempotency_key HAVING count(*) > 1)
                ORDER BY seq
                """
            var reuses: [IdempotencyKeyReuse] = []
            for try await (key, seq, first) in try await connection.queryOrLost(reuseQuery, logger: logger).decode((String, Int64, Int64).self) where seq != first {
                reuses.append(IdempotencyKeyReuse(key: key, seq: seq, firstSeq: first))
            }
            return PostgresSnapshot(events: events, outside: outside, orphanPayloads: orphans, reuses: reuses)
        }
    }
}
