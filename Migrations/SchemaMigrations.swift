/// The schema migrations embedded in the binary, in the order they apply.
public enum SchemaMigrations {
    /// Each migration's stable identifier (its file name without `.sql`) and its SQL.
    ///
    /// SwiftPM names an embedded file's bytes by replacing its leading digit with `_`, hence
    /// `_001_events_sql` for `0001_events.sql`.
    public static let all: [(identifier: String, sql: String)] = [
        ("0001_events", String(decoding: PackageResources._001_events_sql, as: UTF8.self)),
        ("0002_requests", String(decoding: PackageResources._002_requests_sql, as: UTF8.self)),
        ("0003_projections", String(decoding: PackageResources._003_projections_sql, as: UTF8.self)),
        ("0004_tokens", String(decoding: PackageResources._004_tokens_sql, as: UTF8.self)),
        ("0005_merkle", String(decoding: PackageResources._005_merkle_sql, as: UTF8.self)),
        ("0006_redactions", String(decoding: PackageResources._006_redactions_sql, as: UTF8.self)),
        ("0007_webhooks", String(decoding: PackageResources._007_webhooks_sql, as: UTF8.self)),
        ("0008_slack_messages", String(decoding: PackageResources._008_slack_messages_sql, as: UTF8.self)),
    ]

    /// PostgreSQL's own schema steps (`Migrations/postgres/`), applied by LedgerPostgres and
    /// recorded in its `ledger_migrations` table. Each statement ends with `;` at the end of a
    /// line outside a `$$` body: PostgreSQL's extended protocol takes one statement at a time.
    public static let postgres: [(identifier: String, sql: String)] = [
        ("pg0001_events", String(decoding: PackageResources.pg0001_events_sql, as: UTF8.self)),
        ("pg0002_projections", String(decoding: PackageResources.pg0002_projections_sql, as: UTF8.self)),
    ]
}
