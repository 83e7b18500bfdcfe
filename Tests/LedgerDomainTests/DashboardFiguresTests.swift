@testable import LedgerDomain
import LedgerFormat
import Testing

/// The dashboards' figures on hand-made projection rows: no ledger, no I/O.
@Suite("DashboardFigures: weeks, break-glass, the pending queue, refusals, group queues, channels")
struct DashboardFiguresTests {
    /// A Wednesday; its week starts Monday 2026-11-30.
    static let now = Timestamp("2026-12-02T12:00:00.000Z")!
    static let hour: Int64 = 3_600_000
    static func ago(hours: Int64) -> Int64 { now.millisecondsSinceEpoch - hours * hour }

    static func request(
        _ id: String, env: String = "prod", opened: Int64, deadline: Int64? = nil, resolved: Int64? = nil, outcome: RequestState.Status? = nil,
        by decider: RequestTimings.DecidedBy? = nil, escalations: Int = 0, escalated: Int64? = nil, rolledBack: Int64? = nil,
        reviewDeadline: Int64? = nil, reviewClosed: Int64? = nil
    ) -> RequestTimings {
        RequestTimings(
            requestID: id, environment: env, action: "deploy", openedMs: opened, deadlineMs: deadline ?? opened + 2 * hour, resolvedMs: resolved,
            outcome: outcome, decidedBy: decider, escalations: escalations, firstEscalatedMs: escalated, rolledBackMs: rolledBack,
            reviewDeadlineMs: reviewDeadline, reviewClosedMs: reviewClosed, lastSeq: 1)
    }

    @Test("Weeks start on Monday 00:00 UTC, before and after the epoch")
    func weekStart() {
        #expect(Timestamp(millisecondsSinceEpoch: DashboardFigures.weekStart(Self.now.millisecondsSinceEpoch)).description == "2026-11-30T00:00:00.000Z")
        let monday = Timestamp("2026-11-30T00:00:00.000Z")!.millisecondsSinceEpoch
        #expect(DashboardFigures.weekStart(monday) == monday)
        #expect(DashboardFigures.weekStart(monday - 1) == monday - DashboardFigures.weekMs)
        #expect(Timestamp(millisecondsSinceEpoch: DashboardFigures.weekStart(-1)).description == "1969-12-29T00:00:00.000Z")
    }

    @Test("Latency by environment and week counts decisions by people only; outcomes fall in their own week")
    func weeklyLatencyAndOutcomes() {
        let lastWeek = Self.ago(hours: 7 * 24)
        let facts = MetricsFacts(
            requests: [
                Self.request("a", opened: lastWeek, resolved: lastWeek + 10 * 60_000, outcome: .granted, by: .people, rolledBack: Self.ago(hours: 1)),
                Self.request("b", opened: lastWeek, resolved: lastWeek + 30 * 60_000, outcome: .denied, by: .people),
                Self.request("c", opened: Self.ago(hours: 2), resolved: Self.ago(hours: 2), outcome: .granted, by: .policy),
                Self.request("d", env: "dev", opened: Self.ago(hours: 3), resolved: Self.ago(hours: 2), outcome: .granted, by: .people),
                // Long ago: outside the eight weeks shown.
                Self.request("e", opened: Self.ago(hours: 24 * 70), resolved: Self.ago(hours: 24 * 70 - 1), outcome: .granted, by: .people),
            ],
            executions: [
                ExecutionRecord(seq: 9, requestID: "a", approved: true, succeeded: false, timeMs: Self.ago(hours: 2)),
                ExecutionRecord(seq: 10, requestID: "a", approved: true, succeeded: true, timeMs: Self.ago(hours: 1)),
                ExecutionRecord(seq: 11, requestID: "x", approved: false, succeeded: false, timeMs: Self.ago(hours: 1)),
            ])
        let figures = DashboardFigures(facts: facts, now: Self.now)
        #expect(figures.weekStartsMs.count == 8)
        #expect(figures.weekStartsMs.last == DashboardFigures.weekStart(Self.now.millisecondsSinceEpoch))
        #expect(figures.weeklyLatency.map(\.environment) == ["dev", "prod"])
        let prod = figures.weeklyLatency[1]
        #expect(prod.weekStartMs == figures.weekStartsMs[6])
        #expect(prod.latency.count == 2 && prod.latency.p50Ms == 10 * 60_000 && prod.latency.p90Ms == 30 * 60_000)
        #expect(figures.weeklyLatency[0].latency.p50Ms == Self.hour)
        let thisWeek = figures.weeklyOutcomes[7], previous = figures.weeklyOutcomes[6]
        #expect(previous.granted == 1 && previous.denied == 1 && previous.rollbacks == 0)
        // c and d granted this week; a's rollback and its two approved executions (one failed)
        // are this week too; the unapproved execution does not count.
        #expect(thisWeek.granted == 2 && thisWeek.rollbacks == 1 && thisWeek.executions == 2 && thisWeek.failures == 1)
    }

    @Test("Break-glass: bypasses, open reviews, overdue ones and by how much")
    func breakGlass() {
        let facts = MetricsFacts(requests: [
            Self.request("closed", opened: Self.ago(hours: 50), resolved: Self.ago(hours: 50), outcome: .bypassed, by: .breakGlass,
                         reviewDeadline: Self.ago(hours: 26), reviewClosed: Self.ago(hours: 40)),
            Self.request("overdue", opened: Self.ago(hours: 30), resolved: Self.ago(hours: 30), outcome: .bypassed, by: .breakGlass, reviewDeadline: Self.ago(hours: 6)),
            Self.request("open", opened: Self.ago(hours: 2), resolved: Self.ago(hours: 2), outcome: .bypassed, by: .breakGlass, reviewDeadline: Self.ago(hours: -22)),
            // Closed after now: still open as of now.
            Self.request("later", opened: Self.ago(hours: 3), resolved: Self.ago(hours: 3), outcome: .bypassed, by: .breakGlass,
                         reviewDeadline: Self.ago(hours: -21), reviewClosed: Self.ago(hours: -1)),
        ])
        let glass = DashboardFigures(facts: facts, now: Self.now).breakGlass
        #expect(glass.bypasses == 4 && glass.openReviews == 3 && glass.overdueReviews == 1 && glass.maxOverdueMs == 6 * Self.hour)
    }

    @Test("The pending queue: soonest deadline first, stalled ones negative, by environment; recent escalations")
    func pendingAndEscalations() {
        let facts = MetricsFacts(requests: [
            Self.request("late", opened: Self.ago(hours: 5), deadline: Self.ago(hours: 1), escalations: 2, escalated: Self.ago(hours: 4)),
            Self.request("soon", env: "dev", opened: Self.ago(hours: 1), deadline: Self.ago(hours: -1)),
            Self.request("done", opened: Self.ago(hours: 3), resolved: Self.ago(hours: 1), outcome: .granted, by: .people, escalations: 1, escalated: Self.ago(hours: 2)),
            Self.request("old-escalation", opened: Self.ago(hours: 30), resolved: Self.ago(hours: 20), outcome: .expired, by: .timeout, escalations: 1, escalated: Self.ago(hours: 25)),
            Self.request("future", opened: Self.ago(hours: -1)),
        ])
        let figures = DashboardFigures(facts: facts, now: Self.now, recentHours: 6)
        #expect(figures.pending.map(\.requestID) == ["late", "soon"])
        #expect(figures.pending[0].isStalled && figures.pending[0].timeLeftMs == -Self.hour)
        #expect(!figures.pending[1].isStalled && figures.pending[1].timeLeftMs == Self.hour)
        #expect(figures.pendingByEnvironment == [.init(name: "dev", count: 1), .init(name: "prod", count: 1)])
        #expect(figures.oldestPending?.requestID == "late")
        #expect(figures.escalatedRecently.map(\.requestID) == ["done", "late"])
        #expect(figures.escalatedRecently[0].outcome == .granted && figures.escalatedRecently[1].outcome == nil)
        #expect(figures.escalations == 4)
    }

    @Test("Refusals by the identity that signed them, reasons most frequent first")
    func refusals() {
        let attempt = { (actor: String, code: String, hours: Int64) in
            AttemptRecord(seq: 1, requestID: "r", kind: .vote, actor: actor, code: code, timeMs: Self.ago(hours: hours))
        }
        let facts = MetricsFacts(attempts: [
            attempt("mallory", "not-eligible", 1), attempt("mallory", "not-eligible", 2), attempt("mallory", "self-approval", 1),
            attempt("alice", "self-approval", 1), attempt("alice", "expired", -1),
        ])
        let refusals = DashboardFigures(facts: facts, now: Self.now).refusalsByIdentity
        #expect(refusals.map(\.identity) == ["mallory", "alice"])
        #expect(refusals[0].total == 3 && refusals[0].reasons.map(\.name) == ["not-eligible", "self-approval"])
        #expect(refusals[1].total == 1)
    }

    @Test("Group queues: every group still owed an approval, with the requests and the soonest deadline")
    func groupQueues() {
        func needs(_ groups: [(String, Int, [String])], deadline: String) -> ApprovalNeeds {
            ApprovalNeeds(
                rule: "r", groups: groups.map { ApprovalNeeds.Group(name: $0.0, required: $0.1, approvedBy: $0.2) },
                requiredTotal: groups.reduce(0) { $0 + $1.1 }, approvals: 0, eligibleGroups: groups.map(\.0), deadline: Timestamp(deadline)!)
        }
        let queues = GroupQueue.queues([
            ("m1", needs([("dba", 1, []), ("sre", 1, ["bob"])], deadline: "2026-12-02T14:00:00.000Z")),
            ("m2", needs([("sre", 2, [])], deadline: "2026-12-02T13:00:00.000Z")),
        ])
        #expect(queues.map(\.group) == ["dba", "sre"])
        #expect(queues[0].requestIDs == ["m1"] && queues[0].missingApprovals == 1)
        #expect(queues[1].requestIDs == ["m2"] && queues[1].missingApprovals == 2 && queues[1].soonestDeadline == Timestamp("2026-12-02T13:00:00.000Z"))
    }

    @Test("Vote channels: own key, signed command, or the relay channel before its colon")
    func voteChannels() throws {
        #expect(VoteChannel.of(nil) == "own-key")
        #expect(VoteChannel.of(.relayed(via: "token:ci-deployer")) == "token")
        #expect(VoteChannel.of(.relayed(via: "slack:T1/U2")) == "slack")
        #expect(VoteChannel.of(.relayed(via: ":odd")) == "relay")
        #expect(VoteChannel.isOwnKey("signed-command") && VoteChannel.isOwnKey("own-key") && !VoteChannel.isOwnKey("token"))
    }
}
