import LedgerDomain
import LedgerFormat
import Testing

/// The policy simulator, pure: a scripted history recorded under one policy, replayed under a
/// stricter draft, a looser one and the same one.
@Suite("PolicySimulation: recorded requests under a draft")
struct PolicySimulationTests {
    static let groups = """
        version: 1
        name: NAME
        groups:
          sre: [alice, bob, sam]
          dba: [carol, dan]
        risk:
          factors:
            blast_radius: {weight: 100, max: 100, default: 1}
        rules:

        """

    static let recordedYAML = groups.replacingOccurrences(of: "NAME", with: "recorded") + """
          - name: low-risk
            match: {risk: {max: 9}}
            auto_approve_below: 10
          - name: db
            match: {action: db.migrate}
            require: {groups: {dba: 1}}
          - name: deploy
            match: {action: deploy}
            require: {groups: {sre: 1}}
        """

    static let stricterYAML = groups.replacingOccurrences(of: "NAME", with: "stricter") + """
          - name: db
            match: {action: db.migrate}
            require: {groups: {dba: 1, sre: 1}}
          - name: deploy
            match: {action: deploy}
            require: {groups: {sre: 2}}
        """

    static let looserYAML = groups.replacingOccurrences(of: "NAME", with: "looser") + """
          - name: low-risk
            match: {risk: {max: 9}}
            auto_approve_below: 10
          - name: db-auto
            match: {action: db.migrate, risk: {max: 59}}
            auto_approve_below: 60
          - name: db
            match: {action: db.migrate}
            require: {groups: {dba: 1}}
          - name: deploy
            match: {action: deploy}
            require: {total: 1}
        """

    static let recorded = PublishedPolicy(policy: try! Policy(yaml: recordedYAML), version: 3, hash: "recorded")
    static let t0 = Timestamp("2026-11-02T10:00:00.000Z")!
    static let minute: Int64 = 60_000

    /// Records requests as the workflow would: each command through the `Decider` under the
    /// recorded policy, its events appended with consecutive seqs, one transaction each.
    struct History {
        var seq: Int64 = 10
        var streams: [String: [RequestEvent]] = [:]
        var order: [String] = []

        mutating func run(_ id: String, _ command: ApprovalCommand, by actor: String, at minutes: Int64) {
            let now = PolicySimulationTests.t0.adding(milliseconds: minutes * PolicySimulationTests.minute)
            let events = streams[id] ?? []
            let decision = Decider.decide(state: RequestState.fold(events), command: command, actor: actor, policy: PolicySimulationTests.recorded, now: now)
            if events.isEmpty { order.append(id) }
            for produced in decision.events {
                seq += 1
                streams[id, default: []].append(RequestEvent(
                    seq: seq, streamVersion: Int64(streams[id, default: []].count + 1), time: now, actor: actor, type: produced.type,
                    payload: produced.payload))
            }
        }

        mutating func open(_ id: String, action: String, blast: Int, by actor: String, at minutes: Int64 = 0) {
            run(id, .open(OpenRequest(requestID: id, action: action, resource: "svc/\(id)", environment: "prod", summary: "change \(id)", riskInputs: ["blast_radius": "\(blast)"])), by: actor, at: minutes)
        }

        mutating func approve(_ id: String, by actor: String, at minutes: Int64) {
            run(id, .vote(VoteCommand(approve: true, reason: "ok", claimedIdentity: actor)), by: actor, at: minutes)
        }

        mutating func deny(_ id: String, by actor: String, at minutes: Int64) {
            run(id, .vote(VoteCommand(approve: false, reason: "no", claimedIdentity: actor)), by: actor, at: minutes)
        }

        var requests: [RecordedRequest] {
            order.map { id in
                RecordedRequest(steps: streams[id]!.map { RecordedRequest.Step(event: $0, authority: SignerAuthority(mayVote: true, keepsTime: true)) })
            }
        }
    }

    /// req-a: a migration carol grants at 10m. req-b: a deploy bob grants at 30m; sam's vote
    /// at 40m comes too late. req-c: a low-risk deploy, auto-approved. req-d: a deploy dan
    /// (a dba) may not approve at 5m, which bob grants at 20m.
    static var history: History {
        var history = History()
        history.open("req-a", action: "db.migrate", blast: 50, by: "alice")
        history.approve("req-a", by: "carol", at: 10)
        history.open("req-b", action: "deploy", blast: 50, by: "carol")
        history.approve("req-b", by: "bob", at: 30)
        history.approve("req-b", by: "sam", at: 40)
        history.open("req-c", action: "deploy", blast: 5, by: "carol")
        history.open("req-d", action: "deploy", blast: 50, by: "alice")
        history.approve("req-d", by: "dan", at: 5)
        history.approve("req-d", by: "bob", at: 20)
        return history
    }

    static let query = MetricsQuery(now: t0.adding(milliseconds: 24 * 60 * minute), since: t0.adding(milliseconds: -minute))

    static func simulate(_ yaml: String, query: MetricsQuery = query) throws -> PolicySimulation {
        PolicySimulation.run(history.requests, draft: try Policy(yaml: yaml), query: query)
    }

    static func change(_ simulation: PolicySimulation, _ id: String) throws -> RequestSimulation {
        try #require(simulation.changes.first { $0.requestID == id })
    }

    @Test func theHistoryIsWhatTheScriptSays() {
        let states = Self.history.requests.compactMap { RequestState.fold($0.steps.map(\.event)) }
        #expect(states.map(\.status) == [.granted, .granted, .granted, .granted])
        #expect(states.map(\.ruleName) == ["db", "deploy", "low-risk", "deploy"])
        #expect(states[1].rejectedAttempts == ["already-resolved"])
        #expect(states[3].rejectedAttempts == ["not-eligible"])
    }

    @Test func anUnchangedDraftChangesNothing() throws {
        let simulation = try Self.simulate(Self.recordedYAML)
        #expect(simulation.requests.count == 4)
        #expect(simulation.changes.isEmpty)
        #expect(simulation.savedMs == 0 && simulation.costMs == 0 && simulation.stillPending == 0)
        #expect(simulation.ruleCounts == [
            .init(recordedRule: "db", draftRule: "db", requests: 1, changed: 0),
            .init(recordedRule: "deploy", draftRule: "deploy", requests: 2, changed: 0),
            .init(recordedRule: "low-risk", draftRule: "low-risk", requests: 1, changed: 0),
        ])
    }

    @Test func aStricterDraftHoldsGrantsBackAndCountsALateVote() throws {
        let simulation = try Self.simulate(Self.stricterYAML)
        #expect(simulation.changes.map(\.requestID) == ["req-a", "req-b", "req-c", "req-d"])

        let a = try Self.change(simulation, "req-a")
        #expect(a.recorded.summary == "granted" && a.draft.summary == "still needs 1 sre")
        #expect(a.draft.rule == "db" && a.draft.status == "pending")
        #expect(a.latency == .unbounded)
        #expect(a.latency?.summary == "cost unbounded (still pending)")

        // sam's vote, refused as recorded because bob had already granted it, now completes it.
        let b = try Self.change(simulation, "req-b")
        #expect(b.draft.summary == "granted" && b.draft.decidedAt == Self.t0.adding(milliseconds: 40 * Self.minute))
        #expect(b.votes.map(\.voter) == ["sam"])
        #expect(b.votes.first?.recorded == VoteVerdict(counted: false, code: "already-resolved"))
        #expect(b.votes.first?.draft.counted == true)
        #expect(b.latency == .cost(10 * Self.minute))

        let c = try Self.change(simulation, "req-c")
        #expect(c.recorded.rule == "low-risk" && c.draft.rule == "deploy")
        #expect(c.recorded.summary == "auto-approved" && c.draft.summary == "still needs 2 sre")
        #expect(c.latency == .unbounded)

        let d = try Self.change(simulation, "req-d")
        #expect(d.draft.summary == "still needs 1 sre")
        #expect(d.votes.isEmpty)
        #expect(d.draft.stillNeeded?.groups.first?.approvedBy == ["bob"])

        #expect(simulation.costMs == 10 * Self.minute && simulation.savedMs == 0 && simulation.stillPending == 3)
        #expect(simulation.ruleCounts == [
            .init(recordedRule: "db", draftRule: "db", requests: 1, changed: 1),
            .init(recordedRule: "deploy", draftRule: "deploy", requests: 2, changed: 2),
            .init(recordedRule: "low-risk", draftRule: "deploy", requests: 1, changed: 1),
        ])
    }

    @Test func aLooserDraftGrantsSoonerAndCountsARefusedVote() throws {
        let simulation = try Self.simulate(Self.looserYAML)
        #expect(simulation.changes.map(\.requestID) == ["req-a", "req-d"])

        let a = try Self.change(simulation, "req-a")
        #expect(a.recorded.rule == "db" && a.draft.rule == "db-auto")
        #expect(a.recorded.summary == "granted" && a.draft.summary == "auto-approved")
        #expect(a.draft.decidedAt == Self.t0)
        #expect(a.latency == .saved(10 * Self.minute))

        // dan, not a member of sre, may approve under `total: 1`; bob's vote then comes late.
        let d = try Self.change(simulation, "req-d")
        #expect(d.recorded.summary == "granted" && d.draft.summary == "granted")
        #expect(d.votes.map(\.voter) == ["dan", "bob"])
        #expect(d.votes[0].recorded == VoteVerdict(counted: false, code: "not-eligible") && d.votes[0].draft.counted)
        #expect(d.votes[1].recorded.counted && d.votes[1].draft == VoteVerdict(counted: false, code: "already-resolved"))
        #expect(d.latency == .saved(15 * Self.minute))

        #expect(simulation.savedMs == 25 * Self.minute && simulation.costMs == 0 && simulation.stillPending == 0)
        #expect(simulation.ruleCounts == [
            .init(recordedRule: "db", draftRule: "db-auto", requests: 1, changed: 1),
            .init(recordedRule: "deploy", draftRule: "deploy", requests: 2, changed: 1),
            .init(recordedRule: "low-risk", draftRule: "low-risk", requests: 1, changed: 0),
        ])
    }

    @Test func aDraftThatMatchesNothingRefusesTheRequest() throws {
        let yaml = Self.groups.replacingOccurrences(of: "NAME", with: "narrow") + """
              - name: deploy
                match: {action: deploy}
                require: {groups: {sre: 1}}
            """
        let simulation = try Self.simulate(yaml, query: MetricsQuery(now: Self.query.now, action: "db.*"))
        #expect(simulation.requests.map(\.requestID) == ["req-a"])
        let a = try Self.change(simulation, "req-a")
        #expect(a.draft.rule == nil && a.draft.summary == "refused (no-matching-rule)")
        #expect(a.latency == nil)
        #expect(simulation.ruleCounts == [.init(recordedRule: "db", draftRule: nil, requests: 1, changed: 1)])
    }

    @Test func aVetoTheDraftRemovesAndAPendingRequestItGrants() throws {
        var history = History()
        // req-e: sam's deny vetoes it at 5m; bob's approval at 10m comes too late.
        history.open("req-e", action: "deploy", blast: 50, by: "alice")
        history.deny("req-e", by: "sam", at: 5)
        history.approve("req-e", by: "bob", at: 10)
        // req-f: a migration nobody has voted on yet.
        history.open("req-f", action: "db.migrate", blast: 30, by: "alice", at: 60)
        let yaml = Self.groups.replacingOccurrences(of: "NAME", with: "two-vetoes") + """
              - name: db-auto
                match: {action: db.migrate, risk: {max: 39}}
                auto_approve_below: 40
              - name: deploy
                match: {action: deploy}
                require: {groups: {sre: 1}}
                deny_veto: 2
            """
        let simulation = PolicySimulation.run(history.requests, draft: try Policy(yaml: yaml), query: Self.query)
        #expect(simulation.changes.map(\.requestID) == ["req-e", "req-f"])

        let e = try Self.change(simulation, "req-e")
        #expect(e.recorded.summary == "denied" && e.draft.summary == "granted")
        #expect(e.draft.decidedAt == Self.t0.adding(milliseconds: 10 * Self.minute))
        #expect(e.votes.map(\.voter) == ["bob"] && e.votes[0].draft.counted)
        #expect(e.latency == nil, "no recorded grant to compare with")

        let f = try Self.change(simulation, "req-f")
        #expect(f.recorded.summary == "pending" && f.draft.summary == "auto-approved")
        #expect(f.latency == .savedAtLeast(23 * 60 * Self.minute))
        #expect(f.latency?.summary == "saved at least 23h (still pending as recorded)")
        #expect(simulation.savedMs == 23 * 60 * Self.minute)
    }

    @Test func theWindowSelectsByOpeningTime() throws {
        let later = MetricsQuery(now: Self.query.now, since: Self.t0.adding(milliseconds: Self.minute))
        #expect(try Self.simulate(Self.stricterYAML, query: later).requests.isEmpty)
    }

    @Test func theJSONNamesEachChange() throws {
        let json = try Self.simulate(Self.looserYAML).jsonValue
        #expect(json["summary"]?["changed"] == .integer(2))
        #expect(json["summary"]?["savedMs"] == .integer(25 * Self.minute))
        let first = json["changes"]?.arrayValue?.first
        #expect(first?["requestId"] == "req-a")
        #expect(first?["draft"]?["summary"] == "auto-approved")
        #expect(first?["latency"]?["kind"] == "saved")
        #expect(first?["latency"]?["ms"] == .integer(10 * Self.minute))
    }
}
