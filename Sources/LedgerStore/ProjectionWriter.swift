internal import GRDB
internal import LedgerDomain

/// Writes projected requests into the projection tables with prepared statements. Used on
/// the connection of a write transaction only.
struct ProjectionWriter {
    /// The projection tables, in the order the digest covers them.
    static let tables = ["requests", "request_timings", "votes", "attempts", "executions"]

    let db: Database
    private let insertRequest: Statement
    private let insertTimings: Statement
    private let insertVote: Statement
    private let insertAttempt: Statement
    private let insertExecution: Statement

    init(db: Database) throws {
        self.db = db
        insertRequest = try db.cachedStatement(sql: RequestRow.insertSQL)
        insertTimings = try db.cachedStatement(sql: """
            INSERT INTO request_timings (request_id, environment, action, opened_ms, deadline_ms, resolved_ms, outcome, decided_by,
                escalations, first_escalated_ms, first_executed_ms, first_failure_ms, rolled_back_ms, recovered_ms,
                review_deadline_ms, review_closed_ms, missing_fields, last_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertVote = try db.cachedStatement(sql: "INSERT INTO votes (seq, request_id, voter, decision, time_ms) VALUES (?, ?, ?, ?, ?)")
        insertAttempt = try db.cachedStatement(sql: "INSERT INTO attempts (seq, request_id, kind, actor, code, time_ms) VALUES (?, ?, ?, ?, ?, ?)")
        insertExecution = try db.cachedStatement(sql: "INSERT INTO executions (seq, request_id, approved, outcome, time_ms) VALUES (?, ?, ?, ?, ?)")
    }

    /// Rewrites the rows of request stream `stream` from its events as they now stand.
    func replace(stream: String) throws {
        try delete(requestID: stream)
        if let projection = try RequestEventReader.projection(stream: stream, db: db) {
            try insert(ProjectionRows(projection))
        }
    }

    /// Empties every projection table.
    func clear() throws {
        for table in Self.tables { try db.execute(sql: "DELETE FROM \(table)") }
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

    func delete(requestID: String) throws {
        for table in Self.tables {
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE request_id = ?").execute(arguments: [requestID])
        }
    }

    func insert(_ rows: ProjectionRows) throws {
        // The arguments match the statements by construction (`ProjectionRows`), so binding
        // skips GRDB's validation.
        try execute(insertRequest, rows.request)
        try execute(insertTimings, rows.timings)
        for vote in rows.votes { try execute(insertVote, vote) }
        for attempt in rows.attempts { try execute(insertAttempt, attempt) }
        for execution in rows.executions { try execute(insertExecution, execution) }
    }

    private func execute(_ statement: Statement, _ arguments: StatementArguments) throws {
        statement.setUncheckedArguments(arguments)
        try statement.execute()
    }
}

/// One projected request as the statement arguments of its rows, in each table's column
/// order: built wherever the projection is computed (on another core, in a rebuild), bound
/// on the writer's.
struct ProjectionRows: Sendable {
    var request: StatementArguments
    var timings: StatementArguments
    var votes: [StatementArguments]
    var attempts: [StatementArguments]
    var executions: [StatementArguments]

    init(_ projection: RequestProjection) {
        // Existentials, not `DatabaseValue`s: GRDB maps a sequence of concrete values through
        // a key path, several times slower.
        request = RequestRow(projection).arguments
        let t = projection.timings
        let timingValues: [(any DatabaseValueConvertible)?] = [
            t.requestID, t.environment, t.action, t.openedMs, t.deadlineMs, t.resolvedMs, t.outcome?.rawValue, t.decidedBy?.rawValue,
            t.escalations, t.firstEscalatedMs, t.firstExecutedMs, t.firstFailureMs, t.rolledBackMs, t.recoveredMs, t.reviewDeadlineMs,
            t.reviewClosedMs, t.missingFields.joined(separator: ","), t.lastSeq,
        ]
        timings = StatementArguments(timingValues)
        votes = projection.votes.map { vote in
            let values: [(any DatabaseValueConvertible)?] = [vote.seq, vote.requestID, vote.voter, vote.approve ? "approve" : "deny", vote.timeMs]
            return StatementArguments(values)
        }
        attempts = projection.attempts.map { attempt in
            let values: [(any DatabaseValueConvertible)?] = [
                attempt.seq, attempt.requestID, attempt.kind.rawValue, attempt.actor, attempt.code, attempt.timeMs,
            ]
            return StatementArguments(values)
        }
        executions = projection.executions.map { execution in
            let values: [(any DatabaseValueConvertible)?] = [
                execution.seq, execution.requestID, execution.approved ? 1 : 0, execution.succeeded ? "succeeded" : "failed", execution.timeMs,
            ]
            return StatementArguments(values)
        }
    }
}
