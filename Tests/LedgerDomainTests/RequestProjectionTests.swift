import LedgerDomain
import LedgerFormat
import Testing

/// The projection of one request stream, pure: the same events always give the same rows.
@Suite("RequestProjection: request streams into projection rows")
struct RequestProjectionTests {
    typealias Run = DeciderTests.Run

    static func ms(_ minutes: Int64) -> Int64 { DeciderTests.t0.millisecondsSinceEpoch + minutes * 60_000 }

    @Test("A migration approved after a refused self-approval, executed, failed, rolled back and recovered")
    func fullLifecycle() throws {
        var run = Run.opened(action: "db.migrate", resource: "db/orders")
        run.apply(DeciderTests.vote(true, "alice"), by: "alice", at: 1)
        run.apply(DeciderTests.vote(true, "carol"), by: "carol", at: 5)
        run.apply(DeciderTests.vote(true, "bob"), by: "bob", at: 12)
        run.apply(.execute(succeeded: false, changeDigest: nil, detail: nil), by: "bot", at: 20)
        run.apply(.execute(succeeded: true, changeDigest: nil, detail: nil), by: "bot", at: 22)
        run.apply(.rollback(reason: "errors"), by: "bot", at: 25)
        run.apply(.recover(detail: "fixed"), by: "bot", at: 40)
        #expect(run.rejected == ["self-approval", "grant-used"])

        let projection = try #require(RequestProjection(stream: "req-1", events: run.events))
        let t = projection.timings
        #expect(t.outcome == .granted)
        #expect(t.decidedBy == .people)
        #expect(t.openedMs == Self.ms(0))
        #expect(t.resolvedMs == Self.ms(12))
        #expect(t.deadlineMs == Self.ms(240))
        #expect(t.firstExecutedMs == Self.ms(20))
        #expect(t.firstFailureMs == Self.ms(20))
        #expect(t.rolledBackMs == Self.ms(25))
        #expect(t.recoveredMs == Self.ms(40))
        #expect(t.escalations == 0 && t.firstEscalatedMs == nil)
        #expect(t.missingFields == ["links"])
        #expect(t.lastSeq == run.events.last?.seq)
        #expect(projection.votes.map(\.voter) == ["carol", "bob"])
        #expect(projection.votes.map(\.approve) == [true, true])
        #expect(projection.attempts.map { "\($0.kind.rawValue)/\($0.code)/\($0.actor)" } == ["vote/self-approval/alice", "execution/grant-used/bot"])
        #expect(projection.executions.map { [$0.approved, $0.succeeded] } == [[true, false]])
        #expect(projection.executions.first?.timeMs == Self.ms(20))
    }

    @Test("Who decided: people, policy at opening, timeout (deny or expiry), the requester, break-glass; nil while pending")
    func decidedBy() throws {
        func project(_ run: Run) throws -> RequestTimings { try #require(RequestProjection(stream: "req-1", events: run.events)).timings }

        var people = Run.opened(action: "restart")
        people.apply(DeciderTests.vote(true, "bob"), by: "bob", at: 3)
        #expect(try project(people).decidedBy == .people)

        let policy = Run.opened(action: "deploy", env: "dev", risk: ["blast_radius": "5"])
        let auto = try project(policy)
        #expect(auto.decidedBy == .policy && auto.outcome == .granted && auto.resolvedMs == Self.ms(0))

        var timeoutDeny = Run.opened(action: "deploy")
        timeoutDeny.apply(.tick, by: "root", at: 40)
        timeoutDeny.apply(.tick, by: "root", at: 130)
        let denied = try project(timeoutDeny)
        #expect(denied.decidedBy == .timeout && denied.outcome == .denied)
        #expect(denied.escalations == 1 && denied.firstEscalatedMs == Self.ms(40))

        var expired = Run.opened(action: "restart")
        expired.apply(.tick, by: "root", at: 24 * 60)
        #expect(try project(expired).decidedBy == .timeout)
        #expect(try project(expired).outcome == .expired)

        var cancelled = Run.opened(action: "restart")
        cancelled.apply(.cancel(reason: "superseded"), by: "alice", at: 2)
        #expect(try project(cancelled).decidedBy == .requester)

        var glass = Run()
        glass.apply(.bypass(OpenRequest(requestID: "req-1", action: "purge", resource: "cdn", environment: "prod", summary: "s", links: ["l"]), reason: "incident"), by: "bob")
        let bypassed = try project(glass)
        #expect(bypassed.decidedBy == .breakGlass && bypassed.outcome == .bypassed)
        #expect(bypassed.reviewDeadlineMs == Self.ms(24 * 60) && bypassed.reviewClosedMs == nil)
        #expect(bypassed.missingFields.isEmpty)

        let pending = try project(Run.opened(action: "restart"))
        #expect(pending.decidedBy == nil && pending.outcome == nil && pending.resolvedMs == nil)
    }

    @Test("A stream that is not a request, or names another request id, projects nothing")
    func notARequest() {
        let run = Run.opened(action: "restart")
        #expect(RequestProjection(stream: "req-2", events: run.events) == nil)
        #expect(RequestProjection(stream: "req-1", events: Array(run.events.dropFirst())) == nil)
        #expect(RequestProjection(stream: "req-1", events: []) == nil)
    }

    @Test("Audit fields: context, risk, policy; the outcome's explanation once resolved")
    func auditFields() throws {
        var state = try #require(Run.opened(action: "restart").state)
        #expect(state.missingAuditFields == ["links"])
        state.links = ["https://runbook"]
        state.summary = "  "
        state.policyHash = ""
        #expect(state.missingAuditFields == ["summary", "policy"])
        state.summary = "restart"
        state.policyHash = "h"
        state.status = .denied
        state.decisionExplanation = nil
        #expect(state.missingAuditFields == ["explanation"])
        state.status = .granted
        state.decisionExplanation = "ok"
        #expect(state.missingAuditFields == ["grant"])
    }
}
