internal import LedgerFormat

extension RequestProjection {
    /// The rows a request's events add one by one, apart from its state: what lets a walk that
    /// already folds the state (`ledger verify`'s replay) project the request as it goes,
    /// without keeping its events.
    public struct Records: Sendable, Hashable {
        public let stream: String
        /// The seq of the latest event added.
        public private(set) var lastSeq: Int64
        var votes: [VoteRecord] = []
        var attempts: [AttemptRecord] = []
        var executions: [ExecutionRecord] = []
        var firstEscalated: Timestamp?
        var firstFailure: Timestamp?

        /// Starts after the stream's first event, at `openingSeq`, which the caller has folded
        /// into a state naming `stream`: a well-formed `request.opened` (it adds no rows).
        public init(stream: String, openingSeq: Int64) {
            self.stream = stream
            lastSeq = openingSeq
        }

        /// Adds the stream's next event.
        public mutating func add(_ event: RequestEvent) {
            lastSeq = event.seq
            let time = event.time.millisecondsSinceEpoch
            switch event.type {
            case ApprovalEvents.voteCast:
                votes.append(VoteRecord(
                    seq: event.seq, requestID: stream, voter: event.actor, approve: event.members.decision == "approve", timeMs: time))
            case ApprovalEvents.voteRejected:
                attempts.append(AttemptRecord(
                    seq: event.seq, requestID: stream, kind: .vote, actor: event.actor, code: event.members.code ?? "unknown", timeMs: time))
            case ApprovalEvents.executionRefused:
                attempts.append(AttemptRecord(
                    seq: event.seq, requestID: stream, kind: .execution, actor: event.actor, code: event.members.code ?? "unknown",
                    timeMs: time))
            case ApprovalEvents.executed:
                let succeeded = event.members.outcome == "succeeded"
                executions.append(ExecutionRecord(
                    seq: event.seq, requestID: stream, approved: event.members.grantId != nil, succeeded: succeeded, timeMs: time))
                if !succeeded, firstFailure == nil { firstFailure = event.time }
            case ApprovalEvents.rolledBack:
                if firstFailure == nil { firstFailure = event.time }
            case ApprovalEvents.escalated:
                if firstEscalated == nil { firstEscalated = event.time }
            default:
                break
            }
        }
    }
}
