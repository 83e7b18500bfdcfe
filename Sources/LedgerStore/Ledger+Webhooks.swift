internal import GRDB
internal import LedgerFormat

/// The `webhook_deliveries` table (`Migrations/0007_webhooks.sql`): each webhook
/// subscription's cursor and delivery state, beside the event log, never in it. Writes take
/// SQLite's write lock briefly, like a token's, and never touch the events.
extension Ledger {
    /// The state of subscription `name`, created when it has none: its cursor at the ledger's
    /// head (only events appended from now on are delivered) or, with `fromStart`, before
    /// seq 1. A subscription that has a state keeps it, whatever `fromStart` says: a restart
    /// resumes from its cursor.
    public func openWebhookDelivery(name: String, fromStart: Bool) async throws -> WebhookDeliveryState {
        try await StorageErrors.mapping(path: path) {
            try await database.write { db in
                if let row = try Row.fetchOne(db, sql: "SELECT * FROM webhook_deliveries WHERE name = ?", arguments: [name]),
                   let state = Self.webhookDeliveryState(row: row) {
                    return state
                }
                let cursor = fromStart ? 0 : try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM events") ?? 0
                let state = WebhookDeliveryState(name: name, cursor: cursor)
                try Self.save(state, in: db)
                return state
            }
        }
    }

    /// Every subscription's state, in name order; none when the file predates the table.
    public func webhookDeliveries() async throws -> [WebhookDeliveryState] {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                guard try db.tableExists("webhook_deliveries") else { return [] }
                return try Row.fetchAll(db, sql: "SELECT * FROM webhook_deliveries ORDER BY name").compactMap(Self.webhookDeliveryState(row:))
            }
        }
    }

    /// The state of subscription `name`, if it has one.
    public func webhookDelivery(named name: String) async throws -> WebhookDeliveryState? {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                guard try db.tableExists("webhook_deliveries") else { return nil }
                return try Row.fetchOne(db, sql: "SELECT * FROM webhook_deliveries WHERE name = ?", arguments: [name]).flatMap(Self.webhookDeliveryState(row:))
            }
        }
    }

    /// Stores `state` over the row of its name.
    public func saveWebhookDelivery(_ state: WebhookDeliveryState) async throws {
        try await StorageErrors.mapping(path: path) {
            try await database.write { db in try Self.save(state, in: db) }
        }
    }

    /// How many events after `cursor` have a type and stream `matches` accepts: the backlog
    /// of a subscription. Reads the indexed columns only.
    public func countEvents(after cursor: Int64, matching matches: @Sendable (_ type: String, _ stream: String) -> Bool) async throws -> Int {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                var count = 0
                let rows = try Row.fetchCursor(db, sql: "SELECT type, stream FROM events WHERE seq > ? ORDER BY seq", arguments: [cursor])
                while let row = try rows.next() {
                    guard let type = String.fromDatabaseValue(row[0] as DatabaseValue),
                          let stream = String.fromDatabaseValue(row[1] as DatabaseValue)
                    else { continue }
                    if matches(type, stream) { count += 1 }
                }
                return count
            }
        }
    }

    static func save(_ state: WebhookDeliveryState, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO webhook_deliveries
                    (name, cursor, delivered, failures, failing_since, next_attempt_at, last_attempt_at, last_status, last_error, disabled_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                state.name, state.cursor, state.delivered, state.failures, state.failingSince?.description, state.nextAttemptAt?.description,
                state.lastAttemptAt?.description, state.lastStatus, state.lastError, state.disabledAt?.description,
            ])
    }

    /// A row as a state; nil for a row this library could not have written (read as raw
    /// values: GRDB traps on a conversion that fails, and the file may be hostile).
    static func webhookDeliveryState(row: Row) -> WebhookDeliveryState? {
        func text(_ column: String) -> String? { String.fromDatabaseValue(row[column] as DatabaseValue) }
        func integer(_ column: String) -> Int64? { Int64.fromDatabaseValue(row[column] as DatabaseValue) }
        guard let name = text("name"), let cursor = integer("cursor"), let delivered = integer("delivered"),
              let failures = integer("failures"), let failureCount = Int(exactly: failures)
        else { return nil }
        return WebhookDeliveryState(
            name: name, cursor: cursor, delivered: delivered, failures: failureCount,
            failingSince: text("failing_since").flatMap(Timestamp.init), nextAttemptAt: text("next_attempt_at").flatMap(Timestamp.init),
            lastAttemptAt: text("last_attempt_at").flatMap(Timestamp.init), lastStatus: integer("last_status").flatMap { Int(exactly: $0) },
            lastError: text("last_error"), disabledAt: text("disabled_at").flatMap(Timestamp.init))
    }
}
