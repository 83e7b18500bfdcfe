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
        // Flat arrays of existentials, not `DatabaseValue`s or nested arrays: GRDB maps a
        // sequence of concrete values through a key path, and flattening nested arrays goes
        // through unspecialized generics, each several times slower.
        var values = Array(repeating: [(any DatabaseValueConvertible)?](), count: ProjectionWriter.tables.count)
        for projection in projections {
            values[0] += RequestRow(projection).values
            let t = projection.timings
            values[1] += [
                t.requestID, t.environment, t.action, t.openedMs, t.deadlineMs, t.resolvedMs, t.outcome?.rawValue, t.decidedBy?.rawValue,
                t.escalations, t.firstEscalatedMs, t.firstExecutedMs, t.firstFailureMs, t.rolledBackMs, t.recoveredMs, t.reviewDeadlineMs,
                t.reviewClosedMs, t.missingFields.joined(separator: ","), t.lastSeq,
            ]
            for vote in projection.votes {
                values[2] += [vote.seq, vote.requestID, vote.voter, vote.approve ? "approve" : "deny", vote.timeMs]
            }
            for attempt in projection.attempts {
                values[3] += [attempt.seq, attempt.requestID, attempt.kind.rawValue, attempt.actor, attempt.code, attempt.timeMs]
            }
            for execution in projection.executions {
                values[4] += [
                    execution.seq, execution.requestID, execution.approved ? 1 : 0, execution.succeeded ? "succeeded" : "failed",
                    execution.timeMs,
                ]
            }
        }
        tables = values.enumerated().map { table, flat in
            let width = ProjectionWriter.columns[table].count
            return stride(from: 0, to: flat.count, by: Self.chunk * width).map { start in
                let end = min(start + Self.chunk * width, flat.count)
                return ((end - start) / width, StatementArguments(Array(flat[start..<end])))
            }
        }
    }
}
