internal import LedgerFormat

/// Everything the projection tables hold about one approval request, derived from its
/// stream's events and nothing else.
///
/// This is the one function behind both the incremental update (after every append to the
/// stream) and `ledger rebuild` (for every stream): because it depends on the stream's events
/// alone, replaying the ledger gives exactly the rows the appends wrote. `ledger verify`
/// builds the same value event by event (`Records`) beside the state its replay folds.
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
        guard let first = events.first, var state = RequestState.fold([first]), state.id == stream else { return nil }
        var records = Records(stream: stream, openingSeq: first.seq)
        for event in events.dropFirst() {
            state.apply(event)
            records.add(event)
        }
        self.init(state: state, records: records)
    }

    /// The projection of a request whose state was folded from the same events as `records`.
    public init(state: RequestState, records: Records) {
        self.state = state
        lastSeq = records.lastSeq
        votes = records.votes
        attempts = records.attempts
        executions = records.executions
        timings = RequestTimings(
            requestID: records.stream, environment: state.environment, action: state.action,
            openedMs: state.openedAt.millisecondsSinceEpoch, deadlineMs: state.deadline.millisecondsSinceEpoch,
            resolvedMs: state.status.isTerminal ? state.decidedAt?.millisecondsSinceEpoch : nil,
            outcome: state.status.isTerminal ? state.status : nil, decidedBy: Self.decidedBy(state),
            escalations: state.escalationsApplied, firstEscalatedMs: records.firstEscalated?.millisecondsSinceEpoch,
            firstExecutedMs: state.executions.first?.time.millisecondsSinceEpoch,
            firstFailureMs: records.firstFailure?.millisecondsSinceEpoch, rolledBackMs: state.rolledBackAt?.millisecondsSinceEpoch,
            recoveredMs: state.recoveredAt?.millisecondsSinceEpoch, reviewDeadlineMs: state.review?.deadline.millisecondsSinceEpoch,
            reviewClosedMs: state.review?.closedAt?.millisecondsSinceEpoch, missingFields: state.missingAuditFields,
            lastSeq: records.lastSeq)
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
