/// The approval SLIs of one query accumulated one projection row at a time, so that a caller
/// reading rows from a cursor never holds them all: `ApprovalMetrics(facts:query:)` adds its
/// rows here too, so both ways give the same figures by construction.
///
/// Every request must be added before any vote, attempt or execution: with an environment
/// or action filter, a record counts only when its request was selected. Within each kind,
/// order does not matter (every list the metrics show is sorted on a total order).
/// Memory grows with what the figures keep (latencies, stalled requests, buckets, approvers),
/// not with the rows added.
public struct MetricsTally: Sendable {
    /// The query the rows are counted for.
    public let query: MetricsQuery
    let now: Int64
    let filtered: Bool

    var latencies: [Int64] = []
    var latencyGroups: [ApprovalMetrics.GroupKey: [Int64]] = [:]
    /// M1's requests by id, until the channel of their deciding vote comes.
    var undecidedChannel: [String: Int64] = [:]
    var latencyChannels: [String: [Int64]] = [:]
    var granted = 0, denied = 0
    var byDecider: [RequestTimings.DecidedBy: (granted: Int, denied: Int)] = [:]
    var waited = 0, escalated = 0
    var stalled: [ApprovalMetrics.StalledRequest] = []
    var pending = 0
    var oldestOpened: Int64?
    var executedApproved = 0, rolledBack = 0
    var recoveries: [Int64] = []
    var unrecovered = 0
    var oldestFailure: Int64?
    var opened = 0, lastHour = 0, lastDay = 0, complete = 0
    var hours: [Int64: Int] = [:], days: [Int64: Int] = [:]
    var incomplete: [ApprovalMetrics.ReasonKey: Int] = [:]
    // Records carry no environment or action: with a filter, keep those of selected
    // requests. Without one, a record of a request opened after `now` is itself after
    // `now`, and the window drops it.
    var selectedIDs = Set<String>()
    var executions = 0, failed = 0
    var reasons: [ApprovalMetrics.ReasonKey: Int] = [:]
    var loads: [String: ApprovalMetrics.ApproverLoad] = [:]

    /// An empty tally for `query`.
    public init(query: MetricsQuery) {
        self.query = query
        now = query.now.millisecondsSinceEpoch
        filtered = query.environment != nil || query.action != nil
    }

    /// Counts an M1 request's latency under the channel its deciding vote came through
    /// (`VoteChannel`: own-key, signed-command, token, slack…): the vote that completed the
    /// thresholds or vetoed. Add it after the request.
    public mutating func add(decidingChannel channel: String, of requestID: String) {
        guard let latency = undecidedChannel.removeValue(forKey: requestID) else { return }
        latencyChannels[channel, default: []].append(latency)
    }

    /// Counts one request (a `request_timings` row); rows the query does not select are skipped.
    public mutating func add(_ request: RequestTimings) {
        guard request.openedMs <= now, query.selects(environment: request.environment, action: request.action) else { return }
        if filtered { selectedIDs.insert(request.requestID) }

        // M1, M2, M4: requests resolved in the window.
        if let resolved = request.resolvedMs, let decidedBy = request.decidedBy, query.inWindow(resolved) {
            if decidedBy == .people {
                let latency = resolved - request.openedMs
                latencies.append(latency)
                latencyGroups[ApprovalMetrics.GroupKey(environment: request.environment, action: request.action), default: []].append(latency)
                undecidedChannel[request.requestID] = latency
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
                stalled.append(ApprovalMetrics.StalledRequest(
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
        if request.openedMs > now - ApprovalMetrics.hourMs { lastHour += 1 }
        if request.openedMs > now - ApprovalMetrics.dayMs { lastDay += 1 }
        if query.inWindow(request.openedMs) {
            opened += 1
            hours[ApprovalMetrics.floor(request.openedMs, ApprovalMetrics.hourMs), default: 0] += 1
            days[ApprovalMetrics.floor(request.openedMs, ApprovalMetrics.dayMs), default: 0] += 1
            let problems = ApprovalMetrics.auditProblems(request, now: now, chain: query.chain)
            if problems.isEmpty { complete += 1 }
            for problem in problems { incomplete[ApprovalMetrics.ReasonKey(kind: nil, reason: problem), default: 0] += 1 }
        }
    }

    /// Counts one execution report (M5): approved executions reported in the window.
    public mutating func add(_ execution: ExecutionRecord) {
        guard execution.approved, query.inWindow(execution.timeMs), selected(execution.requestID) else { return }
        executions += 1
        if !execution.succeeded { failed += 1 }
    }

    /// Counts one refused attempt (M6, and the approver load of a refused vote).
    public mutating func add(_ attempt: AttemptRecord) {
        guard query.inWindow(attempt.timeMs), selected(attempt.requestID) else { return }
        reasons[ApprovalMetrics.ReasonKey(kind: attempt.kind.rawValue, reason: attempt.code), default: 0] += 1
        if attempt.kind == .vote {
            loads[attempt.actor, default: Self.load(attempt.actor)].rejectedAttempts += 1
        }
    }

    /// Counts one vote (approver load).
    public mutating func add(_ vote: VoteRecord) {
        guard query.inWindow(vote.timeMs), selected(vote.requestID) else { return }
        if vote.approve {
            loads[vote.voter, default: Self.load(vote.voter)].approvals += 1
        } else {
            loads[vote.voter, default: Self.load(vote.voter)].denials += 1
        }
    }

    /// The SLIs of everything added.
    public var metrics: ApprovalMetrics { ApprovalMetrics(self) }

    private func selected(_ id: String) -> Bool { !filtered || selectedIDs.contains(id) }

    private static func load(_ approver: String) -> ApprovalMetrics.ApproverLoad {
        ApprovalMetrics.ApproverLoad(approver: approver, approvals: 0, denials: 0, rejectedAttempts: 0)
    }
}
