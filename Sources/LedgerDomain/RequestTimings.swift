/// When each step of one request happened and how it ended, in milliseconds since the Unix
/// epoch: the per-request facts behind the approval SLIs (docs/METRICS.md). One row of the
/// `request_timings` projection.
public struct RequestTimings: Sendable, Hashable {
    /// Who, or what, took a request out of the pending state.
    public enum DecidedBy: String, Sendable, Hashable, CaseIterable {
        /// Votes completed the rule's thresholds, or a deny veto.
        case people
        /// Granted or denied automatically by risk, when it was opened.
        case policy
        /// Expired, or denied automatically, at its deadline (`ledger tick`).
        case timeout
        /// Cancelled by the requester.
        case requester
        /// A break-glass bypass: it was never pending.
        case breakGlass = "break-glass"
    }

    public var requestID: String
    public var environment: String
    public var action: String
    public var openedMs: Int64
    public var deadlineMs: Int64
    /// When it stopped being pending; nil while pending.
    public var resolvedMs: Int64?
    /// The terminal status; nil while pending.
    public var outcome: RequestState.Status?
    public var decidedBy: DecidedBy?
    public var escalations: Int
    public var firstEscalatedMs: Int64?
    public var firstExecutedMs: Int64?
    /// The first failure after execution began: a failed execution or a rollback, whichever
    /// came first.
    public var firstFailureMs: Int64?
    public var rolledBackMs: Int64?
    public var recoveredMs: Int64?
    public var reviewDeadlineMs: Int64?
    public var reviewClosedMs: Int64?
    /// The audit fields the record lacks (`RequestState.missingAuditFields`); empty when complete.
    public var missingFields: [String]
    /// The seq of the stream's latest event.
    public var lastSeq: Int64

    public init(
        requestID: String, environment: String, action: String, openedMs: Int64, deadlineMs: Int64, resolvedMs: Int64? = nil,
        outcome: RequestState.Status? = nil, decidedBy: DecidedBy? = nil, escalations: Int = 0, firstEscalatedMs: Int64? = nil,
        firstExecutedMs: Int64? = nil, firstFailureMs: Int64? = nil, rolledBackMs: Int64? = nil, recoveredMs: Int64? = nil,
        reviewDeadlineMs: Int64? = nil, reviewClosedMs: Int64? = nil, missingFields: [String] = [], lastSeq: Int64
    ) {
        self.requestID = requestID
        self.environment = environment
        self.action = action
        self.openedMs = openedMs
        self.deadlineMs = deadlineMs
        self.resolvedMs = resolvedMs
        self.outcome = outcome
        self.decidedBy = decidedBy
        self.escalations = escalations
        self.firstEscalatedMs = firstEscalatedMs
        self.firstExecutedMs = firstExecutedMs
        self.firstFailureMs = firstFailureMs
        self.rolledBackMs = rolledBackMs
        self.recoveredMs = recoveredMs
        self.reviewDeadlineMs = reviewDeadlineMs
        self.reviewClosedMs = reviewClosedMs
        self.missingFields = missingFields
        self.lastSeq = lastSeq
    }

    /// True when the request was pending at `now`: opened by then and not yet resolved.
    public func isPending(at now: Int64) -> Bool {
        openedMs <= now && (resolvedMs.map { $0 > now } ?? true)
    }
}
