internal import GRDB
public import LedgerCrypto
public import LedgerFormat

/// A SHA-256 over the sorted contents of every projection table, and the events it covers.
///
/// Two sets of projection tables hold the same rows exactly when their digests are equal,
/// whatever order the rows were written in: that is how `ledger rebuild` shows that replaying
/// the events gives what the appends wrote, and how `ledger verify` can hold the tables to a
/// fresh replay. docs/FORMAT.md (Projections) specifies the bytes hashed.
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
    /// order, its name and a line feed; then each row in primary-key order as its columns in
    /// declaration order, separated by commas and ended by a line feed, each column written
    /// as `n` for NULL, `i` and the decimal digits of an integer, or `t`, the byte length in
    /// decimal, `:` and the UTF-8 bytes of a text. Length prefixes make the bytes
    /// unambiguous without escaping; the type tag makes a value's type part of what is
    /// hashed. The tables are `STRICT`, so a column holds only its declared type or NULL.
    static func hash(_ db: Database) throws -> SHA256Digest {
        let hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 17)
        for table in ProjectionWriter.tables {
            buffer += Array(table.utf8)
            buffer.append(0x0A)
            let columns = try db.columns(in: table)
            let integer = columns.map { $0.type.uppercased() == "INTEGER" }
            let key = table == "requests" || table == "request_timings" ? "request_id" : "seq"
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY \(key)")
            while let row = try rows.next() {
                for index in 0..<integer.count {
                    if index > 0 { buffer.append(0x2C) }
                    if row.hasNull(atIndex: index) {
                        buffer.append(0x6E)
                    } else if integer[index] {
                        buffer.append(0x69)
                        appendDecimal(row[index] as Int64, to: &buffer)
                    } else {
                        try row.withUnsafeData(atIndex: index) { data in
                            buffer.append(0x74)
                            appendDecimal(Int64(data?.count ?? 0), to: &buffer)
                            buffer.append(0x3A)
                            data?.withUnsafeBytes { buffer.append(contentsOf: $0) }
                        }
                    }
                }
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

    private static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(0x2D) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { storage in
            repeat {
                storage[count] = UInt8(magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for position in stride(from: count - 1, through: 0, by: -1) { buffer.append(storage[position]) }
        }
    }
}
