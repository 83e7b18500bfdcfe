internal import GRDB
internal import LedgerDomain

/// The rows of some projected requests as statement arguments, per table in
/// `ProjectionWriter.tables` order, in chunks of up to `chunk` rows for one multi-row insert
/// each: built wherever the projections are computed (on another core, in a rebuild), bound on
/// the writer's thread, which then runs one statement per chunk instead of one per row.
struct ProjectionRows: Sendable {
    static let chunk = 32

    /// Per table, its chunks: how many rows, and their values one row after another.
    var tables: [[(rows: Int, arguments: StatementArguments)]]

    init(_ projections: [RequestProjection]) {
        // Existentials, not `DatabaseValue`s, and each chunk built in place: GRDB maps a
        // sequence of concrete values through a key path, and copying existentials out of a
        // larger array goes through value witnesses, each several times slower.
        var tables = Array(repeating: [(rows: Int, arguments: StatementArguments)](), count: ProjectionWriter.tables.count)
        var open = Array(repeating: (rows: 0, values: [(any DatabaseValueConvertible)?]()), count: ProjectionWriter.tables.count)
        func add(_ table: Int, _ row: [(any DatabaseValueConvertible)?]) {
            open[table].values += row
            open[table].rows += 1
            if open[table].rows == Self.chunk {
                tables[table].append((Self.chunk, StatementArguments(open[table].values)))
                open[table] = (0, [])
            }
        }
        for projection in projections {
            add(0, RequestRow(projection).values)
            let t = projection.timings
            add(1, [
                t.requestID, t.environment, t.action, t.openedMs, t.deadlineMs, t.resolvedMs, t.outcome?.rawValue, t.decidedBy?.rawValue,
                t.escalations, t.firstEscalatedMs, t.firstExecutedMs, t.firstFailureMs, t.rolledBackMs, t.recoveredMs, t.reviewDeadlineMs,
                t.reviewClosedMs, t.missingFields.joined(separator: ","), t.lastSeq,
            ])
            for vote in projection.votes {
                add(2, [vote.seq, vote.requestID, vote.voter, vote.approve ? "approve" : "deny", vote.timeMs])
            }
            for attempt in projection.attempts {
                add(3, [attempt.seq, attempt.requestID, attempt.kind.rawValue, attempt.actor, attempt.code, attempt.timeMs])
            }
            for execution in projection.executions {
                add(4, [
                    execution.seq, execution.requestID, execution.approved ? 1 : 0, execution.succeeded ? "succeeded" : "failed",
                    execution.timeMs,
                ])
            }
        }
        for (table, chunk) in open.enumerated() where chunk.rows > 0 {
            tables[table].append((chunk.rows, StatementArguments(chunk.values)))
        }
        self.tables = tables
    }
}
