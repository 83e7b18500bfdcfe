internal import GRDB
public import LedgerDomain

/// The projection tables held to projections a verifier computed itself, one request at a
/// time, from the same read snapshot as the events it walks.
extension LedgerSnapshot {
    /// Compares the rows the projection tables hold for `projection`'s request (one indexed
    /// statement) with the rows the projection gives.
    public func compareProjection(_ projection: RequestProjection) throws -> StoredProjectionComparison {
        let statement = try db.cachedStatement(sql: Self.requestRowsSQL)
        let expected = ProjectionValues.rows(projection)
        var stored: [[[DatabaseValue]]] = expected.map { _ in [] }
        let rows = try Row.fetchCursor(statement, arguments: [projection.state.id])
        var count = 0
        while let row = try rows.next() {
            count += 1
            let table: Int = row[0]
            stored[table].append((1...ProjectionWriter.columns[table].count).map { row[$0] })
        }
        var differing: [String] = []
        for (table, rows) in expected.enumerated() {
            // Projected rows come in key order; stored ones in the order of the index read.
            if stored[table].count > 1 { stored[table].sort { Self.seq($0) < Self.seq($1) } }
            let same = rows.count == stored[table].count
                && zip(rows, stored[table]).allSatisfy { values, storedValues in
                    values.map { $0?.databaseValue ?? .null } == storedValues
                }
            if !same { differing.append(ProjectionWriter.tables[table]) }
        }
        return StoredProjectionComparison(differingTables: differing, storedRows: count)
    }

    /// The seq of the last event of `stream`.
    public func lastSeq(stream: String) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM events WHERE stream = ? AND seq >= 1"), arguments: [stream])
    }

    /// Fails when the ledger predates the projection tables (opened read-only, not migrated).
    public func requireProjectionTables() throws {
        try Ledger.requireProjectionTables(db, path: path)
    }

    /// The key of a row of the tables keyed by seq (those of several rows per request).
    private static func seq(_ row: [DatabaseValue]) -> Int64 {
        if case .int64(let seq) = row[0].storage { return seq }
        return 0
    }

    /// The rows of all projection tables together.
    public func projectionRowCount() throws -> Int {
        try ProjectionWriter.tables.reduce(0) { sum, table in sum + (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0) }
    }

    /// The digest of the projection tables as they stand (`ProjectionDigest`), through the head.
    public func projectionTablesDigest() throws -> ProjectionDigest {
        ProjectionDigest(throughSeq: try Ledger.headSeq(db), digest: try ProjectionDigest.hash(db))
    }

    /// What `ledger rebuild` last recorded, if anything.
    public func recordedProjectionDigest() throws -> ProjectionDigest? {
        try Ledger.recordedDigest(db)
    }

    /// A replay of events `1…through` into a scratch database: its digest.
    public func replayedProjectionDigest(through: Int64) throws -> ProjectionDigest {
        try Ledger.replayedDigest(db, through: through)
    }

    /// One statement for every row of one request (`?1`): each table's rows tagged by the
    /// table's index and padded with NULLs to the widest table (unordered: a sort per request
    /// would cost more than sorting its few rows).
    static let requestRowsSQL: String = {
        let width = ProjectionWriter.columns.map(\.count).max()!
        return ProjectionWriter.tables.enumerated().map { index, table in
            let columns = ProjectionWriter.columns[index]
            let padding = Array(repeating: "NULL", count: width - columns.count)
            return "SELECT \(index), \((columns.map { "\"\($0)\"" } + padding).joined(separator: ", ")) FROM \(table) WHERE request_id = ?1"
        }.joined(separator: " UNION ALL ")
    }()
}
