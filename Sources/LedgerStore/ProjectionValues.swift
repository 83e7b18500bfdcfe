internal import GRDB
package import LedgerDomain

/// The column values of a projected request's rows, per table in `ProjectionWriter.tables`
/// order, each row's values in `ProjectionWriter.columns` order: the one definition of what
/// the writer inserts (`ProjectionRows`) and what `ledger verify` compares the stored rows with.
package enum ProjectionValues {
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

/// One column value of a projection row, apart from any database library: what a backend
/// other than SQLite binds (PostgreSQL).
package enum ProjectionValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

extension ProjectionValues {
    /// The rows of `projection` per table, in `ProjectionWriter.tables` order, as plain values.
    package static func plainRows(_ projection: RequestProjection) -> [[[ProjectionValue]]] {
        [
            [request(projection)],
            [timings(projection.timings)],
            projection.votes.map(vote),
            projection.attempts.map(attempt),
            projection.executions.map(execution),
        ].map { $0.map { $0.map(ProjectionValue.init) } }
    }

    /// The projection tables and their columns, in the order `rows` gives them.
    package static var tables: [(name: String, columns: [String])] {
        Array(zip(ProjectionWriter.tables, ProjectionWriter.columns))
    }
}

extension ProjectionValue {
    init(_ value: (any DatabaseValueConvertible)?) {
        switch value?.databaseValue.storage ?? .null {
        case .null: self = .null
        case .int64(let integer): self = .integer(integer)
        case .double(let real): self = .real(real)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .blob([UInt8](data))
        }
    }
}
