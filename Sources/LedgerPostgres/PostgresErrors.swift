internal import LedgerStore
internal import PostgresNIO

/// PostgreSQL's failures as the ledger's typed errors, so that the CLI's exit codes and the
/// server's statuses are the same whichever backend failed (docs/STORAGE.md §Errors).
enum PostgresErrors {
    /// Whether the session that raised `error` is over: closed, or ended by the server with a
    /// FATAL or PANIC error (`pg_terminate_backend`, a shutdown), which PostgreSQL follows by
    /// closing the connection. The server has then rolled back whatever the session had open.
    static func isConnectionLost(_ error: any Error) -> Bool {
        if error is ConnectionLost { return true }
        guard let error = error as? PSQLError else { return false }
        if [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown].contains(error.code) { return true }
        guard error.code == .server, let info = error.serverInfo else { return false }
        return ["FATAL", "PANIC"].contains(info[.severity] ?? "") || (info[.sqlState] ?? "").hasPrefix("57P") || (info[.sqlState] ?? "").hasPrefix("08")
    }

    private static func closed(_ location: PostgresLocation) -> LedgerError {
        LedgerError(.storage, "PostgreSQL at \(location) closed the connection; nothing was written. Retry when it is back")
    }

    static func ledgerError(_ error: any Error, location: PostgresLocation) -> LedgerError {
        if let error = error as? LedgerError { return error }
        if error is ConnectionLost {
            return closed(location)
        }
        guard let error = error as? PSQLError else {
            return LedgerError(.storage, "PostgreSQL at \(location): \(error)")
        }
        if [.clientClosedConnection, .serverClosedConnection].contains(error.code) {
            // The server's own reason (a FATAL error before it closed) says more than the close.
            if let reason = error.underlying as? PSQLError { return ledgerError(reason, location: location) }
            return closed(location)
        }
        if error.code == .sslUnsupported {
            return LedgerError(.storage, "PostgreSQL at \(location) does not offer TLS, which sslmode=\(location.tls.rawValue) requires: enable ssl on the server, or use sslmode=prefer or disable on a trusted network")
        }
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            let cause = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return LedgerError(
                .storage,
                "cannot reach PostgreSQL at \(location) (\(cause)): check that it runs, and the host, port and TLS settings; nothing was written")
        }
        let message = error.serverInfo?[.message] ?? state
        switch state {
        case "53100":
            return LedgerError(.diskFull, "PostgreSQL at \(location) is out of disk space (\(message)); nothing was written")
        case "25006":
            return LedgerError(.readOnly, "PostgreSQL at \(location) accepts no writes (\(message)): a standby, or default_transaction_read_only; nothing was written")
        case "28P01", "28000":
            return LedgerError(.storage, "PostgreSQL at \(location) refused the login (\(message)): check the user and the password (the URL or PGPASSWORD)")
        case "3D000":
            return LedgerError(.notFound, "PostgreSQL at \(location) has no such database (\(message)): create it with `createdb`")
        case "40001", "40P01":
            return LedgerError(.locked, "PostgreSQL at \(location) aborted the transaction for another writer (\(message)); nothing was written. Retry")
        default:
            if state.hasPrefix("23") {
                return LedgerError(.storage, "PostgreSQL at \(location) refused a row (\(message), SQLSTATE \(state)); nothing was written")
            }
            if state.hasPrefix("57") || state.hasPrefix("08") {
                return LedgerError(.storage, "PostgreSQL at \(location) ended the connection (\(message)); nothing was written. Retry when it is back")
            }
            return LedgerError(.storage, "PostgreSQL at \(location): \(message) (SQLSTATE \(state))")
        }
    }
}
