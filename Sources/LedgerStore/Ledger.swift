internal import Foundation
internal import GRDB
internal import LedgerCrypto
package import LedgerDomain
internal import LedgerFormat
internal import LedgerMigrations

/// A ledger file: the signed, hash-chained event log in one SQLite database.
///
/// Many tasks, and many processes, may append to the same file at once: every append runs in
/// a `BEGIN IMMEDIATE` transaction that reads the head, builds, hashes and signs the event,
/// inserts it and commits, so the chain stays linear and `seq` gapless. The concurrent
/// writes of one `Ledger` share that transaction and its commit (`GroupCommit`).
public final class Ledger: LedgerWriting {
    /// The ledger's id, from its genesis event; empty for a file opened read-only that has
    /// the ledger's tables but no genesis (which `ledger verify` reports as `ledger-empty`).
    public let ledgerID: String
    /// The file path.
    public let path: String
    public var address: String { path }
    let database: DatabasePool
    let configuration: LedgerConfiguration
    /// The keys its signed key events establish, shared by its transactions.
    let signedKeys = SignedKeys()
    /// Published policies earlier transactions parsed, by the seq of their event: a committed
    /// `policy.published` event never changes, and its content hash was checked when parsed.
    package let policies = SharedCache<Int64, PublishedPolicy>(capacity: 16)
    /// The queue every append and transaction of this `Ledger` commits through.
    let writes: GroupCommit

    private init(path: String, database: DatabasePool, ledgerID: String, configuration: LedgerConfiguration) {
        self.path = path
        self.database = database
        self.ledgerID = ledgerID
        self.configuration = configuration
        writes = GroupCommit(database: database, path: path, ledgerID: ledgerID, configuration: configuration, signedKeys: signedKeys)
    }

    /// How concurrent writes have shared commits since this `Ledger` was opened.
    public var groupCommitStatistics: GroupCommitStatistics { writes.statistics }

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
                    try Appender(storage: SQLiteAppendStorage(db: db), configuration: configuration).appendGenesis(genesis, signer: root)
                    return .commit
                }
            }
        }
        return Ledger(path: path, database: database, ledgerID: ledgerID, configuration: configuration)
    }

    /// Opens an existing ledger file.
    ///
    /// A file that nobody may write (no `w` in its mode, e.g. `chmod 444` on an archived
    /// ledger) is opened read-only even when the configuration asks for writing, and even by
    /// root, whom the kernel would let write it: appends then fail with `.readOnly` and the
    /// file is never touched, not even by a schema upgrade.
    /// - Throws: `LedgerError.notFound`, `.notALedger` (not SQLite, or, unless read-only, no
    ///   genesis),
    ///   `.unsupportedVersion` (written by a newer approval-ledger), `.locked`, `.storage`.
    public static func open(at path: String, configuration: LedgerConfiguration = LedgerConfiguration()) async throws -> Ledger {
        guard FileManager.default.fileExists(atPath: path) else {
            throw LedgerError(.notFound, "no ledger at '\(path)'. Create one with `ledger init`, or set --ledger / LEDGER_PATH.")
        }
        guard try StorageErrors.hasSQLiteHeader(path: path) else {
            throw LedgerError(.notALedger, "'\(path)' is not a ledger file (not an SQLite database). Check --ledger / LEDGER_PATH.")
        }
        var configuration = configuration
        if try StorageErrors.isWriteProtected(path: path) { configuration.readOnly = true }
        let database = try openPool(path: path, configuration: configuration, create: false)
        let readOnly = configuration.readOnly
        let ledgerID = try await StorageErrors.mapping(path: path) {
            try await database.read { db -> String in
                guard try db.tableExists("ledger_info"), try db.tableExists("grdb_migrations") else {
                    throw LedgerError(.notALedger, "'\(path)' is an SQLite file but not a ledger (no ledger tables).")
                }
                let known = Set(SchemaMigrations.all.map(\.identifier))
                let unknown = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier").filter { !known.contains($0) }
                if !unknown.isEmpty {
                    throw LedgerError(
                        .unsupportedVersion,
                        "'\(path)' was written by a newer approval-ledger (schema steps this build does not know: \(unknown.map { Identifier.printable($0) }.joined(separator: ", "))). Upgrade `ledger` to use it; this build leaves it untouched.")
                }
                guard let row = try Row.fetchOne(db, sql: "SELECT ledger_id, format_version FROM ledger_info") else {
                    // Read-only, the file is opened anyway, so that `ledger verify` can say
                    // what is wrong with it (`ledger-empty`); nothing can append to it.
                    if readOnly { return "" }
                    throw LedgerError(.notALedger, "'\(path)' has no genesis event: it is not an initialised ledger.")
                }
                // Read as raw values: a hostile file may hold any type anywhere, and GRDB traps
                // on a conversion that fails.
                let storedVersion = Int64.fromDatabaseValue(row[1] as DatabaseValue)
                guard let version = storedVersion, version == EventEnvelope.formatVersion else {
                    if let version = storedVersion, version > EventEnvelope.formatVersion {
                        throw LedgerError(
                            .unsupportedVersion,
                            "'\(path)' was written by a newer approval-ledger (ledger format v\(version)); this build reads v\(EventEnvelope.formatVersion). Upgrade `ledger` to use it; this build leaves it untouched.")
                    }
                    throw LedgerError(
                        .unsupportedVersion,
                        "'\(path)' names ledger format \(storedVersion.map { "v\($0)" } ?? "(unreadable)"), which no approval-ledger writes; this build reads v\(EventEnvelope.formatVersion). Run `ledger verify` on it.")
                }
                guard let ledgerID = String.fromDatabaseValue(row[0] as DatabaseValue) else {
                    throw LedgerError(.notALedger, "'\(path)' has no ledger id: it is not an initialised ledger.")
                }
                return ledgerID
            }
        }
        let ledger = Ledger(path: path, database: database, ledgerID: ledgerID, configuration: configuration)
        if !configuration.readOnly, try await database.read({ db in try !migrator.hasCompletedMigrations(db) }) {
            let applied = try await StorageErrors.mapping(path: path) { try await database.read { try migrator.appliedIdentifiers($0) } }
            try StorageErrors.mapping(path: path) { try migrator.migrate(database) }
            // A file written before the metrics projections existed gets them filled from its
            // events once, on the first writable open.
            if !applied.contains(projectionsMigration) { _ = try await ledger.rebuildProjections() }
            // Likewise its Merkle tree, from the event hashes, in one transaction.
            if !applied.contains(merkleMigration) { try await ledger.fillTree() }
        }
        return ledger
    }

    private static func openPool(path: String, configuration: LedgerConfiguration, create: Bool) throws -> DatabasePool {
        var config = Configuration()
        config.readonly = configuration.readOnly
        config.busyMode = .timeout(configuration.busyTimeoutSeconds)
        config.label = "ledger"
        let maxFileBytes = configuration.maxFileBytes
        config.prepareDatabase { db in
            if !db.configuration.readonly, let maxFileBytes {
                // Per connection, not stored in the file. SQLite never sets it below the
                // file's current size, so a full file simply cannot grow.
                let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
                try db.execute(sql: "PRAGMA max_page_count = \(max(1, maxFileBytes / pageSize))")
            }
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            if !configuration.readOnly {
                // Set last, on the writer: opening a pool turns WAL on and with it
                // `synchronous = NORMAL` (GRDB's Database.setUpWALMode), after prepareDatabase.
                let durability = configuration.durability == .full ? "FULL" : "NORMAL"
                try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(durability)") }
            }
            return pool
        } catch {
            throw StorageErrors.map(error, path: path)
        }
    }

    /// The schema step that added the metrics projections.
    static let projectionsMigration = "0003_projections"
    /// The schema step that added the Merkle tree.
    static let merkleMigration = "0005_merkle"

    /// GRDB's migrator over the embedded `Migrations/*.sql`, applied in order and recorded.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        for migration in SchemaMigrations.all {
            migrator.registerMigration(migration.identifier) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }()
}
