internal import Foundation
internal import LedgerStore

/// Where a PostgreSQL ledger is: a `postgres://` (or `postgresql://`) URL as libpq reads it,
/// with what the URL leaves out taken from the standard `PG*` environment variables and then
/// libpq's defaults (docs/STORAGE.md §Connecting).
///
///     postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=ca.pem
///
/// The password never appears in `description`, so a location can be logged and shown.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection uses TLS, libpq's `sslmode` values.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, plain otherwise; the certificate is not checked.
        case prefer
        /// TLS or no connection; the certificate is not checked (libpq's meaning).
        case require
        /// TLS with a certificate chain to `sslrootcert` (or the system's roots).
        case verifyCA = "verify-ca"
        /// As `verify-ca`, and the certificate must name the host.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    /// A directory holding the server's Unix socket (`host` beginning with `/`), if any.
    public var socketDirectory: String?
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// A PEM file of the certificates to trust (`sslrootcert`).
    public var rootCertificate: String?

    /// Whether `text` names a PostgreSQL ledger rather than a file path.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads `url`, filling what it leaves out from `environment` (`PGHOST`, `PGPORT`,
    /// `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`; the process's own
    /// when nil).
    /// - Throws: `LedgerError.storage` naming the part of the URL that is wrong.
    public init(url: String, environment: [String: String]? = nil) throws {
        let environment = environment ?? ProcessInfo.processInfo.environment
        guard Self.isURL(url), let components = URLComponents(string: url) else {
            throw LedgerError(.storage, "'\(Self.redacted(url))' is not a PostgreSQL URL: write postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard let value = item.value else { continue }
            query[item.name] = value
        }
        let known: Set<String> = ["host", "port", "user", "password", "dbname", "sslmode", "sslrootcert"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw LedgerError(.storage, "the PostgreSQL URL parameter '\(unknown)' is not supported; use \(known.sorted().joined(separator: ", "))")
        }
        func first(_ values: String?...) -> String? { values.lazy.compactMap { $0 }.first { !$0.isEmpty } }
        let hostText = first(components.percentEncodedHost.flatMap { $0.removingPercentEncoding }, query["host"], environment["PGHOST"]) ?? "/var/run/postgresql"
        if hostText.hasPrefix("/") {
            socketDirectory = hostText
            host = "localhost"
        } else {
            socketDirectory = nil
            host = hostText
        }
        let portText = first(components.port.map(String.init), query["port"], environment["PGPORT"]) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw LedgerError(.storage, "the PostgreSQL port '\(portText)' is not a number from 1 to 65535")
        }
        self.port = port
        user = first(components.user, query["user"], environment["PGUSER"], environment["USER"]) ?? "postgres"
        password = first(components.password, query["password"], environment["PGPASSWORD"])
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = first(path.removingPercentEncoding, query["dbname"], environment["PGDATABASE"]) ?? user
        let modeText = first(query["sslmode"], environment["PGSSLMODE"]) ?? TLSMode.prefer.rawValue
        guard let tls = TLSMode(rawValue: modeText) else {
            throw LedgerError(
                .storage, "sslmode '\(modeText)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.tls = tls
        rootCertificate = first(query["sslrootcert"], environment["PGSSLROOTCERT"])
    }

    /// The server's socket file, when `host` is a directory.
    var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }

    /// The URL without its password: what logs and messages show.
    public var description: String {
        let server = socketDirectory.map { "?host=\($0)" } ?? ""
        let address = socketDirectory == nil ? "\(host):\(port)" : ""
        return "postgres://\(user)@\(address)/\(database)\(server)"
    }

    /// `text` with any password between `://user:` and `@` replaced, for error messages.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}
