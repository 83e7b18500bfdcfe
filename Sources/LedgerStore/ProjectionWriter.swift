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
        if let projection = RequestProjection(stream: stream, events: try RequestEventReader.events(stream: stream, db: db)) {
            try insert(ProjectionRows(projection))
        }
    }

    /// Empties every projection table.
    func clear() throws {
        for table in Self.tables { try db.execute(sql: "DELETE FROM \(table)") }
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
        request = RequestRow(projection).arguments
        let t = projection.timings
        let timingValues: [DatabaseValue] = [
            t.requestID.databaseValue, t.environment.databaseValue, t.action.databaseValue, t.openedMs.databaseValue,
            t.deadlineMs.databaseValue, t.resolvedMs.databaseValue, t.outcome?.rawValue.databaseValue ?? DatabaseValue.null,
            t.decidedBy?.rawValue.databaseValue ?? DatabaseValue.null, t.escalations.databaseValue, t.firstEscalatedMs.databaseValue,
            t.firstExecutedMs.databaseValue, t.firstFailureMs.databaseValue, t.rolledBackMs.databaseValue, t.recoveredMs.databaseValue,
            t.reviewDeadlineMs.databaseValue, t.reviewClosedMs.databaseValue, t.missingFields.joined(separator: ",").databaseValue,
            t.lastSeq.databaseValue,
        ]
        timings = StatementArguments(timingValues)
        votes = projection.votes.map { vote in
            StatementArguments([
                vote.seq.databaseValue, vote.requestID.databaseValue, vote.voter.databaseValue,
                (vote.approve ? "approve" : "deny").databaseValue, vote.timeMs.databaseValue,
            ])
        }
        attempts = projection.attempts.map { attempt in
            StatementArguments([
                attempt.seq.databaseValue, attempt.requestID.databaseValue, attempt.kind.rawValue.databaseValue,
                attempt.actor.databaseValue, attempt.code.databaseValue, attempt.timeMs.databaseValue,
            ])
        }
        executions = projection.executions.map { execution in
            StatementArguments([
                execution.seq.databaseValue, execution.requestID.databaseValue, (execution.approved ? 1 : 0).databaseValue,
                (execution.succeeded ? "succeeded" : "failed").databaseValue, execution.timeMs.databaseValue,
            ])
        }
    }
}
