internal import GRDB
public import LedgerCrypto
public import LedgerFormat

/// A SHA-256 over the sorted contents of every projection table, and the events it covers.
///
/// Two sets of projection tables hold the same rows exactly when their digests are equal,
/// whatever order the rows were written in: that is how `ledger rebuild` shows that replaying
/// the events gives what the appends wrote, and how `ledger verify` holds the digest `ledger
/// rebuild` recorded to the tables. docs/FORMAT.md (Projections) specifies the bytes hashed.
public struct ProjectionDigest: Sendable, Hashable, CustomStringConvertible {
    /// The version of the projection rules (how rows derive from events). Digests of
    /// different versions are not comparable; it changes whenever the derivation does.
    public static let currentVersion: Int64 = 1

    public var version: Int64
    /// The last seq the tables reflect: the head when the digest was taken.
    public var throughSeq: Int64
    public var digest: SHA256Digest
    /// When `ledger rebuild` recorded it; nil for a digest computed on demand.
    public var recordedAt: Timestamp?

    public init(version: Int64 = ProjectionDigest.currentVersion, throughSeq: Int64, digest: SHA256Digest, recordedAt: Timestamp? = nil) {
        self.version = version
        self.throughSeq = throughSeq
        self.digest = digest
        self.recordedAt = recordedAt
    }

    public var description: String { "\(digest.hex) (projection v\(version), through seq \(throughSeq))" }

    /// True when both describe the same rows: same version, same events, same digest.
    public func matches(_ other: ProjectionDigest) -> Bool {
        version == other.version && throughSeq == other.throughSeq && digest == other.digest
    }

    /// Hashes the projection tables of `db`: for each table in `ProjectionWriter.tables`
    /// order, its name and a line feed; then each row in primary-key order as SQLite's
    /// `printf('%Q,%Q,…', c1, c2, …)` of its columns in declaration order, and a line feed.
    ///
    /// `%Q` writes NULL as `NULL` and any other value as text in single quotes, a quote
    /// doubled: unambiguous, formatted by SQLite itself (cheaper than reading each column into
    /// Swift), and reproducible with the sqlite3 shell (docs/FORMAT.md, Projections). The
    /// tables are `STRICT`, so a column's type is fixed by the schema.
    static func hash(_ db: Database) throws -> SHA256Digest {
        let hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 17)
        for table in ProjectionWriter.tables {
            buffer += Array(table.utf8)
            buffer.append(0x0A)
            let rows = try Row.fetchCursor(db, sql: try rowsSQL(table, db))
            while let row = try rows.next() {
                try row.withUnsafeData(atIndex: 0) { data in data?.withUnsafeBytes { buffer.append(contentsOf: $0) } }
                buffer.append(0x0A)
                if buffer.count >= 1 << 16 {
                    hasher.update(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        hasher.update(buffer)
        return hasher.finalize()
    }

    /// `SELECT printf('%Q,%Q,…', c1, c2, …) FROM table ORDER BY key`.
    static func rowsSQL(_ table: String, _ db: Database) throws -> String {
        let columns = try db.columns(in: table).map { "\"\($0.name)\"" }
        let format = columns.map { _ in "%Q" }.joined(separator: ",")
        return "SELECT printf('\(format)', \(columns.joined(separator: ", "))) FROM \(table) ORDER BY \(key(table))"
    }

    /// The primary key: rows are hashed in its order.
    static func key(_ table: String) -> String {
        table == "requests" || table == "request_timings" ? "request_id" : "seq"
    }
}
