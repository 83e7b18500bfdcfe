internal import Foundation
public import LedgerStore
internal import PostgresNIO

extension PostgresLedger {
    /// The ledger's id from `ledger_info`; nil while the database holds no ledger.
    public func ledgerID() async throws -> String? {
        try await mapping {
            try await client.query("SELECT ledger_id FROM ledger_info WHERE singleton = 1", logger: logger).decode(String.self).first { _ in true }
        }
    }

    /// The number of the last row in the ledger (0 when empty).
    public func headSeq() async throws -> Int64 {
        try await mapping {
            try await client.query("SELECT COALESCE(MAX(seq), 0)::bigint FROM events WHERE seq >= 1", logger: logger).decode(Int64.self).first { _ in true } ?? 0
        }
    }

    /// Writes the rows `produce` hands over (in seq order, in pages) into an empty database as
    /// they are, byte for byte, in one transaction: either every row is there afterwards or
    /// none is. Nothing is checked, re-hashed or re-signed; run `ledger verify` on the result.
    /// - Throws: `LedgerError.alreadyExists` when the database already holds a ledger.
    public func insertCopy(
        ledgerID: String, formatVersion: Int, _ produce: (_ insert: ([StoredEvent]) async throws -> Void) async throws -> Void
    ) async throws {
        try await transaction { connection in
            // Taken first, so two copies into one database cannot interleave.
            try await connection.queryOrLost("LOCK TABLE ledger_info IN EXCLUSIVE MODE", logger: logger)
            let existing = try await connection.queryOrLost("SELECT count(*)::bigint FROM events", logger: logger).decode(Int64.self).first { _ in true } ?? 0
            guard existing == 0 else {
                throw LedgerError(.alreadyExists, "the database at \(location) already holds a ledger (\(existing) events); a ledger is never overwritten: copy into an empty database")
            }
            try await connection.queryOrLost(
                "INSERT INTO ledger_info (singleton, ledger_id, format_version) VALUES (1, \(ledgerID), \(formatVersion))", logger: logger)
            try await produce { rows in
                // A few hundred rows per statement: one round trip each, well under the
                // 65,535 parameters a statement may bind.
                for chunk in stride(from: 0, to: rows.count, by: Self.rowsPerInsert) {
                    let slice = rows[chunk..<min(chunk + Self.rowsPerInsert, rows.count)]
                    try await connection.queryOrLost(try Self.insertEvents(slice), logger: logger)
                    let payloads = slice.filter { $0.payloadBytes != nil }
                    if !payloads.isEmpty { try await connection.queryOrLost(try Self.insertPayloads(payloads), logger: logger) }
                }
            }
        }
    }

    static let rowsPerInsert = 500

    static func insertEvents(_ rows: ArraySlice<StoredEvent>) throws -> PostgresQuery {
        var bindings = PostgresBindings(capacity: rows.count * 13)
        var values: [String] = []
        for row in rows {
            let first = bindings.count
            values.append("(" + (1...13).map { "$\(first + $0)" }.joined(separator: ", ") + ")")
            bindings.append(row.seq)
            try bindings.append(Data(row.hash))
            try bindings.append(Data(row.previousHash))
            bindings.append(row.stream)
            bindings.append(row.streamVersion)
            bindings.append(row.type)
            bindings.append(row.actor)
            bindings.append(row.keyID)
            bindings.append(row.time)
            bindings.append(row.idempotencyKey)
            bindings.append(row.correlationID)
            try bindings.append(Data(row.envelopeBytes))
            try bindings.append(Data(row.signature))
        }
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO events (seq, hash, prev_hash, stream, stream_version, type, actor, key_id, time,
                                    idempotency_key, correlation_id, envelope, signature)
                VALUES \(values.joined(separator: ", "))
                """, binds: bindings)
    }

    static func insertPayloads(_ rows: [StoredEvent]) throws -> PostgresQuery {
        var bindings = PostgresBindings(capacity: rows.count * 2)
        var values: [String] = []
        for row in rows {
            values.append("($\(bindings.count + 1), $\(bindings.count + 2))")
            bindings.append(row.seq)
            try bindings.append(Data(row.payloadBytes ?? []))
        }
        return PostgresQuery(unsafeSQL: "INSERT INTO payloads (seq, bytes) VALUES \(values.joined(separator: ", "))", binds: bindings)
    }

    /// The rows from seq `from` on, at most `limit`, exactly as stored.
    public func rows(from: Int64, limit: Int) async throws -> [StoredEvent] {
        try await mapping {
            try await Self.decode(
                client.query(PostgresQuery(unsafeSQL: Self.selection + " WHERE e.seq >= $1 ORDER BY e.seq LIMIT $2", binds: Self.binds(max(from, 1), Int64(limit))), logger: logger))
        }
    }

    /// Every read of rows selects these columns, in `StoredEvent`'s order.
    static let selection = """
        SELECT e.seq, e.hash, e.prev_hash, e.stream, e.stream_version, e.type, e.actor, e.key_id, e.time,
               e.idempotency_key, e.correlation_id, e.envelope, e.signature, p.bytes
        FROM events e LEFT JOIN payloads p ON p.seq = e.seq
        """

    static func binds(_ values: Int64...) -> PostgresBindings { binds(values) }

    static func binds(_ values: [Int64]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return bindings
    }

    static func decode(_ rows: PostgresRowSequence) async throws -> [StoredEvent] {
        var result: [StoredEvent] = []
        for try await row in rows { result.append(try storedEvent(row)) }
        return result
    }

    /// A row of `selection`.
    static func storedEvent(_ row: PostgresRow) throws -> StoredEvent {
        let (seq, hash, previous, stream, version, type, actor, key, time, idempotency, correlation, envelope, signature, payload) = try row.decode(
            (Int64, Data, Data, String, Int64, String, String, String, String, String?, String?, Data, Data, Data?).self)
        return StoredEvent(
            seq: seq, hash: [UInt8](hash), previousHash: [UInt8](previous), stream: stream, streamVersion: version, type: type, actor: actor,
            keyID: key, time: time, idempotencyKey: idempotency, correlationID: correlation, envelopeBytes: [UInt8](envelope),
            signature: [UInt8](signature), payloadBytes: payload.map { [UInt8]($0) })
    }
}
