internal import LedgerFormat

/// Everything the projection tables hold about one approval request, derived from its
/// stream's events and nothing else.
///
/// This is the one function behind both the incremental update (after every append to the
/// stream) and `ledger rebuild` (for every stream): because it depends on the stream's events
/// alone, replaying the ledger gives exactly the rows the appends wrote.
public struct RequestProjection: Sendable, Hashable {
    /// The request folded from its events: the `requests` row.
    public var state: RequestState
    /// The seq of the stream's latest event.
    public var lastSeq: Int64
    /// The `request_timings` row, and the rows of `votes`, `attempts` and `executions`.
    public var timings: RequestTimings
    public var votes: [VoteRecord]
    public var attempts: [AttemptRecord]
    public var executions: [ExecutionRecord]

    /// Projects the events of stream `stream`, in stream order. Returns nil when the stream is
    /// not an approval request: it does not start with a well-formed `request.opened`, or
    /// that event names another request id.
    public init?(stream: String, events: [RequestEvent]) {
        guard let state = RequestState.fold(events), state.id == stream, let last = events.last else { return nil }
        self.state = state
        lastSeq = last.seq
        votes = []
        attempts = []
        executions = []
        var firstEscalated: Timestamp?
        var firstFailure: Timestamp?
        for event in events {
            let p = event.members
            let time = event.time.millisecondsSinceEpoch
            switch event.type {
            case ApprovalEvents.voteCast:
                votes.append(VoteRecord(
                    seq: event.seq, requestID: stream, voter: event.actor, approve: p.decision == "approve", timeMs: time))
            case ApprovalEvents.voteRejected:
                attempts.append(AttemptRecord(
                    seq: event.seq, requestID: stream, kind: .vote, actor: event.actor, code: p.code ?? "unknown", timeMs: time))
            case ApprovalEvents.executionRefused:
                attempts.append(AttemptRecord(
                    seq: event.seq, requestID: stream, kind: .execution, actor: event.actor, code: p.code ?? "unknown", timeMs: time))
            case ApprovalEvents.executed:
                let succeeded = p.outcome == "succeeded"
                executions.append(ExecutionRecord(
                    seq: event.seq, requestID: stream, approved: p.grantId != nil, succeeded: succeeded, timeMs: time))
                if !succeeded, firstFailure == nil { firstFailure = event.time }
            case ApprovalEvents.rolledBack:
                if firstFailure == nil { firstFailure = event.time }
            case ApprovalEvents.escalated:
                if firstEscalated == nil { firstEscalated = event.time }
            default:
                break
            }
        }
        timings = RequestTimings(
            requestID: stream, environment: state.environment, action: state.action,
            openedMs: state.openedAt.millisecondsSinceEpoch, deadlineMs: state.deadline.millisecondsSinceEpoch,
            resolvedMs: state.status.isTerminal ? state.decidedAt?.millisecondsSinceEpoch : nil,
            outcome: state.status.isTerminal ? state.status : nil, decidedBy: Self.decidedBy(state),
            escalations: state.escalationsApplied, firstEscalatedMs: firstEscalated?.millisecondsSinceEpoch,
            firstExecutedMs: state.executions.first?.time.millisecondsSinceEpoch,
            firstFailureMs: firstFailure?.millisecondsSinceEpoch, rolledBackMs: state.rolledBackAt?.millisecondsSinceEpoch,
            recoveredMs: state.recoveredAt?.millisecondsSinceEpoch, reviewDeadlineMs: state.review?.deadline.millisecondsSinceEpoch,
            reviewClosedMs: state.review?.closedAt?.millisecondsSinceEpoch, missingFields: state.missingAuditFields, lastSeq: last.seq)
    }

    /// An automatic decision before the deadline can only be the policy's verdict on the risk
    /// at opening (`ledger tick` acts at the deadline, and a rule's ttl is positive).
    static func decidedBy(_ state: RequestState) -> RequestTimings.DecidedBy? {
        switch state.status {
        case .pending: nil
        case .bypassed: .breakGlass
        case .cancelled: .requester
        case .expired: .timeout
        case .granted, .denied:
            !state.automatic ? .people : (state.decidedAt ?? state.openedAt) < state.deadline ? .policy : .timeout
        }
    }
}
