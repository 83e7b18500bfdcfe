import LedgerDomain
import LedgerFormat
import Testing

/// `PolicyExplanation`, pure: which rule, why not the earlier ones, the score, the outcome.
@Suite("PolicyExplanation: how a policy would judge a request")
struct PolicyExplanationTests {
    static let policy = PublishedPolicy(policy: try! Policy(yaml: """
        version: 1
        name: explained
        groups:
          sre: [alice, bob]
          dba: [carol]
        risk:
          factors:
            environment: {weight: 50, values: {prod: 1, dev: 0}}
            blast_radius: {weight: 50, max: 100}
        rules:
          - name: low-risk
            match: {risk: {max: 19}}
            auto_approve_below: 20
          - name: migration
            match: {action: db.migrate, environment: prod, resource: "db/*"}
            require: {groups: {dba: 1, sre: 1}}
            reason_required: {approve: true}
          - name: prod
            match: {environment: prod}
            require: {groups: {sre: 1}}
        """), version: 7, hash: "h")
    static let t0 = Timestamp("2026-11-02T10:00:00.000Z")!

    static func explain(_ action: String, _ environment: String, _ resource: String, blast: String) throws -> PolicyExplanation {
        try PolicyExplanation.explain(
            OpenRequest(requestID: "x", action: action, resource: resource, environment: environment, summary: "", riskInputs: ["blast_radius": blast]),
            policy: policy, at: t0)
    }

    @Test func theEarlierRulesSayWhyTheyDoNotMatch() throws {
        let explanation = try Self.explain("db.migrate", "prod", "svc/orders", blast: "40")
        #expect(explanation.risk.score == 70)
        #expect(explanation.risk.explanation == "70 (high): blast_radius=40 +20, environment=prod +50")
        #expect(explanation.checks.map(\.rule) == ["low-risk", "migration", "prod"])
        #expect(explanation.checks[0].reasons == ["risk 70 is outside 0-19"])
        #expect(explanation.checks[1].reasons == ["resource svc/orders is not db/*"])
        #expect(explanation.checks[2].matches)
        #expect(explanation.rule?.name == "prod" && explanation.outcome == "needs-approval")
        #expect(explanation.jsonValue["requires"]?["total"] == .integer(1))
        #expect(explanation.jsonValue["policy"]?["version"] == .integer(7))
    }

    @Test func autoDecisionsAndNoMatchComeFromTheDecider() throws {
        let auto = try Self.explain("deploy", "dev", "svc/x", blast: "10")
        #expect(auto.rule?.name == "low-risk" && auto.outcome == "auto-approved")
        #expect(auto.checks.count == 1)
        let none = try Self.explain("deploy", "dev", "svc/x", blast: "100")
        #expect(none.rule == nil && none.outcome == "refused")
        #expect(none.checks.map(\.matches) == [false, false, false])
        #expect(none.jsonValue["requires"] == nil)
    }

    @Test func aRequestThatCouldNotBeOpenedIsRefused() {
        #expect(throws: Refusal.self) { try Self.explain("deploy", "prod", "svc/x", blast: "lots") }
        #expect(throws: Refusal.self) { try Self.explain("bad action", "prod", "svc/x", blast: "1") }
    }
}
