public import LedgerFormat

/// The figures the dashboards (`ledger serve` `/dashboards/…`) and the extra `/metrics`
/// families need beyond `ApprovalMetrics`: latency by environment and week, break-glass
/// reviews, the pending queue with time left, recent escalations, refusals by identity, and
/// outcomes after approval by week. Pure, over the same projection rows as the SLIs;
/// docs/DASHBOARDS.md says where each one is shown.
public struct DashboardFigures: Sendable, Hashable {
    /// M1 and M2 for one environment in one UTC week (Monday 00:00 to Monday 00:00).
    public struct WeeklyLatency: Sendable, Hashable {
        public var environment: String
        /// The start of the UTC week, in ms since the epoch.
        public var weekStartMs: Int64
        /// Latency of requests decided by people and resolved in that week.
        public var latency: DurationSummary
    }

    /// Approved executions, failures and rollbacks in one UTC week.
    public struct WeeklyOutcomes: Sendable, Hashable {
        public var weekStartMs: Int64
        public var granted: Int
        public var denied: Int
        /// Approved executions reported in the week.
        public var executions: Int
        /// Of those, failed ones.
        public var failures: Int
        /// Granted requests rolled back in the week.
        public var rollbacks: Int
    }

    /// Break-glass bypasses and their reviews, at `now`.
    public struct BreakGlass: Sendable, Hashable {
        /// Bypasses opened at or before `now`.
        public var bypasses: Int
        /// Bypasses whose review is not closed at `now` (overdue ones included).
        public var openReviews: Int
        /// Of those, reviews whose deadline has passed.
        public var overdueReviews: Int
        /// How far past its review deadline the most overdue one is.
        public var maxOverdueMs: Int64?
    }

    /// A request pending at `now`.
    public struct PendingRequest: Sendable, Hashable {
        public var requestID: String
        public var environment: String
        public var action: String
        public var openedMs: Int64
        public var deadlineMs: Int64
        /// deadline − now: negative once past the deadline (stalled).
        public var timeLeftMs: Int64
        public var escalations: Int
        /// Pending past its deadline (M3).
        public var isStalled: Bool { timeLeftMs <= 0 }
    }

    /// A request first escalated in the recent window.
    public struct EscalatedRequest: Sendable, Hashable {
        public var requestID: String
        public var environment: String
        public var action: String
        public var escalatedMs: Int64
        public var escalations: Int
        /// Its status at `now`; nil while pending.
        public var outcome: RequestState.Status?
    }

    /// A count under one name (an environment, an identity).
    public struct NamedCount: Sendable, Hashable {
        public var name: String
        public var count: Int
    }

    /// Refused attempts signed by one identity, by reason.
    public struct IdentityRefusals: Sendable, Hashable {
        public var identity: String
        public var total: Int
        /// Reasons, most frequent first.
        public var reasons: [NamedCount]
    }

    public static let weekMs: Int64 = 7 * 86_400_000
    /// 1970-01-01 was a Thursday: weeks start on Monday, 4 days later (UTC).
    static let mondayOffsetMs: Int64 = 4 * 86_400_000

    /// The instant the figures are judged at.
    public var nowMs: Int64
    /// The weeks shown, oldest first: `weeks` UTC weeks up to the one holding `now`.
    public var weekStartsMs: [Int64]
    /// By environment, then week; only weeks with decisions by people.
    public var weeklyLatency: [WeeklyLatency]
    /// One entry per shown week.
    public var weeklyOutcomes: [WeeklyOutcomes]
    public var breakGlass: BreakGlass
    /// Soonest deadline first (so stalled ones lead).
    public var pending: [PendingRequest]
    /// Pending requests by environment, by name.
    public var pendingByEnvironment: [NamedCount]
    /// Escalated within `recentMs` before `now`, newest first.
    public var escalatedRecently: [EscalatedRequest]
    /// How far back "recently" reaches.
    public var recentMs: Int64
    /// Refused attempts by the identity that signed them (whole ledger up to `now`), most first.
    public var refusalsByIdentity: [IdentityRefusals]
    /// Escalation steps recorded (`request.escalated` events) of requests opened by `now`.
    public var escalations: Int

    /// Computes the figures from projection rows at `now`: `weeks` UTC weeks of history,
    /// escalations in the last `recentHours`. O(n) over the rows, plus sorting.
    public init(facts: MetricsFacts, now: Timestamp, weeks: Int = 8, recentHours: Int = 6) {
        let now = now.millisecondsSinceEpoch
        nowMs = now
        recentMs = Int64(recentHours) * 3_600_000
        let thisWeek = Self.weekStart(now)
        let starts = (0..<max(1, weeks)).reversed().map { thisWeek - Int64($0) * Self.weekMs }
        weekStartsMs = starts
        let first = starts[0]
        func week(_ ms: Int64) -> Int64? { ms >= first && ms <= now ? Self.weekStart(ms) : nil }

        var latencies: [String: [Int64: [Int64]]] = [:]
        var outcomes: [Int64: WeeklyOutcomes] = Dictionary(uniqueKeysWithValues: starts.map {
            ($0, WeeklyOutcomes(weekStartMs: $0, granted: 0, denied: 0, executions: 0, failures: 0, rollbacks: 0))
        })
        var breakGlass = BreakGlass(bypasses: 0, openReviews: 0, overdueReviews: 0, maxOverdueMs: nil)
        var pending: [PendingRequest] = []
        var byEnvironment: [String: Int] = [:]
        var escalated: [EscalatedRequest] = []
        var escalations = 0

        for request in facts.requests where request.openedMs <= now {
            escalations += request.escalations
            if let resolved = request.resolvedMs, resolved <= now, let start = week(resolved) {
                if request.decidedBy == .people {
                    latencies[request.environment, default: [:]][start, default: []].append(resolved - request.openedMs)
                }
                if request.outcome == .granted { outcomes[start]?.granted += 1 }
                if request.outcome == .denied { outcomes[start]?.denied += 1 }
            }
            if request.outcome == .granted, let rolledBack = request.rolledBackMs, let start = week(rolledBack) {
                outcomes[start]?.rollbacks += 1
            }
            if request.decidedBy == .breakGlass, request.resolvedMs.map({ $0 <= now }) ?? false {
                breakGlass.bypasses += 1
                if request.reviewClosedMs.map({ $0 > now }) ?? true {
                    breakGlass.openReviews += 1
                    if let deadline = request.reviewDeadlineMs, deadline < now {
                        breakGlass.overdueReviews += 1
                        breakGlass.maxOverdueMs = max(breakGlass.maxOverdueMs ?? 0, now - deadline)
                    }
                }
            }
            if request.isPending(at: now) {
                pending.append(
                    PendingRequest(
                        requestID: request.requestID, environment: request.environment, action: request.action, openedMs: request.openedMs,
                        deadlineMs: request.deadlineMs, timeLeftMs: request.deadlineMs - now, escalations: request.escalations))
                byEnvironment[request.environment, default: 0] += 1
            }
            if let at = request.firstEscalatedMs, at <= now, at > now - recentMs {
                let outcome = request.resolvedMs.map { $0 <= now } ?? false ? request.outcome : nil
                escalated.append(
                    EscalatedRequest(
                        requestID: request.requestID, environment: request.environment, action: request.action, escalatedMs: at,
                        escalations: request.escalations, outcome: outcome))
            }
        }
        for execution in facts.executions where execution.approved {
            guard let start = week(execution.timeMs) else { continue }
            outcomes[start]?.executions += 1
            if !execution.succeeded { outcomes[start]?.failures += 1 }
        }
        var refusals: [String: [String: Int]] = [:]
        for attempt in facts.attempts where attempt.timeMs <= now {
            refusals[attempt.actor, default: [:]][attempt.code, default: 0] += 1
        }

        weeklyLatency = latencies.keys.sorted().flatMap { environment in
            latencies[environment, default: [:]].keys.sorted().map { start in
                WeeklyLatency(environment: environment, weekStartMs: start, latency: DurationSummary(latencies[environment]![start]!))
            }
        }
        weeklyOutcomes = starts.map { outcomes[$0]! }
        self.escalations = escalations
        self.breakGlass = breakGlass
        self.pending = pending.sorted { ($0.deadlineMs, $0.requestID) < ($1.deadlineMs, $1.requestID) }
        pendingByEnvironment = byEnvironment.keys.sorted().map { NamedCount(name: $0, count: byEnvironment[$0]!) }
        escalatedRecently = escalated.sorted { ($0.escalatedMs, $0.requestID) > ($1.escalatedMs, $1.requestID) }
        refusalsByIdentity = refusals.map { identity, reasons in
            IdentityRefusals(
                identity: identity, total: reasons.values.reduce(0, +),
                reasons: reasons.map { NamedCount(name: $0.key, count: $0.value) }.sorted { ($0.count, $1.name) > ($1.count, $0.name) })
        }
        .sorted { ($0.total, $1.identity) > ($1.total, $0.identity) }
    }

    /// The start (Monday 00:00 UTC) of the week holding `milliseconds`.
    public static func weekStart(_ milliseconds: Int64) -> Int64 {
        let shifted = milliseconds - mondayOffsetMs
        let remainder = shifted % weekMs
        return milliseconds - (remainder < 0 ? remainder + weekMs : remainder)
    }

    /// The oldest pending request.
    public var oldestPending: PendingRequest? { pending.min { ($0.openedMs, $0.requestID) < ($1.openedMs, $1.requestID) } }
}
