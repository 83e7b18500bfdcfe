internal import LedgerStore

/// Where a ledger is: a file (SQLite) or a PostgreSQL database, as `--ledger` and
/// `LEDGER_PATH` name it (`postgres://…` or `postgresql://…` for the latter).
public enum LedgerAddress: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case postgres(PostgresLocation)

    /// - Throws: `LedgerError.storage` for a PostgreSQL URL that does not parse.
    public init(_ text: String, environment: [String: String]? = nil) throws {
        self = PostgresLocation.isURL(text) ? .postgres(try PostgresLocation(url: text, environment: environment)) : .file(text)
    }

    /// Whether `text` names a ledger file rather than a database.
    public static func isFile(_ text: String) -> Bool { !PostgresLocation.isURL(text) }

    public var description: String {
        switch self {
        case .file(let path): path
        case .postgres(let location): location.description
        }
    }
}
