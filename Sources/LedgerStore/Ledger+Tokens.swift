internal import GRDB
public import LedgerFormat

/// The `tokens` table (`Migrations/0004_tokens.sql`): bearer tokens for `ledger serve`, kept
/// beside the event log, never in it. Writes here take SQLite's write lock like an append,
/// briefly, and never touch the events.
extension Ledger {
    /// Stores a new token.
    /// - Throws: `LedgerError.alreadyExists` when a token of that name exists (revoked or not:
    ///   a name is never reused, so a log line naming it stays unambiguous).
    public func insertToken(_ token: AccessToken) async throws {
        let path = self.path
        try await StorageErrors.mapping(path: path) {
            try await database.write { db in
                if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tokens WHERE name = ?", arguments: [token.name]) ?? 0 > 0 {
                    throw LedgerError(.alreadyExists, "a token named '\(Identifier.printable(token.name))' exists already (names are never reused); choose another name")
                }
                try db.execute(
                    sql: """
                        INSERT INTO tokens (name, secret_sha256, identity, capabilities, created_at, expires_at, revoked_at)
                        VALUES (?, ?, ?, ?, ?, ?, NULL)
                        """,
                    arguments: [
                        token.name, token.secretSHA256, token.identity, token.capabilities.map(\.rawValue).sorted().joined(separator: ","),
                        token.createdAt.description, token.expiresAt.description,
                    ])
            }
        }
    }

    /// Every token, in name order; none when the file predates the table and was only read.
    public func tokens() async throws -> [AccessToken] {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                guard try db.tableExists("tokens") else { return [] }
                return try Row.fetchAll(db, sql: "SELECT * FROM tokens ORDER BY name").compactMap(Self.token(row:))
            }
        }
    }

    /// The token whose secret hashes to `secretSHA256`, if any.
    public func token(secretSHA256: String) async throws -> AccessToken? {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in
                guard try db.tableExists("tokens") else { return nil }
                return try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE secret_sha256 = ?", arguments: [secretSHA256]).flatMap(Self.token(row:))
            }
        }
    }

    /// Revokes the token `name` at `time` (a token revoked already keeps its first time).
    /// - Returns: the token as it now stands.
    /// - Throws: `LedgerError.notFound` when there is no such token.
    @discardableResult
    public func revokeToken(named name: String, at time: Timestamp) async throws -> AccessToken {
        try await StorageErrors.mapping(path: path) {
            try await database.write { db in
                try db.execute(sql: "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [time.description, name])
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE name = ?", arguments: [name]), let token = Self.token(row: row) else {
                    throw LedgerError(.notFound, "no token named '\(Identifier.printable(name))'; `ledger token list` shows them")
                }
                return token
            }
        }
    }

    /// A row as a token; nil for a row nobody this library wrote could hold (read as raw
    /// values: GRDB traps on a conversion that fails, and the file may be hostile).
    static func token(row: Row) -> AccessToken? {
        func text(_ column: String) -> String? { String.fromDatabaseValue(row[column] as DatabaseValue) }
        guard let name = text("name"), let hash = text("secret_sha256"), let identity = text("identity"),
              let capabilities = text("capabilities"), let created = text("created_at").flatMap(Timestamp.init),
              let expires = text("expires_at").flatMap(Timestamp.init)
        else { return nil }
        return AccessToken(
            name: name, secretSHA256: hash, identity: identity,
            capabilities: capabilities.split(separator: ",").map { Capability(rawValue: String($0)) },
            createdAt: created, expiresAt: expires, revokedAt: text("revoked_at").flatMap(Timestamp.init))
    }
}
