import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// `Approvals.awaitDecision` stops at the request's deadline, judged by the ledger's clock as
/// the rules judge a vote, and `stillNeeded` says what the request lacked.
@Suite("Approvals: awaiting a decision ends at the deadline")
struct AwaitDecisionTests {
    static let policy = """
        version: 1
        name: two-groups
        groups: {sre: [bob], dba: [carol]}
        rules:
          - name: prod
            match: {environment: prod}
            require: {groups: {sre: 1, dba: 1}}
            ttl: 1h
        """

    @Test("Past the deadline, with no tick and a long timeout, it throws deadline-passed at once; a vote is refused as expired")
    func deadlinePassed() async throws {
        let fixture = try await LedgerFixture.make()
        let approvals = Approvals(ledger: fixture.ledger)
        try await approvals.publish(try Policy(yaml: Self.policy), signer: fixture.root)
        let request = try await approvals.open(
            OpenRequest(requestID: "req-late", action: "deploy", resource: "svc", environment: "prod", summary: "s"), signer: fixture.alice)
        try await approvals.approve(request.id, reason: "ok", signer: fixture.bob)
        let needs = try #require(try await approvals.stillNeeded(request.id))
        #expect(needs.groups.map(\.name) == ["dba", "sre"])
        #expect(needs.groups.map(\.missing) == [1, 0])
        #expect(needs.missingTotal == 1)
        #expect(needs.summary == "rule prod needs dba 0/1, sre 1/1, 1 of 2 approvals in all; eligible: dba, sre")

        fixture.clock.advance(seconds: 2 * 3600)
        let error = await #expect(throws: ApprovalError.self) {
            try await approvals.awaitDecision(request.id, timeout: .seconds(3600), pollInterval: .milliseconds(20))
        }
        #expect(error?.code == "deadline-passed")
        #expect(error?.recorded == false)
        #expect(try await approvals.request(request.id)?.status == .pending, "waiting appended nothing")
        let vote = await #expect(throws: ApprovalError.self) { try await approvals.approve(request.id, reason: "late", signer: fixture.bob) }
        #expect(vote?.code == "expired")
        #expect(try fixture.verify().isVerified())
    }

    @Test("A decided request is returned, and stillNeeded is nil for it")
    func decided() async throws {
        let fixture = try await LedgerFixture.make()
        let approvals = Approvals(ledger: fixture.ledger)
        try await approvals.publish(try Policy(yaml: Self.policy.replacingOccurrences(of: "sre: 1, dba: 1", with: "sre: 1")), signer: fixture.root)
        let request = try await approvals.open(
            OpenRequest(requestID: "req-ok", action: "deploy", resource: "svc", environment: "prod", summary: "s"), signer: fixture.alice)
        try await approvals.approve(request.id, reason: "ok", signer: fixture.bob)
        #expect(try await approvals.awaitDecision(request.id, timeout: .seconds(3600)).status == .granted)
        #expect(try await approvals.stillNeeded(request.id) == nil)
    }
}
