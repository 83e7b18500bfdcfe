extension ApprovalMetrics {
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000

    /// Computes every SLI from projection rows, exactly as docs/METRICS.md defines it. Pure:
    /// the same facts and query always give the same figures.
    ///
    /// One pass over the requests and one over each kind of record; O(n log n) in all for
    /// the percentiles' sorting.
    public init(facts: MetricsFacts, query: MetricsQuery) {
        self.query = query
        let now = query.now.millisecondsSinceEpoch
        let filtered = query.environment != nil || query.action != nil

        var latencies: [Int64] = []
        var latencyGroups: [GroupKey: [Int64]] = [:]
        var granted = 0, denied = 0
        var byDecider: [RequestTimings.DecidedBy: (granted: Int, denied: Int)] = [:]
        var waited = 0, escalated = 0
        var stalled: [StalledRequest] = []
        var pending = 0
        var oldestOpened: Int64?
        var executedApproved = 0, rolledBack = 0
        var recoveries: [Int64] = []
        var unrecovered = 0
        var oldestFailure: Int64?
        var opened = 0, lastHour = 0, lastDay = 0, complete = 0
        var hours: [Int64: Int] = [:], days: [Int64: Int] = [:]
        var incomplete: [ReasonKey: Int] = [:]
        // Records carry no environment or action: with a filter, keep those of selected
        // requests. Without one, a record of a request opened after `now` is itself after
        // `now`, and the window drops it.
        var selectedIDs = Set<String>()

        for request in facts.requests {
            guard request.openedMs <= now, query.selects(environment: request.environment, action: request.action) else { continue }
            if filtered { selectedIDs.insert(request.requestID) }

            // M1, M2, M4: requests resolved in the window.
            if let resolved = request.resolvedMs, let decidedBy = request.decidedBy, query.inWindow(resolved) {
                if decidedBy == .people {
                    let latency = resolved - request.openedMs
                    latencies.append(latency)
                    latencyGroups[GroupKey(environment: request.environment, action: request.action), default: []].append(latency)
                }
                if request.outcome == .granted || request.outcome == .denied {
                    let approved = request.outcome == .granted
                    if approved { granted += 1 } else { denied += 1 }
                    byDecider[decidedBy, default: (0, 0)].granted += approved ? 1 : 0
                    byDecider[decidedBy, default: (0, 0)].denied += approved ? 0 : 1
                }
                if decidedBy == .people || decidedBy == .timeout || decidedBy == .requester {
                    waited += 1
                    if let first = request.firstEscalatedMs, first <= resolved { escalated += 1 }
                }
            }

            // M3 and the pending queue: the state at `now`.
            if request.isPending(at: now) {
                pending += 1
                oldestOpened = min(oldestOpened ?? request.openedMs, request.openedMs)
                if request.deadlineMs <= now {
                    stalled.append(StalledRequest(
                        requestID: request.requestID, environment: request.environment, action: request.action,
                        deadlineMs: request.deadlineMs, overdueMs: now - request.deadlineMs))
                }
            }

            // M7: approved requests first executed in the window; M9: recoveries in the window
            // and failures still open at `now`.
            if request.outcome == .granted {
                if let first = request.firstExecutedMs, query.inWindow(first) {
                    executedApproved += 1
                    if let rollback = request.rolledBackMs, rollback <= now { rolledBack += 1 }
                }
                if let failure = request.firstFailureMs, failure <= now {
                    if let recovered = request.recoveredMs, recovered <= now {
                        if query.inWindow(recovered) { recoveries.append(max(0, recovered - failure)) }
                    } else {
                        unrecovered += 1
                        oldestFailure = min(oldestFailure ?? failure, failure)
                    }
                }
            }

            // M8 and M10: requests opened in the window.
            if request.openedMs > now - Self.hourMs { lastHour += 1 }
            if request.openedMs > now - Self.dayMs { lastDay += 1 }
            if query.inWindow(request.openedMs) {
                opened += 1
                hours[Self.floor(request.openedMs, Self.hourMs), default: 0] += 1
                days[Self.floor(request.openedMs, Self.dayMs), default: 0] += 1
                let problems = Self.auditProblems(request, now: now, chain: query.chain)
                if problems.isEmpty { complete += 1 }
                for problem in problems { incomplete[ReasonKey(kind: nil, reason: problem), default: 0] += 1 }
            }
        }
        func selected(_ id: String) -> Bool { !filtered || selectedIDs.contains(id) }

        approvalLatency = DurationSummary(latencies)
        approvalLatencyByGroup = latencyGroups.sorted { $0.key < $1.key }.map {
            LatencyGroup(environment: $0.key.environment, action: $0.key.action, latency: DurationSummary($0.value))
        }
        approvalRate = Ratio(granted, of: granted + denied)
        decisionsByDecider = RequestTimings.DecidedBy.allCases.compactMap { decider in
            byDecider[decider].map { DecisionCount(decidedBy: decider, granted: $0.granted, denied: $0.denied) }
        }
        escalationRate = Ratio(escalated, of: waited)
        self.stalled = stalled.sorted { ($0.overdueMs, $1.requestID) > ($1.overdueMs, $0.requestID) }
        pendingDepth = pending
        oldestPendingAgeMs = oldestOpened.map { now - $0 }
        rollbacksAfterApproval = Ratio(rolledBack, of: executedApproved)
        timeToRecover = DurationSummary(recoveries)
        self.unrecovered = unrecovered
        oldestUnrecoveredAgeMs = oldestFailure.map { now - $0 }
        requestsOpened = opened
        requestsLastHour = lastHour
        requestsLastDay = lastDay
        requestsPerHour = hours.sorted { $0.key < $1.key }.map { TrafficBucket(startMs: $0.key, count: $0.value) }
        requestsPerDay = days.sorted { $0.key < $1.key }.map { TrafficBucket(startMs: $0.key, count: $0.value) }
        auditCompleteness = Ratio(complete, of: opened)
        incompleteReasons = Self.ranked(incomplete)

        // M5: approved executions reported in the window.
        var executions = 0, failed = 0
        for execution in facts.executions where execution.approved && query.inWindow(execution.timeMs) && selected(execution.requestID) {
            executions += 1
            if !execution.succeeded { failed += 1 }
        }
        failuresAfterApproval = Ratio(failed, of: executions)

        // M6 and approver load: refusals and votes in the window.
        var reasons: [ReasonKey: Int] = [:]
        var loads: [String: ApproverLoad] = [:]
        for attempt in facts.attempts where query.inWindow(attempt.timeMs) && selected(attempt.requestID) {
            reasons[ReasonKey(kind: attempt.kind.rawValue, reason: attempt.code), default: 0] += 1
            if attempt.kind == .vote {
                loads[attempt.actor, default: ApproverLoad(approver: attempt.actor, approvals: 0, denials: 0, rejectedAttempts: 0)].rejectedAttempts += 1
            }
        }
        for vote in facts.votes where query.inWindow(vote.timeMs) && selected(vote.requestID) {
            if vote.approve {
                loads[vote.voter, default: ApproverLoad(approver: vote.voter, approvals: 0, denials: 0, rejectedAttempts: 0)].approvals += 1
            } else {
                loads[vote.voter, default: ApproverLoad(approver: vote.voter, approvals: 0, denials: 0, rejectedAttempts: 0)].denials += 1
            }
        }
        rejectedAttempts = Self.ranked(reasons)
        approvers = loads.values.sorted { ($0.votes, $1.approver) > ($1.votes, $0.approver) }
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
