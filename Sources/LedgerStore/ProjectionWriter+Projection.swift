internal import GRDB
internal import LedgerDomain

extension ProjectionWriter {
    /// Rewrites the rows of request stream `stream` to `projection`, derived from its events
    /// as they now stand (nil: the stream is not a request and has no rows), without reading
    /// them back.
    func replace(stream: String, with projection: RequestProjection?) throws {
        try delete(requestID: stream)
        guard let projection else { return }
        for (table, chunks) in ProjectionRows([projection]).tables.enumerated() {
            for chunk in chunks {
                let sql = chunk.rows == 1 ? Self.singleRowSQL[table] : Self.insertSQL(table: table, rows: chunk.rows)
                let statement = try db.cachedStatement(sql: sql)
                // The arguments match the statement by construction (`ProjectionRows`).
                statement.setUncheckedArguments(chunk.arguments)
                try statement.execute()
            }
        }
    }

    /// `insertSQL` of one row, per table: most inserts after a command, made once rather than
    /// joined again for every row.
    static let singleRowSQL = tables.indices.map { insertSQL(table: $0, rows: 1) }
}
