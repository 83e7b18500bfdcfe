internal import Foundation
internal import LedgerMigrations
internal import LedgerStore
internal import PostgresNIO

extension PostgresLedger {
    /// An arbitrary constant naming the advisory lock that serializes schema upgrades, so two
    /// hosts starting at once do not both apply a step.
    static let migrationLock: Int64 = 0x6C65_6467_6572  // "ledger"

    /// Applies the steps of `SchemaMigrations.postgres` the database has not recorded, each
    /// in the one transaction that records it.
    /// - Throws: `LedgerError.notALedger` when the database has an `events` table that no
    ///   ledger migration made.
    func migrate() async throws {
        try await transaction { connection in
            let lock: PostgresQuery = "SELECT pg_advisory_xact_lock(\(Self.migrationLock))"
            try await connection.queryOrLost(lock, logger: logger)
            let foreignQuery: PostgresQuery = "SELECT to_regclass('events') IS NOT NULL AND to_regclass('ledger_migrations') IS NULL"
            let foreign = try await connection.queryOrLost(foreignQuery, logger: logger).decode(Bool.self).first { _ in true } ?? false
            if foreign {
                throw LedgerError(.notALedger, "the database at \(location) has an events table that is not a ledger's: use an empty database")
            }
            // Read before anything is written, so that an up-to-date ledger opens in a database
            // that takes no writes (a standby, default_transaction_read_only) for verify.
            let existsQuery: PostgresQuery = "SELECT to_regclass('ledger_migrations') IS NOT NULL"
            let exists = try await connection.queryOrLost(existsQuery, logger: logger).decode(Bool.self).first { _ in true } ?? false
            var applied: Set<String> = []
            if exists {
                let select: PostgresQuery = "SELECT identifier FROM ledger_migrations"
                for try await identifier in try await connection.queryOrLost(select, logger: logger).decode(String.self) { applied.insert(identifier) }
            }
            let known = Set(SchemaMigrations.postgres.map(\.identifier))
            if let newer = applied.subtracting(known).sorted().first {
                throw LedgerError(
                    .unsupportedVersion, "the database at \(location) has schema step \(newer), which this ledger does not know: upgrade ledger")
            }
            if known.isSubset(of: applied) { return }
            let create: PostgresQuery = "CREATE TABLE IF NOT EXISTS ledger_migrations (identifier text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            try await connection.queryOrLost(create, logger: logger)
            for (identifier, sql) in SchemaMigrations.postgres where !applied.contains(identifier) {
                for statement in Self.statements(sql) {
                    try await connection.queryOrLost(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let record: PostgresQuery = "INSERT INTO ledger_migrations (identifier) VALUES (\(identifier))"
                try await connection.queryOrLost(record, logger: logger)
            }
        }
    }

    /// The statements of a migration file: each ends with `;` at the end of a line outside a
    /// `$$` body.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current: [Substring] = []
        var inBody = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            current.append(line)
            if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
            if !inBody, line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                statements.append(current.joined(separator: "\n"))
                current = []
            }
        }
        return statements
    }
}
