import LedgerDomain
import LedgerFormat
import Testing

/// Table-driven tests of the approval rules, pure: no ledger, no clock, no I/O.
@Suite("Decider: policy evaluation")
struct DeciderTests {
    static let yaml = """
        version: 1
        name: test
        groups:
          sre: [alice, bob, sam]
          dba: [carol, dan]
          finance: [dave]
          leads: [frank]
          security: [grace]
        risk:
          factors:
            environment: {weight: 50, values: {prod: 1, dev: 0}}
            blast_radius: {weight: 50, max: 100, default: 1}
        rules:
          - name: auto
            match: {risk: {max: 9}}
            auto_approve_below: 10
          - name: deny-huge
            match: {action: nuke, risk: {min: 95}}
            require: {groups: {sre: 1}}
            auto_deny_above: 94
          - name: migration
            match: {action: db.migrate, environment: prod, resource: "db/*"}
            require: {groups: {dba: 1, sre: 1}}
            reason_required: {approve: true, deny: true}
            ttl: 4h
            grant: {ttl: 1h, one_shot: true}
          - name: two-sre
            match: {action: deploy, environment: prod}
            require: {groups: {sre: 2}, total: 3}
            deny_veto: 2
            ttl: 2h
            on_timeout: deny
            escalation:
              - {after: 30m, notify: [leads], add_groups: [leads]}
              - {after: 1h, notify: [security]}
          - name: lenient
            match: {action: restart}
            require: {groups: {sre: 1}}
            allow_self_approval: true
            distinct_approvers: false
            grant: {ttl: 1h, one_shot: false}
          - name: glass
            match: {action: purge}
            require: {groups: {sre: 1}}
            break_glass: {review_within: 1d, reviewers: [leads]}
        """

    static let published = PublishedPolicy(policy: try! Policy(yaml: yaml), version: 5, hash: "h")
    static let t0 = Timestamp("2026-11-02T10:00:00.000Z")!
    static let digest = String(repeating: "ab", count: 32)

    /// Runs commands in order from `opened`, folding the events each returns, like the store.
    struct Run {
        var events: [RequestEvent] = []
        var rejected: [String] = []
        var state: RequestState? { RequestState.fold(events) }

        @discardableResult
        mutating func apply(_ command: ApprovalCommand, by actor: String, at minutes: Int64 = 0) -> Decision {
            let now = DeciderTests.t0.adding(milliseconds: minutes * 60_000)
            let decision = Decider.decide(state: state, command: command, actor: actor, policy: DeciderTests.published, now: now)
            for event in decision.events {
                events.append(RequestEvent(
                    seq: Int64(events.count + 10), streamVersion: Int64(events.count + 1), time: now, actor: actor,
                    type: event.type, payload: event.payload))
            }
            if let refusal = decision.refusal { rejected.append(refusal.code) }
            return decision
        }

        static func opened(action: String, resource: String = "svc/x", env: String = "prod", risk: [String: String] = ["blast_radius": "50"], digest: String? = nil, by: String = "alice") -> Run {
            var run = Run()
            run.apply(.open(OpenRequest(requestID: "req-1", action: action, resource: resource, environment: env, summary: "s", changeDigest: digest, riskInputs: risk)), by: by)
            return run
        }
    }

    static func vote(_ approve: Bool, _ who: String, reason: String = "because", version: Int64? = nil) -> ApprovalCommand {
        .vote(VoteCommand(approve: approve, reason: reason, claimedIdentity: who, requestVersion: version))
    }

    @Test("Rules match on action, environment, resource glob and risk; first match governs; no match refuses")
    func ruleMatching() {
        let cases: [(String, String, String, [String: String], String?)] = [
            ("db.migrate", "db/orders", "prod", ["blast_radius": "50"], "migration"),
            ("db.migrate", "cache/orders", "prod", ["blast_radius": "50"], nil),
            ("deploy", "svc/x", "prod", ["blast_radius": "50"], "two-sre"),
            ("deploy", "svc/x", "dev", ["blast_radius": "5"], "auto"),
            ("deploy", "svc/x", "dev", ["blast_radius": "50"], nil),
            ("restart", "svc/x", "dev", ["blast_radius": "50"], "lenient"),
        ]
        for (action, resource, env, risk, expected) in cases {
            let run = Run.opened(action: action, resource: resource, env: env, risk: risk)
            #expect(run.state?.ruleName == expected, "\(action) \(resource) \(env)")
            if expected == nil { #expect(run.rejected == ["no-matching-rule"]) }
        }
    }

    @Test("Risk: weighted score, level and each factor's contribution; missing inputs assume the worst")
    func riskScoring() {
        let model = Self.published.policy.risk
        let a = RiskAssessment.assess(model: model, inputs: ["blast_radius": "40"], environment: "prod", time: Self.t0)
        #expect(a.score == 70)
        #expect(a.level == "high")
        #expect(a.contributions.map(\.points) == [20, 50])
        let missing = RiskAssessment.assess(model: model, inputs: [:], environment: "dev", time: Self.t0)
        #expect(missing.score == 50)
        #expect(missing.contributions[0].input == "(not supplied)")
        #expect(a.explanation == "70 (high): blast_radius=40 +20, environment=prod +50")
    }

    @Test("Off-hours factor uses the request time (UTC business hours, weekdays)")
    func offHours() throws {
        let policy = try Policy(yaml: """
            version: 1
            name: t
            groups: {sre: [a]}
            risk: {factors: {off_hours: {weight: 1, business_hours: "8-18"}}}
            rules: [{name: r, require: {groups: {sre: 1}}}]
            """)
        func score(_ time: String) -> Int { RiskAssessment.assess(model: policy.risk, inputs: [:], environment: "x", time: Timestamp(time)!).score }
        #expect(score("2026-11-02T10:00:00.000Z") == 0)    // Monday 10:00
        #expect(score("2026-11-02T19:00:00.000Z") == 100)  // Monday 19:00
        #expect(score("2026-11-07T10:00:00.000Z") == 100)  // Saturday
    }

    @Test("AND across groups: one DBA and one SRE, distinct people, reasons required")
    func groupsAnded() {
        var run = Run.opened(action: "db.migrate", resource: "db/orders", digest: Self.digest)
        run.apply(Self.vote(true, "carol"), by: "carol")
        #expect(run.state?.status == .pending)
        run.apply(Self.vote(true, "dan"), by: "dan")
        #expect(run.state?.status == .pending, "two DBAs do not make an SRE")
        run.apply(Self.vote(true, "bob", reason: " "), by: "bob")
        #expect(run.rejected == ["reason-required"])
        run.apply(Self.vote(true, "bob"), by: "bob")
        let state = run.state!
        #expect(state.status == .granted)
        #expect(state.decisionExplanation?.contains("dba (carol) and sre (bob)") == true)
        #expect(state.grant?.changeDigest == Self.digest)
        #expect(state.grant?.expiresAt == Self.t0.adding(milliseconds: 3_600_000))
    }

    @Test("Per-group count and total: 2 SRE + 1 more; deny veto of 2")
    func countsAndVeto() {
        var run = Run.opened(action: "deploy")
        run.apply(Self.vote(true, "bob"), by: "bob")
        run.apply(Self.vote(true, "sam"), by: "sam")
        #expect(run.state?.status == .pending, "sre 2/2 but total 2/3")
        run.apply(Self.vote(true, "carol"), by: "carol")
        #expect(run.rejected == ["not-eligible"], "carol is in no eligible group")
        run.apply(Self.vote(false, "bob"), by: "bob")
        #expect(run.rejected == ["not-eligible", "already-voted"])

        var veto = Run.opened(action: "deploy")
        veto.apply(Self.vote(false, "bob"), by: "bob")
        #expect(veto.state?.status == .pending, "one deny of a veto of two")
        veto.apply(Self.vote(false, "sam"), by: "sam")
        #expect(veto.state?.status == .denied)
        #expect(veto.state?.decisionExplanation?.contains("2 of 2 deny veto") == true)
    }

    @Test("Self-approval is refused by default and allowed where the rule says so; repeated votes count when not distinct")
    func selfApprovalAndDistinct() {
        var run = Run.opened(action: "deploy", by: "alice")
        run.apply(Self.vote(true, "alice"), by: "alice")
        #expect(run.rejected == ["self-approval"])
        #expect(run.state?.rejectedAttempts == ["self-approval"])
        var lenient = Run.opened(action: "restart", env: "dev", by: "alice")
        lenient.apply(Self.vote(true, "alice"), by: "alice")
        #expect(lenient.state?.status == .granted)
        #expect(lenient.state?.grant?.oneShot == false)
    }

    @Test("Refused votes: wrong key, resolved, expired, stale version — each recorded as vote.rejected")
    func refusedVotes() {
        var run = Run.opened(action: "deploy")
        let mismatch = run.apply(Self.vote(true, "bob"), by: "sam")
        #expect(mismatch.refusal?.code == "key-identity-mismatch")
        #expect(mismatch.events.map(\.type) == ["vote.rejected"])
        run.apply(Self.vote(true, "bob", version: 99), by: "bob")
        run.apply(Self.vote(true, "bob"), by: "bob", at: 121)
        #expect(run.rejected == ["key-identity-mismatch", "stale-version", "expired"])
        var decided = Run.opened(action: "restart", env: "dev")
        decided.apply(Self.vote(true, "bob"), by: "bob")
        decided.apply(Self.vote(true, "sam"), by: "sam")
        #expect(decided.rejected == ["already-resolved"])
    }

    @Test("Escalation steps are due in order, add groups that then count for every required group; tick is idempotent")
    func escalation() {
        var run = Run.opened(action: "deploy")
        #expect(run.apply(.tick, by: "bot", at: 29).events.isEmpty)
        run.apply(Self.vote(true, "frank"), by: "frank", at: 29)
        #expect(run.rejected == ["not-eligible"])
        #expect(run.apply(.tick, by: "bot", at: 31).events.map(\.type) == ["request.escalated"])
        #expect(run.apply(.tick, by: "bot", at: 32).events.isEmpty, "idempotent")
        #expect(run.state?.addedGroups == ["leads"])
        run.apply(Self.vote(true, "frank"), by: "frank", at: 33)
        run.apply(Self.vote(true, "bob"), by: "bob", at: 34)
        #expect(run.state?.status == .pending, "frank counts as sre: 2/2 sre, total 2/3")
        #expect(run.apply(.tick, by: "bot", at: 61).events.count == 1, "second step")
        run.apply(Self.vote(true, "sam"), by: "sam", at: 62)
        #expect(run.state?.status == .granted)
        #expect(run.state?.escalationsApplied == 2)
    }

    @Test("Timeout: expire or auto-deny, per the rule")
    func timeouts() {
        var expire = Run.opened(action: "db.migrate", resource: "db/x")
        expire.apply(.tick, by: "bot", at: 239)
        #expect(expire.state?.status == .pending)
        expire.apply(.tick, by: "bot", at: 240)
        #expect(expire.state?.status == .expired)
        var deny = Run.opened(action: "deploy")
        deny.apply(.tick, by: "bot", at: 120)
        #expect(deny.state?.status == .denied)
        #expect(deny.state?.automatic == true)
        #expect(deny.apply(.tick, by: "bot", at: 500).events.isEmpty)
    }

    @Test("Auto-approve below and auto-deny above a risk score")
    func automaticDecisions() {
        let low = Run.opened(action: "anything", env: "dev", risk: ["blast_radius": "10"])
        #expect(low.state?.status == .granted)
        #expect(low.state?.automatic == true)
        #expect(low.state?.decisionExplanation == "auto-approved by rule auto: risk 5 is below 10")
        let huge = Run.opened(action: "nuke", risk: ["blast_radius": "100"])
        #expect(huge.state?.status == .denied)
        #expect(huge.state?.decisionExplanation?.contains("risk 100 is above 94") == true)
    }

    @Test("Grants: bound to the digest, time-limited, one-shot; refusals recorded")
    func grants() {
        var run = Run.opened(action: "db.migrate", resource: "db/x", digest: Self.digest)
        run.apply(.execute(succeeded: true, changeDigest: Self.digest, detail: nil), by: "bot")
        run.apply(Self.vote(true, "carol"), by: "carol", at: 1)
        run.apply(Self.vote(true, "bob"), by: "bob", at: 2)
        run.apply(.execute(succeeded: true, changeDigest: nil, detail: nil), by: "bot", at: 3)
        run.apply(.execute(succeeded: true, changeDigest: String(repeating: "cd", count: 32), detail: nil), by: "bot", at: 3)
        run.apply(.execute(succeeded: true, changeDigest: Self.digest, detail: nil), by: "bot", at: 63)
        #expect(run.rejected == ["no-grant", "digest-mismatch", "digest-mismatch", "grant-expired"])
        run.apply(.execute(succeeded: true, changeDigest: Self.digest, detail: "ok"), by: "bot", at: 10)
        run.apply(.execute(succeeded: true, changeDigest: Self.digest, detail: nil), by: "bot", at: 11)
        #expect(run.rejected.last == "grant-used")
        #expect(run.state?.executions.count == 1)
        #expect(run.state?.refusedExecutions.count == 5)
    }

    @Test("Rollback and recovery follow an execution")
    func rollbackRecover() {
        var run = Run.opened(action: "restart", env: "dev")
        run.apply(.rollback(reason: "x"), by: "bot")
        run.apply(.recover(detail: "x"), by: "bot")
        #expect(run.rejected == ["not-executed", "nothing-to-recover"])
        run.apply(Self.vote(true, "bob"), by: "bob")
        run.apply(.execute(succeeded: false, changeDigest: nil, detail: "boom"), by: "bot")
        run.apply(.rollback(reason: "errors"), by: "bot")
        run.apply(.recover(detail: "fine"), by: "bot")
        #expect(run.state?.rolledBackAt != nil)
        #expect(run.state?.recoveredAt != nil)
    }

    @Test("Break-glass: only where the rule allows; review by a reviewer who is not the actor")
    func breakGlass() {
        var run = Run()
        run.apply(.bypass(OpenRequest(requestID: "req-1", action: "purge", resource: "cdn", environment: "prod", summary: "s", riskInputs: ["blast_radius": "50"]), reason: "INC-1"), by: "bob")
        #expect(run.state?.status == .bypassed)
        #expect(run.state?.review?.deadline == Self.t0.adding(milliseconds: 86_400_000))
        #expect(run.state?.reviewOverdue(at: Self.t0.adding(milliseconds: 90_000_000)) == true)
        run.apply(.closeReview(accepted: true, reason: "ok"), by: "bob")
        run.apply(.closeReview(accepted: true, reason: "ok"), by: "alice")
        run.apply(.closeReview(accepted: true, reason: "justified"), by: "frank", at: 60)
        #expect(run.rejected == ["self-review", "not-eligible"])
        #expect(run.state?.review?.outcome == "accepted")
        #expect(run.state?.reviewOverdue(at: Self.t0.adding(milliseconds: 90_000_000)) == false)
        var refused = Run()
        refused.apply(.bypass(OpenRequest(requestID: "req-2", action: "deploy", resource: "svc", environment: "prod", summary: "s", riskInputs: ["blast_radius": "50"]), reason: "x"), by: "bob")
        #expect(refused.rejected == ["break-glass-not-allowed"])
    }

    @Test("Cancel by the requester only; comments")
    func cancelAndComment() {
        var run = Run.opened(action: "deploy", by: "alice")
        run.apply(.cancel(reason: "no"), by: "bob")
        run.apply(.comment("looks fine"), by: "bob")
        run.apply(.cancel(reason: "superseded"), by: "alice")
        #expect(run.rejected == ["not-requester"])
        #expect(run.state?.status == .cancelled)
        #expect(run.state?.comments == 1)
    }

    @Test("Hostile request fields are refused", arguments: [
        OpenRequest(requestID: "req-1", action: "de ploy", resource: "svc", environment: "prod", summary: "s"),
        OpenRequest(requestID: "req-1", action: "deploy", resource: "svc\u{202E}gpj", environment: "prod", summary: "s"),
        OpenRequest(requestID: "req-1", action: "deploy", resource: "", environment: "prod", summary: "s"),
        OpenRequest(requestID: "req-1", action: "deploy", resource: "svc", environment: "prod", summary: "s", changeDigest: "xyz"),
    ])
    func hostileRequests(request: OpenRequest) {
        var run = Run()
        run.apply(.open(request), by: "alice")
        #expect(run.rejected == ["invalid-request"])
    }
}
