internal import Foundation
package import LedgerDomain
public import LedgerStore
internal import LedgerMigrations
internal import PostgresNIO
internal import Synchronization

/// A ledger in a PostgreSQL database: the rows of SQLite's `events` and `payloads`, column for
/// column and byte for byte, in tables its own migrations create (`Migrations/postgres/`).
///
/// Appends run the same rules as SQLite's (`Appender`, `LedgerTransaction`) through
/// `PostgresAppendStorage`, one transaction at a time across every host (an advisory lock),
/// with the projections and the Merkle tree in the same transaction. Connections come from
/// PostgresNIO's pool, which runs in a task of this object's own until `close()`.
public final class PostgresLedger: Sendable {
    public let location: PostgresLocation
    let client: PostgresClient
    private let running: Task<Void, Never>
    let logger: Logger
    let configuration: LedgerConfiguration
    /// The keys its signed key events establish, shared by its transactions (as `Ledger`'s).
    let signedKeys = SignedKeys()
    package let policies = SharedCache<Int64, PublishedPolicy>(capacity: 16)
    /// The ledger's id once its genesis is written (empty before `initialize`).
    let identifier = Mutex("")

    private init(location: PostgresLocation, client: PostgresClient, configuration: LedgerConfiguration, logger: Logger) {
        self.location = location
        self.client = client
        self.configuration = configuration
        self.logger = logger
        running = Task { await client.run() }
    }

    /// Connects to the database at `location` and brings its schema up to date.
    /// - Throws: `LedgerError.storage` when the server cannot be reached or refuses the login,
    ///   `.notFound` when the database does not exist, `.notALedger` when it holds tables of
    ///   another kind.
    public static func open(_ location: PostgresLocation, configuration: LedgerConfiguration = LedgerConfiguration()) async throws -> PostgresLedger {
        var logger = Logger(label: "ledger-postgres")
        logger.logLevel = .critical
        let tls = try tlsConfiguration(location)
        // One connection first, outside the pool: the pool reports a failed connect only as a
        // tripped circuit breaker, and the user needs the server's own reason.
        do {
            let probe = try await PostgresConnection.connect(configuration: try connectionConfiguration(location, tls: tls), id: 0, logger: logger)
            try? await probe.close()
        } catch {
            throw PostgresErrors.ledgerError(error, location: location)
        }
        let ledger = PostgresLedger(
            location: location, client: PostgresClient(configuration: clientConfiguration(location, tls: tls), backgroundLogger: logger),
            configuration: configuration, logger: logger)
        do {
            try await ledger.migrate()
            try await ledger.readIdentifier()
        } catch {
            await ledger.close()
            throw error
        }
        return ledger
    }

    /// Closes every connection. Use the ledger no more after this.
    public func close() async {
        running.cancel()
        await running.value
    }

    static func clientConfiguration(_ location: PostgresLocation, tls: TLSConfiguration?) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socket = location.socketPath {
            configuration = PostgresClient.Configuration(unixSocketPath: socket, username: location.user, password: location.password, database: location.database)
        } else {
            let mode: PostgresClient.Configuration.TLS = tls.map { location.tls == .prefer ? .prefer($0) : .require($0) } ?? .disable
            configuration = PostgresClient.Configuration(
                host: location.host, port: location.port, username: location.user, password: location.password, database: location.database, tls: mode)
        }
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 8
        return configuration
    }

    static func connectionConfiguration(_ location: PostgresLocation, tls: TLSConfiguration?) throws -> PostgresConnection.Configuration {
        if let socket = location.socketPath {
            return PostgresConnection.Configuration(unixSocketPath: socket, username: location.user, password: location.password, database: location.database)
        }
        var mode: PostgresConnection.Configuration.TLS = .disable
        if let tls {
            let context = try NIOSSLContext(configuration: tls)
            mode = location.tls == .prefer ? .prefer(context) : .require(context)
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password, database: location.database, tls: mode)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// The TLS settings `sslmode` and `sslrootcert` ask for; nil for `disable`.
    static func tlsConfiguration(_ location: PostgresLocation) throws -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.tls {
        case .disable: return nil
        case .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let root = location.rootCertificate {
            guard FileManager.default.isReadableFile(atPath: root) else {
                throw LedgerError(.storage, "sslrootcert '\(root)' cannot be read: give a PEM file of the certificates to trust")
            }
            tls.trustRoots = .file(root)
        }
        return tls
    }

    /// Runs `body` in a transaction and turns PostgreSQL's errors into the ledger's.
    ///
    /// Not PostgresNIO's `withTransaction`: after the server has gone (restarted, the session
    /// terminated) its `ROLLBACK` on the dead connection never returns. A lost connection
    /// needs none: the server rolls back every transaction whose session ended.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await mapping {
            try await client.withConnection { connection in
                let begin: PostgresQuery = "BEGIN", commit: PostgresQuery = "COMMIT", rollback: PostgresQuery = "ROLLBACK"
                try await connection.queryOrLost(begin, logger: logger)
                do {
                    let result = try await body(connection)
                    try await connection.queryOrLost(commit, logger: logger)
                    return result
                } catch {
                    if !PostgresErrors.isConnectionLost(error) { _ = try? await connection.queryOrLost(rollback, logger: logger) }
                    throw error
                }
            }
        }
    }

    func mapping<Result>(_ body: () async throws -> Result) async throws -> Result {
        do { return try await body() } catch let error as LedgerError { throw error } catch let passing as Passing { throw passing.error } catch {
            throw PostgresErrors.ledgerError(error, location: location)
        }
    }
}


/// An error of the caller's own, carried through `transaction` unmapped (a refusal of the
/// approval rules is not a storage failure); the transaction still rolls back.
struct Passing: Error {
    let error: any Error
}
