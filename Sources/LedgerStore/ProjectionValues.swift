internal import GRDB
internal import LedgerDomain

/// The column values of a projected request's rows, per table in `ProjectionWriter.tables`
/// order, each row's values in `ProjectionWriter.columns` order: the one definition of what
/// the writer inserts (`ProjectionRows`) and what `ledger verify` compares the stored rows with.
enum ProjectionValues {
    typealias Values = [(any DatabaseValueConvertible)?]

    static func request(_ projection: RequestProjection) -> Values {
        var values: Values = []
        RequestRow(projection).append(to: &values)
        return values
    }

    static func timings(_ t: RequestTimings) -> Values {
        [
            t.requestID, t.environment, t.action, t.openedMs, t.deadlineMs, t.resolvedMs, t.outcome?.rawValue, t.decidedBy?.rawValue,
            t.escalations, t.firstEscalatedMs, t.firstExecutedMs, t.firstFailureMs, t.rolledBackMs, t.recoveredMs, t.reviewDeadlineMs,
            t.reviewClosedMs, t.missingFields.joined(separator: ","), t.lastSeq,
        ]
    }

    static func vote(_ vote: VoteRecord) -> Values {
        [vote.seq, vote.requestID, vote.voter, vote.approve ? "approve" : "deny", vote.timeMs]
    }

    static func attempt(_ attempt: AttemptRecord) -> Values {
        [attempt.seq, attempt.requestID, attempt.kind.rawValue, attempt.actor, attempt.code, attempt.timeMs]
    }

    static func execution(_ execution: ExecutionRecord) -> Values {
        [execution.seq, execution.requestID, execution.approved ? 1 : 0, execution.succeeded ? "succeeded" : "failed", execution.timeMs]
    }

    /// Every row of `projection`, per table.
    static func rows(_ projection: RequestProjection) -> [[Values]] {
        [
            [request(projection)], [timings(projection.timings)], projection.votes.map(vote), projection.attempts.map(attempt),
            projection.executions.map(execution),
        ]
    }
}
