internal import Foundation
internal import GRDB
internal import LedgerFormat
internal import LedgerMigrations

/// A ledger file: the signed, hash-chained event log in one SQLite database.
///
/// Many tasks, and many processes, may append to the same file at once: every append runs in
/// one `BEGIN IMMEDIATE` transaction that reads the head, builds, hashes and signs the event,
/// inserts it and commits, so the chain stays linear and `seq` gapless.
public final class Ledger: Sendable {
    /// The ledger's id, from its genesis event.
    public let ledgerID: String
    /// The file path.
    public let path: String
    let database: DatabasePool
    let configuration: LedgerConfiguration

    private init(path: String, database: DatabasePool, ledgerID: String, configuration: LedgerConfiguration) {
        self.path = path
        self.database = database
        self.ledgerID = ledgerID
        self.configuration = configuration
    }

    /// Creates a new ledger file whose genesis event names `rootKey` as its root key, bound to
    /// `rootIdentity` with the admin capability.
    /// - Throws: `LedgerError.alreadyExists` when the file exists (a ledger is never overwritten).
    public static func create(
        at path: String, root: Signer, configuration: LedgerConfiguration = LedgerConfiguration()
    ) async throws -> Ledger {
        guard Identifier.isValidIdentity(root.identity) else {
            throw LedgerError(.invalidEvent, "identity '\(Identifier.printable(root.identity))' is invalid: use \(Identifier.identityRule)")
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw LedgerError(.alreadyExists, "'\(path)' already exists; a ledger is never overwritten. Choose another path.")
        }
        let database = try openPool(path: path, configuration: configuration, create: true)
        let ledgerID = UUID().uuidString.lowercased()
        let genesis = Genesis(
            ledgerID: ledgerID,
            rootKey: KeyRegistration(publicKey: root.key.publicKey, identity: root.identity, capabilities: [.admin]))
        try await StorageErrors.mapping(path: path) {
            try migrator.migrate(database)
            try await database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    guard try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM events") == 0 else {
                        throw LedgerError(.alreadyExists, "'\(path)' already holds a ledger")
                    }
                    try Appender(db: db, configuration: configuration).appendGenesis(genesis, signer: root)
                    return .commit
                }
            }
        }
        return Ledger(path: path, database: database, ledgerID: ledgerID, configuration: configuration)
    }

    /// Opens an existing ledger file.
    /// - Throws: `LedgerError.notFound`, `.notALedger` (not SQLite, or no genesis),
    ///   `.unsupportedVersion` (written by a newer format), `.locked`.
    public static func open(at path: String, configuration: LedgerConfiguration = LedgerConfiguration()) async throws -> Ledger {
        guard FileManager.default.fileExists(atPath: path) else {
            throw LedgerError(.notFound, "no ledger at '\(path)'. Create one with `ledger init`, or set --ledger / LEDGER_PATH.")
        }
        guard try StorageErrors.hasSQLiteHeader(path: path) else {
            throw LedgerError(.notALedger, "'\(path)' is not a ledger file (not an SQLite database). Check --ledger / LEDGER_PATH.")
        }
        let database = try openPool(path: path, configuration: configuration, create: false)
        let ledgerID = try await StorageErrors.mapping(path: path) {
            try await database.read { db -> String in
                guard try db.tableExists("ledger_info"), try db.tableExists("grdb_migrations") else {
                    throw LedgerError(.notALedger, "'\(path)' is an SQLite file but not a ledger (no ledger tables).")
                }
                if try migrator.hasBeenSuperseded(db) {
                    throw LedgerError(
                        .unsupportedVersion, "'\(path)' was written by a newer version of ledger (unknown schema steps); upgrade `ledger` to read it.")
                }
                guard let row = try Row.fetchOne(db, sql: "SELECT ledger_id, format_version FROM ledger_info") else {
                    throw LedgerError(.notALedger, "'\(path)' has no genesis event: it is not an initialised ledger.")
                }
                let version: Int64 = row[1]
                guard version == EventEnvelope.formatVersion else {
                    throw LedgerError(
                        .unsupportedVersion,
                        "'\(path)' uses ledger format v\(version); this build reads v\(EventEnvelope.formatVersion). Upgrade `ledger`.")
                }
                return row[0]
            }
        }
        if !configuration.readOnly, try await database.read({ db in try !migrator.hasCompletedMigrations(db) }) {
            try StorageErrors.mapping(path: path) { try migrator.migrate(database) }
        }
        return Ledger(path: path, database: database, ledgerID: ledgerID, configuration: configuration)
    }

    private static func openPool(path: String, configuration: LedgerConfiguration, create: Bool) throws -> DatabasePool {
        var config = Configuration()
        config.readonly = configuration.readOnly
        config.busyMode = .timeout(configuration.busyTimeoutSeconds)
        config.label = "ledger"
        let durability = configuration.durability
        config.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL")")
            }
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            return try DatabasePool(path: path, configuration: config)
        } catch {
            throw StorageErrors.map(error, path: path)
        }
    }

    /// GRDB's migrator over the embedded `Migrations/*.sql`, applied in order and recorded.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        for migration in SchemaMigrations.all {
            migrator.registerMigration(migration.identifier) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }()
}
