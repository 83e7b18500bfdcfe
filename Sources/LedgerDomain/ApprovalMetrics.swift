/// The approval SLIs of docs/METRICS.md (M1–M10, approver load, pending-queue depth),
/// computed purely from projection rows by `init(facts:query:)`.
public struct ApprovalMetrics: Sendable, Hashable {
    /// A share: `numerator` of `denominator`; `value` is nil when the denominator is zero.
    public struct Ratio: Sendable, Hashable {
        /// What was counted.
        public var numerator: Int
        /// What it was counted among.
        public var denominator: Int
        /// numerator ÷ denominator; nil when nothing was counted.
        public var value: Double? { denominator == 0 ? nil : Double(numerator) / Double(denominator) }

        /// `numerator` of `denominator`.
        public init(_ numerator: Int, of denominator: Int) {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    /// M1 for one environment and action.
    public struct LatencyGroup: Sendable, Hashable {
        public var environment: String
        public var action: String
        public var latency: DurationSummary
    }

    /// M1 for the requests whose deciding vote came through one channel.
    public struct ChannelLatency: Sendable, Hashable {
        /// `own-key`, `signed-command`, `token`, `slack`… (`VoteChannel`).
        public var channel: String
        public var latency: DurationSummary
    }

    /// M2's decisions split by who decided.
    public struct DecisionCount: Sendable, Hashable {
        /// Who decided (never `requester` or `break-glass`: those neither grant nor deny).
        public var decidedBy: RequestTimings.DecidedBy
        public var granted: Int
        public var denied: Int
    }

    /// A request pending past its deadline (M3).
    public struct StalledRequest: Sendable, Hashable {
        public var requestID: String
        public var environment: String
        public var action: String
        /// Its deadline (its SLA), in ms since the epoch.
        public var deadlineMs: Int64
        /// How long past its deadline it is at `now`.
        public var overdueMs: Int64
    }

    /// How many recorded refusals had one reason (M6), or how many requests lacked one
    /// thing (M10).
    public struct ReasonCount: Sendable, Hashable {
        /// `vote` or `execution` for a refused attempt; nil for an audit reason.
        public var kind: String?
        /// The refusal code (M6) or the audit problem, e.g. `missing:links` (M10).
        public var reason: String
        public var count: Int
    }

    /// Requests opened in one UTC hour or day (M8).
    public struct TrafficBucket: Sendable, Hashable {
        /// The start of the UTC hour or day, in ms since the epoch.
        public var startMs: Int64
        public var count: Int
    }

    /// One approver's votes and refused vote attempts in the window.
    public struct ApproverLoad: Sendable, Hashable {
        public var approver: String
        public var approvals: Int
        public var denials: Int
        /// Refused vote attempts signed by this identity.
        public var rejectedAttempts: Int
        /// Votes cast, approving or denying.
        public var votes: Int { approvals + denials }
    }

    /// What was measured: the window, the instant, the filters, the chain check.
    public var query: MetricsQuery
    /// M1, all selected requests together.
    public var approvalLatency: DurationSummary
    /// M1 by environment and action, sorted by environment then action.
    public var approvalLatencyByGroup: [LatencyGroup]
    /// M1 by the channel of the deciding vote, sorted by channel.
    public var approvalLatencyByChannel: [ChannelLatency]
    /// M2: granted of granted + denied.
    public var approvalRate: Ratio
    /// M2's decisions by who decided, in `DecidedBy` order, only those that decided any.
    public var decisionsByDecider: [DecisionCount]
    /// M3, most overdue first.
    public var stalled: [StalledRequest]
    /// Requests pending at `now`.
    public var pendingDepth: Int
    /// Age at `now` of the oldest pending request.
    public var oldestPendingAgeMs: Int64?
    /// M4: escalated of resolved after waiting for people.
    public var escalationRate: Ratio
    /// M5: failed of approved executions.
    public var failuresAfterApproval: Ratio
    /// M6, most frequent first.
    public var rejectedAttempts: [ReasonCount]
    /// M7: rolled back of approved requests first executed in the window.
    public var rollbacksAfterApproval: Ratio
    /// M8: requests opened in the window.
    public var requestsOpened: Int
    /// M8 per UTC hour and per UTC day with requests, oldest first.
    public var requestsPerHour: [TrafficBucket]
    public var requestsPerDay: [TrafficBucket]
    /// Requests opened in the hour, and the day, up to `now`.
    public var requestsLastHour: Int
    public var requestsLastDay: Int
    /// M9: time from the first failure after approval to recovery.
    public var timeToRecover: DurationSummary
    /// Approved requests failed or rolled back and not recovered at `now`.
    public var unrecovered: Int
    /// Age at `now` of the oldest unrecovered failure.
    public var oldestUnrecoveredAgeMs: Int64?
    /// M10: complete of requests opened in the window.
    public var auditCompleteness: Ratio
    /// Why requests were incomplete (a request may have several reasons).
    public var incompleteReasons: [ReasonCount]
    /// Busiest first.
    public var approvers: [ApproverLoad]

    /// Total recorded refusals in the window (M6).
    public var rejectedAttemptsTotal: Int { rejectedAttempts.reduce(0) { $0 + $1.count } }
}
