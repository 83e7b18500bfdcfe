import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// A scripted day of approvals on a real ledger, on a clock set by hand, with every SLI of
/// docs/METRICS.md computed by hand below and asserted exactly.
///
/// Minutes after 09:00 on 2026-11-02 (policy: prod needs one SRE within 1h, escalating to the
/// leads after 20m; dev needs one SRE within 2h, else denied; low risk is granted at once;
/// cache purges may break glass, reviewed by a lead within 2h):
///
/// | Request | Opened | What happens |
/// | --- | --- | --- |
/// | R1 prod deploy.promote  | 0  | bob approves at 10; executed OK at 15 |
/// | R2 prod deploy.promote  | 2  | alice's self-approval refused at 3; escalated by tick at 22; lee approves at 32; execution fails at 35, rolled back at 40, recovered at 55 |
/// | R3 prod firewall.open   | 5  | sam denies at 9 |
/// | R4 dev config.update    | 6  | low risk: granted at once; executed OK at 8 |
/// | R5 dev deploy.promote   | 7  | nobody votes; tick at 130 denies it (deadline 127) |
/// | R6 prod deploy.promote  | 20 | escalated by tick at 45; tick at 130 expires it (deadline 80) |
/// | R7 prod cache.purge     | 50 | bob breaks glass; review due at 170, never closed |
/// | R8 prod deploy.promote  | 60 | bob approves at 61; executed OK at 62; a second run refused at 63 (grant-used); rolled back at 70; recovered at 100 |
/// | R9 prod deploy.promote  | 65 | no context link; alice cancels at 66 |
/// | R10 prod deploy.promote | 90 | deploy-bot's vote refused at 91 (not-eligible); escalated by tick at 130; still pending |
@Suite("Metrics: a scripted scenario with every SLI computed by hand")
struct MetricsScenarioTests {
    static let policy = """
        version: 1
        name: slis
        groups: {sre: [bob, sam], leads: [lee]}
        risk:
          factors:
            environment: {weight: 50, values: {prod: 1, dev: 0}}
            blast_radius: {weight: 50, max: 100}
        rules:
          - name: auto
            match: {risk: {max: 9}}
            auto_approve_below: 10
          - name: purge
            match: {action: cache.purge}
            require: {groups: {sre: 1}}
            ttl: 1h
            break_glass: {review_within: 2h, reviewers: [leads]}
          - name: prod
            match: {environment: prod}
            require: {groups: {sre: 1}}
            ttl: 1h
            escalation:
              - {after: 20m, notify: [leads], add_groups: [leads]}
          - name: dev
            match: {environment: dev}
            require: {groups: {sre: 1}}
            ttl: 2h
            on_timeout: deny
        """
    static let t0 = Timestamp("2026-11-02T09:00:00.000Z")!
    static func at(_ minutes: Int64) -> Timestamp { t0.adding(milliseconds: minutes * 60_000) }
    static let minute: Int64 = 60_000

    /// The scenario's ledger, built once per test.
    struct Scenario {
        let directory: TemporaryDirectory
        let ledger: Ledger
        let approvals: Approvals
    }

    static func play() async throws -> Scenario {
        let directory = try TemporaryDirectory()
        let clock = ManualClock(t0.adding(milliseconds: -60 * minute))
        var configuration = LedgerConfiguration()
        configuration.clock = { clock.now }
        let root = Signer(identity: "root", key: try Ed25519PrivateKey())
        let ledger = try await Ledger.create(at: directory.file("slis.ledger"), root: root, configuration: configuration)
        var people: [String: Signer] = ["root": root]
        for (identity, capabilities) in [
            ("alice", [Capability.request]), ("carol", [.request]), ("bob", [.request, .approve]), ("sam", [.approve]),
            ("lee", [.approve]), ("deploy-bot", [.execute]),
        ] {
            let signer = Signer(identity: identity, key: try Ed25519PrivateKey())
            try await ledger.registerKey(signer.key.publicKey, identity: identity, capabilities: capabilities, signer: root)
            people[identity] = signer
        }
        let approvals = Approvals(ledger: ledger)
        try await approvals.publish(try Policy(yaml: policy), signer: root)
        let scenario = Scenario(directory: directory, ledger: ledger, approvals: approvals)

        func open(_ name: String, _ minutes: Int64, by who: String, _ action: String, env: String = "prod", blast: Int = 40, links: [String] = ["https://ci.example/1"]) async throws {
            clock.now = at(minutes)
            let id = "req-\(name.lowercased())"
            _ = try await approvals.open(
                OpenRequest(requestID: id, action: action, resource: "svc/\(name)", environment: env, summary: "\(name) change", links: links,
                            riskInputs: ["blast_radius": String(blast)]),
                signer: people[who]!)
        }
        func step(_ minutes: Int64, _ body: () async throws -> Void) async throws {
            clock.now = at(minutes)
            try await body()
        }
        func refused(_ minutes: Int64, _ code: String, _ body: () async throws -> Void) async throws {
            clock.now = at(minutes)
            let error = await #expect(throws: ApprovalError.self) { try await body() }
            #expect(error?.code == code)
        }
        let bot = people["deploy-bot"]!

        try await open("R1", 0, by: "alice", "deploy.promote")
        try await open("R2", 2, by: "alice", "deploy.promote")
        try await refused(3, "self-approval") { _ = try await approvals.approve("req-r2", reason: "mine", signer: people["alice"]!) }
        try await open("R3", 5, by: "carol", "firewall.open")
        try await open("R4", 6, by: "carol", "config.update", env: "dev", blast: 10)
        try await open("R5", 7, by: "alice", "deploy.promote", env: "dev")
        try await step(8) { _ = try await approvals.execute("req-r4", succeeded: true, signer: bot) }
        try await step(9) { _ = try await approvals.deny("req-r3", reason: "not on a Friday", signer: people["sam"]!) }
        try await step(10) { _ = try await approvals.approve("req-r1", reason: "ok", signer: people["bob"]!) }
        try await step(15) { _ = try await approvals.execute("req-r1", succeeded: true, signer: bot) }
        try await open("R6", 20, by: "alice", "deploy.promote")
        try await step(22) {
            let ticked = try await approvals.tick(signer: root)
            #expect(ticked.count == 1)
        }
        try await step(32) { _ = try await approvals.approve("req-r2", reason: "paged in", signer: people["lee"]!) }
        try await step(35) { _ = try await approvals.execute("req-r2", succeeded: false, signer: bot) }
        try await step(40) { _ = try await approvals.rollback("req-r2", reason: "5xx", signer: bot) }
        try await step(45) {
            let ticked = try await approvals.tick(signer: root)
            #expect(ticked.count == 1)
        }
        try await step(50) {
            _ = try await approvals.bypass(
                OpenRequest(requestID: "req-r7", action: "cache.purge", resource: "cdn/eu", environment: "prod", summary: "purge", links: ["https://inc/7"],
                            riskInputs: ["blast_radius": "50"]),
                reason: "INC-7", signer: people["bob"]!)
        }
        try await step(55) { _ = try await approvals.recover("req-r2", detail: "5xx gone", signer: bot) }
        try await open("R8", 60, by: "carol", "deploy.promote")
        try await step(61) { _ = try await approvals.approve("req-r8", reason: "ok", signer: people["bob"]!) }
        try await step(62) { _ = try await approvals.execute("req-r8", succeeded: true, signer: bot) }
        try await refused(63, "grant-used") { _ = try await approvals.execute("req-r8", succeeded: true, signer: bot) }
        try await open("R9", 65, by: "alice", "deploy.promote", links: [])
        try await step(66) { _ = try await approvals.cancel("req-r9", reason: "wrong build", signer: people["alice"]!) }
        try await step(70) { _ = try await approvals.rollback("req-r8", reason: "latency", signer: bot) }
        try await open("R10", 90, by: "carol", "deploy.promote")
        try await refused(91, "not-eligible") { _ = try await approvals.approve("req-r10", reason: "lgtm", signer: bot) }
        try await step(100) { _ = try await approvals.recover("req-r8", detail: "latency back", signer: bot) }
        try await step(130) {
            let ticked = try await approvals.tick(signer: root)
            #expect(ticked.count == 3)
        }
        return scenario
    }

    static func seconds(_ minutes: Int64) -> Int64 { minutes * minute }

    @Test("At 12:00, all time: M1–M10, approver load and queue depth")
    func endOfScenario() async throws {
        let scenario = try await Self.play()
        let m = try await scenario.approvals.metrics(MetricsQuery(now: Self.at(180)))

        // M1: decided by people: R3 4m, R8 1m, R1 10m, R2 30m.
        #expect(m.approvalLatency.count == 4)
        #expect(m.approvalLatency.sumMs == Self.seconds(45))
        #expect(m.approvalLatency.meanMs == 675_000)
        #expect(m.approvalLatency.minMs == Self.seconds(1))
        #expect(m.approvalLatency.p50Ms == Self.seconds(4))      // rank ⌈0.5·4⌉ = 2
        #expect(m.approvalLatency.p90Ms == Self.seconds(30))     // rank 4
        #expect(m.approvalLatency.p99Ms == Self.seconds(30))
        #expect(m.approvalLatency.maxMs == Self.seconds(30))
        #expect(m.approvalLatencyByGroup.map { "\($0.environment)/\($0.action)" } == ["prod/deploy.promote", "prod/firewall.open"])
        let deploys = m.approvalLatencyByGroup[0].latency
        #expect(deploys.count == 3 && deploys.sumMs == Self.seconds(41))
        #expect(deploys.p50Ms == Self.seconds(10) && deploys.p90Ms == Self.seconds(30) && deploys.p99Ms == Self.seconds(30))
        #expect(deploys.meanMs == Double(Self.seconds(41)) / 3)
        #expect(deploys.buckets == [1, 1, 2, 3, 3, 3, 3, 3, 3])
        let firewall = m.approvalLatencyByGroup[1].latency
        #expect(firewall.count == 1 && firewall.p50Ms == Self.seconds(4) && firewall.p99Ms == Self.seconds(4))

        // M2: granted R1, R2, R8 (people), R4 (policy); denied R3 (people), R5 (timeout).
        #expect(m.approvalRate == ApprovalMetrics.Ratio(4, of: 6))
        #expect(m.decisionsByDecider.map { "\($0.decidedBy.rawValue) \($0.granted)/\($0.denied)" } == ["people 3/1", "policy 1/0", "timeout 0/1"])

        // M3: R10 pending since 90, deadline 150: stalled 30m. Queue: R10 alone, 90m old.
        #expect(m.stalled.map(\.requestID) == ["req-r10"])
        #expect(m.stalled.first?.overdueMs == Self.seconds(30))
        #expect(m.stalled.first?.deadlineMs == Self.at(150).millisecondsSinceEpoch)
        #expect(m.pendingDepth == 1)
        #expect(m.oldestPendingAgeMs == Self.seconds(90))

        // M4: resolved after waiting: R1, R2, R3, R8 (people), R5, R6 (timeout), R9 (requester);
        // escalated before resolution: R2, R6.
        #expect(m.escalationRate == ApprovalMetrics.Ratio(2, of: 7))

        // M5: approved executions R4, R1, R2 (failed), R8; the refused second run is not one.
        #expect(m.failuresAfterApproval == ApprovalMetrics.Ratio(1, of: 4))

        // M6: one each.
        #expect(m.rejectedAttemptsTotal == 3)
        #expect(m.rejectedAttempts.map { "\($0.kind ?? "")/\($0.reason) \($0.count)" } == [
            "execution/grant-used 1", "vote/not-eligible 1", "vote/self-approval 1",
        ])

        // M7: approved requests executed: R4, R1, R2, R8; rolled back: R2, R8.
        #expect(m.rollbacksAfterApproval == ApprovalMetrics.Ratio(2, of: 4))

        // M8: ten requests, seven opened in the 09:00 hour and three in the 10:00 hour.
        #expect(m.requestsOpened == 10)
        #expect(m.requestsPerHour.map(\.count) == [7, 3])
        #expect(m.requestsPerHour.map(\.startMs) == [Self.at(0), Self.at(60)].map(\.millisecondsSinceEpoch))
        #expect(m.requestsPerDay.map(\.count) == [10])
        #expect(m.requestsLastHour == 0)
        #expect(m.requestsLastDay == 10)

        // M9: R2 failed at 35, recovered at 55 (20m); R8 rolled back at 70, recovered at 100 (30m).
        #expect(m.timeToRecover.count == 2)
        #expect(m.timeToRecover.sumMs == Self.seconds(50))
        #expect(m.timeToRecover.meanMs == Double(Self.seconds(25)))
        #expect(m.timeToRecover.p50Ms == Self.seconds(20))
        #expect(m.timeToRecover.p90Ms == Self.seconds(30))
        #expect(m.timeToRecover.p99Ms == Self.seconds(30))
        #expect(m.unrecovered == 0 && m.oldestUnrecoveredAgeMs == nil)

        // M10: R9 lacks a link, R10 is past its deadline, R7's review was due at 170.
        #expect(m.auditCompleteness == ApprovalMetrics.Ratio(7, of: 10))
        #expect(m.incompleteReasons.map { "\($0.reason) \($0.count)" } == ["missing:links 1", "past-deadline 1", "review-overdue 1"])

        // Approver load: bob R1 and R8, lee R2, sam denied R3; refused attempts by alice and deploy-bot.
        #expect(m.approvers.map { "\($0.approver) \($0.approvals)/\($0.denials)/\($0.rejectedAttempts)" } == [
            "bob 2/0/0", "lee 1/0/0", "sam 0/1/0", "alice 0/0/1", "deploy-bot 0/0/1",
        ])

        // Verifying the chain finds nothing, so M10 is unchanged but says it checked.
        let verified = try await scenario.approvals.metrics(MetricsQuery(now: Self.at(180)), verifyChain: true)
        #expect(verified.query.chain == .valid)
        #expect(verified.auditCompleteness == m.auditCompleteness)
    }

    @Test("As of 11:05, before the last tick: R5 and R6 still pending, R6 stalled 45m, R7's review not yet due")
    func asOfEarlier() async throws {
        let scenario = try await Self.play()
        let m = try await scenario.approvals.metrics(MetricsQuery(now: Self.at(125)))
        #expect(m.stalled.map(\.requestID) == ["req-r6"])
        #expect(m.stalled.first?.overdueMs == Self.seconds(45))
        #expect(m.pendingDepth == 3)
        #expect(m.oldestPendingAgeMs == Self.seconds(118))
        #expect(m.approvalRate == ApprovalMetrics.Ratio(4, of: 5))
        #expect(m.escalationRate == ApprovalMetrics.Ratio(1, of: 5))
        #expect(m.auditCompleteness == ApprovalMetrics.Ratio(8, of: 10))
        #expect(m.incompleteReasons.map { "\($0.reason) \($0.count)" } == ["missing:links 1", "past-deadline 1"])
        #expect(m.requestsLastHour == 1)
        #expect(m.approvalLatency.count == 4)
    }

    @Test("A window from 09:30 to 10:30, and filters by environment and action")
    func windowAndFilters() async throws {
        let scenario = try await Self.play()
        let window = try await scenario.approvals.metrics(MetricsQuery(now: Self.at(180), since: Self.at(30), until: Self.at(90)))
        // Decided by people in [30, 90): R2 at 32 (30m), R8 at 61 (1m).
        #expect(window.approvalLatency.count == 2)
        #expect(window.approvalLatency.p50Ms == Self.seconds(1) && window.approvalLatency.p99Ms == Self.seconds(30))
        // Opened in [30, 90): R7, R8, R9 (R10 at 90 is outside).
        #expect(window.requestsOpened == 3)
        #expect(window.rejectedAttempts.map(\.reason) == ["grant-used"])
        #expect(window.failuresAfterApproval == ApprovalMetrics.Ratio(1, of: 2))
        #expect(window.timeToRecover.count == 1 && window.timeToRecover.p50Ms == Self.seconds(20))
        #expect(window.auditCompleteness == ApprovalMetrics.Ratio(1, of: 3))

        let dev = try await scenario.approvals.metrics(MetricsQuery(now: Self.at(180), environment: "dev"))
        #expect(dev.approvalRate == ApprovalMetrics.Ratio(1, of: 2))
        #expect(dev.decisionsByDecider.map(\.decidedBy) == [.policy, .timeout])
        #expect(dev.approvalLatency.count == 0 && dev.approvalLatency.p50Ms == nil)
        #expect(dev.failuresAfterApproval == ApprovalMetrics.Ratio(0, of: 1))
        #expect(dev.approvers.isEmpty)

        let deploys = try await scenario.approvals.metrics(MetricsQuery(now: Self.at(180), action: "deploy.*"))
        #expect(deploys.requestsOpened == 7)
        #expect(deploys.approvalLatencyByGroup.map(\.action) == ["deploy.promote"])
        #expect(deploys.rejectedAttemptsTotal == 3)
    }

    @Test("JSON and Prometheus forms carry the same figures")
    func renderings() async throws {
        let scenario = try await Self.play()
        let m = try await scenario.approvals.metrics(MetricsQuery(now: Self.at(180)))
        let json = m.jsonValue
        #expect(json["approvalLatency"]?["all"]?["p50Ms"] == .integer(Self.seconds(4)))
        #expect(json["approvalRate"]?["numerator"] == 4 && json["approvalRate"]?["denominator"] == 6)
        #expect(json["stalled"]?["requests"]?.arrayValue?.first?["requestId"] == "req-r10")
        #expect(json["auditCompleteness"]?["value"] == .number(0.7))
        #expect(json["auditCompleteness"]?["chainChecked"] == false)
        #expect(json["traffic"]?["perHour"]?.arrayValue?.first?["start"] == "2026-11-02T09:00:00.000Z")

        let text = m.prometheusText
        for line in [
            "ledger_approval_latency_seconds_bucket{environment=\"prod\",action=\"deploy.promote\",le=\"300\"} 1",
            "ledger_approval_latency_seconds_bucket{environment=\"prod\",action=\"deploy.promote\",le=\"+Inf\"} 3",
            "ledger_approval_latency_seconds_sum{environment=\"prod\",action=\"deploy.promote\"} 2460",
            "ledger_approval_latency_seconds_count{environment=\"prod\",action=\"deploy.promote\"} 3",
            "ledger_approval_latency_overall_seconds{quantile=\"0.5\"} 240",
            "ledger_decisions_total{decided_by=\"people\",outcome=\"granted\"} 3",
            "ledger_approval_rate 0.6666666666666666",
            "ledger_requests_stalled 1",
            "ledger_requests_pending_oldest_age_seconds 5400",
            "ledger_escalation_rate 0.2857142857142857",
            "ledger_approved_executions_total{outcome=\"failed\"} 1",
            "ledger_rejected_attempts_total{kind=\"vote\",reason=\"self-approval\"} 1",
            "ledger_rollback_after_approval_rate 0.5",
            "ledger_requests_opened_total 10",
            "ledger_time_to_recover_seconds_sum 3000",
            "ledger_audit_completeness_ratio 0.7",
            "ledger_approver_votes_total{approver=\"bob\",decision=\"approve\"} 2",
        ] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
    }

    @Test("Counted as the rows are read, the figures equal those computed from every row held at once")
    func streamedEqualsFacts() async throws {
        let scenario = try await Self.play()
        let queries = [
            MetricsQuery(now: Self.at(180)), MetricsQuery(now: Self.at(125)), MetricsQuery(now: Self.at(40)),
            MetricsQuery(now: Self.at(180), since: Self.at(30), until: Self.at(90)),
            MetricsQuery(now: Self.at(180), environment: "dev"), MetricsQuery(now: Self.at(180), environment: "prod", action: "deploy.promote"),
            MetricsQuery(now: Self.at(180), action: "deploy.*"), MetricsQuery(now: Self.at(180), action: "*.open"),
            MetricsQuery(now: Self.at(180), since: Self.at(60), environment: "prod", chain: .invalid(fromSeq: 20)),
        ]
        for query in queries {
            let streamed = try await scenario.ledger.metrics(for: query)
            let held = ApprovalMetrics(facts: try await scenario.ledger.metricsFacts(for: query), query: query)
            #expect(streamed == held, "\(query)")
            // Every query selects some requests: the equality is not that of two empty results.
            #expect(held.requestsOpened > 0, "\(query)")
        }
    }
}
