import LedgerDomain
import LedgerFormat
import Testing

/// The SLI arithmetic of docs/METRICS.md on hand-made projection rows: no ledger, no I/O.
@Suite("ApprovalMetrics: SLIs from projection rows")
struct ApprovalMetricsTests {
    static let t0 = Timestamp("2026-11-02T09:00:00.000Z")!
    static func ms(_ minutes: Int64) -> Int64 { t0.millisecondsSinceEpoch + minutes * 60_000 }
    static func at(_ minutes: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: ms(minutes)) }

    static func request(
        _ id: String, env: String = "prod", action: String = "deploy", opened: Int64, deadline: Int64 = 60, resolved: Int64? = nil,
        outcome: RequestState.Status? = nil, by decider: RequestTimings.DecidedBy? = nil, missing: [String] = [], lastSeq: Int64 = 1
    ) -> RequestTimings {
        RequestTimings(
            requestID: id, environment: env, action: action, openedMs: ms(opened), deadlineMs: ms(deadline), resolvedMs: resolved.map(ms),
            outcome: outcome, decidedBy: decider, missingFields: missing, lastSeq: lastSeq)
    }

    @Test("Nearest-rank percentiles, mean and cumulative histogram buckets")
    func durationSummary() {
        let minutes = (1...10).map { Int64($0) * 60_000 }
        let summary = DurationSummary(minutes.reversed())
        #expect(summary.count == 10)
        #expect(summary.p50Ms == Int64(5 * 60_000))
        #expect(summary.p90Ms == Int64(9 * 60_000))
        #expect(summary.p99Ms == Int64(10 * 60_000))
        #expect(summary.meanMs == 330_000)
        #expect(summary.minMs == 60_000 && summary.maxMs == 600_000)
        // ≤1m, ≤5m, ≤15m, …: cumulative.
        #expect(summary.buckets == [1, 5, 10, 10, 10, 10, 10, 10, 10])

        let one = DurationSummary([42])
        #expect(one.p50Ms == 42 && one.p90Ms == 42 && one.p99Ms == 42)
        let none = DurationSummary([])
        #expect(none.count == 0 && none.meanMs == nil && none.p50Ms == nil && none.buckets == Array(repeating: 0, count: 9))
        #expect(DurationSummary.percentile(99, of: Array(1...200)) == 198)
    }

    @Test("The window: since inclusive, until exclusive, nothing after now")
    func window() {
        let query = MetricsQuery(now: Self.at(100), since: Self.at(10), until: Self.at(50))
        #expect(!query.inWindow(Self.ms(9)))
        #expect(query.inWindow(Self.ms(10)))
        #expect(query.inWindow(Self.ms(49)))
        #expect(!query.inWindow(Self.ms(50)))
        let open = MetricsQuery(now: Self.at(100))
        #expect(open.inWindow(Self.ms(100)) && !open.inWindow(Self.ms(100) + 1))
    }

    @Test("Stalled requests and queue depth are taken at now: a later decision still counts as pending")
    func pointInTime() {
        let facts = MetricsFacts(requests: [
            Self.request("a", opened: 0, deadline: 60, resolved: 90, outcome: .granted, by: .people),
            Self.request("b", opened: 10, deadline: 70),
            Self.request("c", opened: 200, deadline: 260),
        ])
        let before = ApprovalMetrics(facts: facts, query: MetricsQuery(now: Self.at(59)))
        #expect(before.stalled.isEmpty && before.pendingDepth == 2 && before.oldestPendingAgeMs == 59 * 60_000)
        let after = ApprovalMetrics(facts: facts, query: MetricsQuery(now: Self.at(80)))
        #expect(after.stalled.map(\.requestID) == ["a", "b"])
        #expect(after.stalled.map(\.overdueMs) == [20 * 60_000, 10 * 60_000])
        #expect(after.approvalRate.denominator == 0 && after.approvalRate.value == nil)
        let decided = ApprovalMetrics(facts: facts, query: MetricsQuery(now: Self.at(95)))
        #expect(decided.stalled.map(\.requestID) == ["b"])
        #expect(decided.approvalRate == ApprovalMetrics.Ratio(1, of: 1))
        #expect(decided.approvalLatency.p50Ms == Int64(90 * 60_000))
        #expect(decided.requestsOpened == 2)
    }

    @Test("Filters select requests by environment and action glob, and their votes, attempts and executions")
    func filters() {
        let facts = MetricsFacts(
            requests: [
                Self.request("a", env: "prod", action: "deploy.promote", opened: 0, resolved: 5, outcome: .granted, by: .people),
                Self.request("b", env: "dev", action: "deploy.promote", opened: 1, resolved: 3, outcome: .denied, by: .people),
                Self.request("c", env: "prod", action: "db.migrate", opened: 2, resolved: 4, outcome: .granted, by: .people),
            ],
            votes: [
                VoteRecord(seq: 1, requestID: "a", voter: "bob", approve: true, timeMs: Self.ms(5)),
                VoteRecord(seq: 2, requestID: "b", voter: "sam", approve: false, timeMs: Self.ms(3)),
                VoteRecord(seq: 3, requestID: "c", voter: "bob", approve: true, timeMs: Self.ms(4)),
            ],
            attempts: [AttemptRecord(seq: 4, requestID: "b", kind: .vote, actor: "eve", code: "not-eligible", timeMs: Self.ms(2))],
            executions: [ExecutionRecord(seq: 5, requestID: "c", approved: true, succeeded: false, timeMs: Self.ms(6))])
        let prod = ApprovalMetrics(facts: facts, query: MetricsQuery(now: Self.at(10), environment: "prod"))
        #expect(prod.approvalLatency.count == 2)
        #expect(prod.approvers.map(\.approver) == ["bob"])
        #expect(prod.rejectedAttemptsTotal == 0)
        #expect(prod.failuresAfterApproval == ApprovalMetrics.Ratio(1, of: 1))
        let deploys = ApprovalMetrics(facts: facts, query: MetricsQuery(now: Self.at(10), action: "deploy.*"))
        #expect(deploys.approvalLatencyByGroup.map { "\($0.environment)/\($0.action)" } == ["dev/deploy.promote", "prod/deploy.promote"])
        #expect(deploys.approvers.map { "\($0.approver) \($0.approvals)/\($0.denials)" } == ["bob 1/0", "sam 0/1", "eve 0/0"])
        #expect(deploys.rejectedAttempts.map { "\($0.kind ?? "") \($0.reason) \($0.count)" } == ["vote not-eligible 1"])
        #expect(deploys.failuresAfterApproval.denominator == 0)
    }

    @Test("Audit completeness: missing fields, past the deadline, overdue review, broken chain")
    func auditCompleteness() {
        var bypass = Self.request("d", opened: 0, deadline: 60, resolved: 0, outcome: .bypassed, by: .breakGlass, lastSeq: 9)
        bypass.reviewDeadlineMs = Self.ms(30)
        let facts = MetricsFacts(requests: [
            Self.request("a", opened: 0, resolved: 5, outcome: .granted, by: .people, lastSeq: 3),
            Self.request("b", opened: 0, deadline: 20, lastSeq: 4),
            Self.request("c", opened: 0, resolved: 5, outcome: .cancelled, by: .requester, missing: ["links", "summary"], lastSeq: 5),
            bypass,
        ])
        let early = ApprovalMetrics(facts: facts, query: MetricsQuery(now: Self.at(10)))
        #expect(early.auditCompleteness == ApprovalMetrics.Ratio(3, of: 4))
        let late = ApprovalMetrics(facts: facts, query: MetricsQuery(now: Self.at(40), chain: .invalid(fromSeq: 5)))
        #expect(late.auditCompleteness == ApprovalMetrics.Ratio(1, of: 4))
        #expect(late.incompleteReasons.map { "\($0.reason) \($0.count)" } == [
            "chain-invalid 2", "missing:links 1", "missing:summary 1", "past-deadline 1", "review-overdue 1",
        ])
        let valid = ApprovalMetrics(facts: facts, query: MetricsQuery(now: Self.at(40), chain: .valid))
        #expect(valid.auditCompleteness == ApprovalMetrics.Ratio(1, of: 4))
    }

    @Test("Traffic buckets are UTC hours and days; last hour and day end at now")
    func traffic() {
        let facts = MetricsFacts(requests: [0, 59, 60, 61, 24 * 60 + 5].map { Self.request("r\($0)", opened: $0, deadline: $0 + 60) })
        let metrics = ApprovalMetrics(facts: facts, query: MetricsQuery(now: Self.at(24 * 60 + 30)))
        #expect(metrics.requestsPerHour.map(\.count) == [2, 2, 1])
        #expect(metrics.requestsPerHour.first?.startMs == Self.ms(0))
        #expect(metrics.requestsPerDay.map(\.count) == [4, 1])
        #expect(metrics.requestsPerDay.first.map { Timestamp(millisecondsSinceEpoch: $0.startMs).description } == "2026-11-02T00:00:00.000Z")
        #expect(metrics.requestsLastHour == 1)
        #expect(metrics.requestsLastDay == 4)
    }
}
