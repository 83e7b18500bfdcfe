extension ApprovalMetrics {
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000

    /// Computes every SLI from projection rows, exactly as docs/METRICS.md defines it. Pure:
    /// the same facts and query always give the same figures.
    ///
    /// One pass over the requests and one over each kind of record (`MetricsTally`); O(n log n)
    /// in all for the percentiles' sorting.
    public init(facts: MetricsFacts, query: MetricsQuery) {
        var tally = MetricsTally(query: query)
        for request in facts.requests { tally.add(request) }
        for (request, channel) in facts.decidingChannels { tally.add(decidingChannel: channel, of: request) }
        for execution in facts.executions { tally.add(execution) }
        for attempt in facts.attempts { tally.add(attempt) }
        for vote in facts.votes { tally.add(vote) }
        self.init(tally)
    }

    /// The figures of a finished tally: percentiles, ratios and the sorted lists.
    init(_ tally: MetricsTally) {
        let now = tally.now
        query = tally.query
        approvalLatency = DurationSummary(tally.latencies)
        approvalLatencyByGroup = tally.latencyGroups.sorted { $0.key < $1.key }.map {
            LatencyGroup(environment: $0.key.environment, action: $0.key.action, latency: DurationSummary($0.value))
        }
        approvalLatencyByChannel = tally.latencyChannels.sorted { $0.key < $1.key }.map {
            ChannelLatency(channel: $0.key, latency: DurationSummary($0.value))
        }
        approvalRate = Ratio(tally.granted, of: tally.granted + tally.denied)
        decisionsByDecider = RequestTimings.DecidedBy.allCases.compactMap { decider in
            tally.byDecider[decider].map { DecisionCount(decidedBy: decider, granted: $0.granted, denied: $0.denied) }
        }
        escalationRate = Ratio(tally.escalated, of: tally.waited)
        stalled = tally.stalled.sorted { ($0.overdueMs, $1.requestID) > ($1.overdueMs, $0.requestID) }
        pendingDepth = tally.pending
        oldestPendingAgeMs = tally.oldestOpened.map { now - $0 }
        rollbacksAfterApproval = Ratio(tally.rolledBack, of: tally.executedApproved)
        timeToRecover = DurationSummary(tally.recoveries)
        unrecovered = tally.unrecovered
        oldestUnrecoveredAgeMs = tally.oldestFailure.map { now - $0 }
        requestsOpened = tally.opened
        requestsLastHour = tally.lastHour
        requestsLastDay = tally.lastDay
        requestsPerHour = tally.hours.sorted { $0.key < $1.key }.map { TrafficBucket(startMs: $0.key, count: $0.value) }
        requestsPerDay = tally.days.sorted { $0.key < $1.key }.map { TrafficBucket(startMs: $0.key, count: $0.value) }
        auditCompleteness = Ratio(tally.complete, of: tally.opened)
        incompleteReasons = Self.ranked(tally.incomplete)
        failuresAfterApproval = Ratio(tally.failed, of: tally.executions)
        rejectedAttempts = Self.ranked(tally.reasons)
        approvers = tally.loads.values.sorted { ($0.votes, $1.approver) > ($1.votes, $0.approver) }
    }

    /// Why a request's record is not audit-complete at `now` (M10); empty when it is.
    static func auditProblems(_ request: RequestTimings, now: Int64, chain: MetricsQuery.Chain) -> [String] {
        var problems = request.missingFields.map { "missing:" + $0 }
        // Votes are refused from the deadline on, a review only after it (as the Decider judges).
        if request.isPending(at: now), request.deadlineMs <= now { problems.append("past-deadline") }
        if let reviewDeadline = request.reviewDeadlineMs, reviewDeadline < now, !(request.reviewClosedMs.map { $0 <= now } ?? false) {
            problems.append("review-overdue")
        }
        if case .invalid(let from) = chain, request.lastSeq >= from { problems.append("chain-invalid") }
        return problems
    }

    static func floor(_ milliseconds: Int64, _ unit: Int64) -> Int64 {
        let remainder = milliseconds % unit
        return milliseconds - (remainder < 0 ? remainder + unit : remainder)
    }

    static func ranked(_ counts: [ReasonKey: Int]) -> [ReasonCount] {
        counts.map { ReasonCount(kind: $0.key.kind, reason: $0.key.reason, count: $0.value) }
            .sorted { ($0.count, $1.kind ?? "", $1.reason) > ($1.count, $0.kind ?? "", $0.reason) }
    }

    struct GroupKey: Hashable, Comparable {
        var environment: String
        var action: String

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.environment, lhs.action) < (rhs.environment, rhs.action) }
    }

    struct ReasonKey: Hashable {
        var kind: String?
        var reason: String
    }
}
