internal import LedgerStore
internal import PostgresNIO

extension PostgresLedger {
    /// Calls `body` with the ledger as one consistent state, for `ledger verify`: every read in
    /// one REPEATABLE READ, READ ONLY transaction, so concurrent appends are not half seen.
    ///
    /// The snapshot reads its rows as `body` asks for them and is usable only while `body`
    /// runs. `body` blocks the calling thread on those reads (the verifier is synchronous);
    /// their queries complete on the connection's event loop.
    /// - Throws: what `body` throws, as it threw it; the server's errors as `LedgerError`.
    public func withSnapshot<T: Sendable>(_ body: (PostgresSnapshot) throws -> T) async throws -> T {
        let outcome: Result<T, any Error> = try await transaction { connection in
            let isolation: PostgresQuery = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
            try await connection.queryOrLost(isolation, logger: logger)
            let lastQuery: PostgresQuery = "SELECT COALESCE(max(seq), 0)::bigint FROM events WHERE seq >= 1"
            let lastSeq = try await connection.queryOrLost(lastQuery, logger: logger).decode(Int64.self).first { _ in true } ?? 0
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
            let snapshot = PostgresSnapshot(
                lastSeq: lastSeq, connection: connection, location: location, logger: logger, outside: outside, orphanPayloads: orphans, reuses: reuses)
            // Carried out of the transaction as a value, so `transaction` maps only the
            // server's errors: the verifier's own pass through unchanged.
            return Result { try body(snapshot) }
        }
        return try outcome.get()
    }
}
