internal import Foundation
public import LedgerCrypto
public import LedgerFormat
public import LedgerStore
internal import PostgresNIO

// Appends to a PostgreSQL ledger: the same rules as SQLite's, in one transaction at a time
// across every process and host that shares the database.

extension PostgresLedger: LedgerWriting {
    public var ledgerID: String { identifier.withLock { $0 } }
    public var address: String { location.description }

    /// The advisory lock every write transaction holds until it commits: appends are
    /// serialized by the database itself, so the chain stays linear whatever the number of
    /// writers, and a writer that dies releases it with its session.
    static let appendLock: Int64 = 0x6C65_6467_6572_0001

    /// Writes the genesis event naming `root` (bound to its identity, with the admin
    /// capability) into the empty ledger tables.
    /// - Returns: the genesis event's hash.
    /// - Throws: `LedgerError.alreadyExists` when the database already holds a ledger.
    @discardableResult
    public func initialize(root: Signer) async throws -> SHA256Digest {
        guard Identifier.isValidIdentity(root.identity) else {
            throw LedgerError(.invalidEvent, "identity '\(Identifier.printable(root.identity))' is invalid: use \(Identifier.identityRule)")
        }
        let genesis = Genesis(
            ledgerID: UUID().uuidString.lowercased(),
            rootKey: KeyRegistration(publicKey: root.key.publicKey, identity: root.identity, capabilities: [.admin]))
        let location = location
        let hash = try await writeTransaction(needsGenesis: false) { appender, _ in
            guard try appender.head() == nil else {
                throw LedgerError(.alreadyExists, "\(location) already holds a ledger; a ledger is never overwritten. Use another database.")
            }
            try appender.appendGenesis(genesis, signer: root)
            return try appender.storage.eventHash(seq: 1).flatMap(SHA256Digest.init(bytes:)) ?? .zero
        }
        identifier.withLock { $0 = genesis.ledgerID }
        return hash
    }

    public func transaction<T: Sendable>(at requested: Timestamp?, _ body: @escaping @Sendable (LedgerTransaction) throws -> T) async throws -> T {
        let configuration = configuration, policies = policies
        return try await writeTransaction { appender, committedSeq in
            let transaction = try LedgerTransaction(
                appender: appender, committedSeq: committedSeq, configuration: configuration, at: requested, policies: policies)
            let result = try body(transaction)
            try transaction.updateProjections()
            return result
        }
    }

    public func append(_ drafts: [EventDraft], signer: Signer) async throws -> [RecordedEvent] {
        try EventDraft.checkReadable(drafts)
        return try await writeTransaction { appender, _ in
            let events = try appender.append(drafts, signer: signer)
            try appender.storage.replaceRequests(among: drafts.map(\.stream))
            return events
        }
    }

    public func key(_ id: KeyID) async throws -> KeyRecord? {
        try await withStorage { storage in
            try self.signedKeys.timeline(storage: storage, through: try storage.headRow()?.seq ?? 0).entries[id].map(KeyRecord.init)
        }
    }

    public func requestRows(status: [String], limit: Int) async throws -> [RequestRow] {
        try await withStorage { storage in try storage.requestRows(status: status, limit: limit) }
    }

    public func keys() async throws -> [KeyRecord] {
        try await withStorage { storage in
            try self.signedKeys.timeline(storage: storage, through: try storage.headRow()?.seq ?? 0).entries.values.map(KeyRecord.init)
                .sorted { $0.registeredSeq < $1.registeredSeq }
        }
    }

    /// Runs the append rules in one write transaction holding `appendLock`: `body` gets an
    /// appender on this transaction's storage and the committed head seq. The transaction
    /// commits when `body` returns; whatever `body` throws rolls it all back and reaches the
    /// caller as thrown. Blocks a thread of the caller's for the statements `body` runs.
    func writeTransaction<T: Sendable>(
        needsGenesis: Bool = true, _ body: @escaping @Sendable (Appender, Int64) throws -> T
    ) async throws -> T {
        if needsGenesis, ledgerID.isEmpty { try await readIdentifier() }
        let ledgerID = ledgerID, configuration = configuration, signedKeys = signedKeys, location = location, logger = logger
        if needsGenesis, ledgerID.isEmpty {
            throw LedgerError(.notALedger, "\(location) has no genesis event: create the ledger with `ledger init --ledger \(location)`")
        }
        return try await transaction { connection in
            let lock: PostgresQuery = "SELECT pg_advisory_xact_lock(\(Self.appendLock))"
            try await connection.queryOrLost(lock, logger: logger)
            return try await Self.blocking {
                let storage = PostgresAppendStorage(connection: connection, location: location, logger: logger)
                do {
                    let appender = Appender(storage: storage, configuration: configuration, signedKeys: signedKeys)
                    appender.ledgerID = ledgerID
                    let result = try body(appender, try appender.head()?.seq ?? 0)
                    try storage.flush()
                    return result
                } catch {
                    throw Passing(error: error)
                }
            }
        }
    }

    /// Calls `body` with storage for reads outside any write (keys, requests).
    func withStorage<T: Sendable>(_ body: @escaping @Sendable (PostgresAppendStorage) throws -> T) async throws -> T {
        let location = location, logger = logger
        return try await mapping {
            try await client.withConnection { connection in
                try await Self.blocking {
                    do {
                        return try body(PostgresAppendStorage(connection: connection, location: location, logger: logger))
                    } catch {
                        throw Passing(error: error)
                    }
                }
            }
        }
    }

    /// Reads the ledger's id from its genesis facts (none yet: empty).
    func readIdentifier() async throws {
        let id = try await withStorage { storage in try storage.ledgerID() }
        identifier.withLock { $0 = id ?? "" }
    }

    /// Runs `body`, which blocks on the server's answers, on a thread of its own: blocking one
    /// of Swift concurrency's few threads (one per core) would stall every other task of the
    /// process, the connection pool's among them, for as long as a batch takes.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}
