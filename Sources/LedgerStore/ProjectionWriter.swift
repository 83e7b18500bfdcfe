internal import GRDB
internal import LedgerDomain

/// Writes projected requests into the projection tables with prepared multi-row inserts.
/// Used on the connection of a write transaction only.
struct ProjectionWriter {
    /// The projection tables, in the order the digest covers them, each with the columns the
    /// writer fills, in the order `ProjectionRows` gives their values.
    static let tables = ["requests", "request_timings", "votes", "attempts", "executions"]
    static let columns: [[String]] = [
        RequestRow.columns,
        [
            "request_id", "environment", "action", "opened_ms", "deadline_ms", "resolved_ms", "outcome", "decided_by", "escalations",
            "first_escalated_ms", "first_executed_ms", "first_failure_ms", "rolled_back_ms", "recovered_ms", "review_deadline_ms",
            "review_closed_ms", "missing_fields", "last_seq",
        ],
        ["seq", "request_id", "voter", "decision", "time_ms"],
        ["seq", "request_id", "kind", "actor", "code", "time_ms"],
        ["seq", "request_id", "approved", "outcome", "time_ms"],
    ]

    let db: Database

    /// Empties every projection table.
    func clear() throws {
        for table in Self.tables { try db.execute(sql: "DELETE FROM \(table)") }
    }

    func delete(requestID: String) throws {
        for table in Self.tables {
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE request_id = ?").execute(arguments: [requestID])
        }
    }

    /// Runs `body` (a bulk load) with the tables' secondary indexes dropped, then creates them
    /// again from their own definitions in the schema: one sort per index instead of a
    /// scattered update per row.
    func withoutSecondaryIndexes<T>(_ body: () throws -> T) throws -> T {
        let marks = Self.tables.map { _ in "?" }.joined(separator: ", ")
        let indexes = try Row.fetchAll(
            db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(marks))",
            arguments: StatementArguments(Self.tables))
        for index in indexes { try db.execute(sql: "DROP INDEX \"\(index["name"] as String)\"") }
        let result = try body()
        for index in indexes { try db.execute(sql: index["sql"] as String) }
        return result
    }

    func insert(_ rows: ProjectionRows) throws {
        for (table, chunks) in rows.tables.enumerated() {
            for chunk in chunks {
                let sql = switch chunk.rows {
                case ProjectionRows.chunk: Self.fullChunkSQL[table]
                case 1: Self.singleRowSQL[table]
                default: Self.insertSQL(table: table, rows: chunk.rows)
                }
                let statement = try db.cachedStatement(sql: sql)
                // The arguments match the statement by construction (`ProjectionRows`), so
                // binding skips GRDB's validation.
                statement.setUncheckedArguments(chunk.arguments)
                try statement.execute()
            }
        }
    }

    /// `insertSQL` of a full chunk, per table: most statements of a rebuild, made once.
    static let fullChunkSQL = tables.indices.map { insertSQL(table: $0, rows: ProjectionRows.chunk) }

    /// `insertSQL` of one row, per table: most inserts after a command, made once rather than
    /// joined again for every row.
    static let singleRowSQL = tables.indices.map { insertSQL(table: $0, rows: 1) }

    /// `INSERT OR FAIL INTO table (columns) VALUES (?, …), …` for `rows` rows.
    ///
    /// `OR FAIL` stops at a failing row without undoing the rows before it, and the error rolls
    /// back the whole transaction, as every caller's does. The default (`ABORT`) would undo
    /// just the statement, so SQLite journals every page a multi-row insert touches that
    /// existed when the transaction began (a rebuild reuses the pages it freed), and spills
    /// that journal to a temporary file past 64 KiB: for a 100k-event rebuild, 183 MB in
    /// 89,000 writes, more than the tables hold.
    static func insertSQL(table: Int, rows: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: columns[table].count).joined(separator: ", ") + ")"
        return "INSERT OR FAIL INTO \(tables[table]) (\(columns[table].joined(separator: ", "))) VALUES "
            + Array(repeating: tuple, count: rows).joined(separator: ", ")
    }
}
