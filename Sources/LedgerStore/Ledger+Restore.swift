internal import Foundation
internal import GRDB
internal import LedgerFormat

extension Ledger {
    /// Writes a new ledger file holding exactly the rows `produce` hands over, byte for byte,
    /// then opens it read-only.
    ///
    /// Nothing is checked, re-hashed or re-signed: this is how `ledger copy` brings a ledger
    /// from another backend into a file, as faithful to a tampered original as to a good one.
    /// Run the verifier on the result before trusting anything in it. Projections (keys,
    /// requests) are left empty (`rebuildProjections` fills them); `ledgerID` only fills the
    /// untrusted `ledger_info` cache.
    ///
    /// - Parameter produce: called once with an `insert` function; call it with each row, in
    ///   seq order. Rows are written in one transaction without fsync: the caller's next
    ///   durable commit (a rebuild of the projections) makes them durable.
    /// - Throws: `LedgerError.alreadyExists` when `path` exists; a storage error when a row
    ///   breaks the schema's constraints (duplicate seq, stream version or idempotency key).
    public static func restore(
        at path: String, ledgerID: String, _ produce: (_ insert: (StoredEvent) throws -> Void) throws -> Void
    ) async throws -> Ledger {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw LedgerError(.alreadyExists, "'\(path)' already exists; a ledger is never overwritten. Choose another path.")
        }
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = OFF") }
        try StorageErrors.mapping(path: path) {
            let database = try DatabasePool(path: path, configuration: config)
            try migrator.migrate(database)
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try db.execute(
                        sql: "INSERT INTO ledger_info (singleton, ledger_id, format_version) VALUES (1, ?, ?)",
                        arguments: [ledgerID, EventEnvelope.formatVersion])
                    let event = try db.makeStatement(sql: """
                        INSERT INTO events (seq, hash, prev_hash, stream, stream_version, type, actor, key_id, time,
                                            idempotency_key, correlation_id, envelope, signature)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    let payload = try db.makeStatement(sql: "INSERT INTO payloads (seq, bytes) VALUES (?, ?)")
                    var rows: Int64 = 0
                    try produce { row in
                        rows += 1
                        try event.execute(arguments: [
                            row.seq, Data(row.hash), Data(row.previousHash), row.stream, row.streamVersion, row.type,
                            row.actor, row.keyID, row.time, row.idempotencyKey, row.correlationID, Data(row.envelopeBytes),
                            Data(row.signature),
                        ])
                        if let bytes = row.payloadBytes {
                            try payload.execute(arguments: [row.seq, Data(bytes)])
                        }
                    }
                    // The tree of the rows as given (their hash columns), so that the copy is
                    // a ledger file like any other; the verifier holds both to the envelopes.
                    try MerkleNodes.fill(db, events: rows)
                    return .commit
                }
            }
            try database.close()
        }
        var configuration = LedgerConfiguration()
        configuration.readOnly = true
        return try await open(at: path, configuration: configuration)
    }
}
