import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// `Approvals` refuses free text beyond `TextLimits` before the rules judge it: an oversized
/// vote is an input error, not a security signal, so it is not recorded as a rejected attempt.
@Suite("Approvals: size limits on free text")
struct ApprovalInputLimitTests {
    @Test("An oversized summary, reason or detail is refused as invalid-request and nothing is appended")
    func oversizedTextIsRefused() async throws {
        let fixture = try await LedgerFixture.make()
        let approvals = Approvals(ledger: fixture.ledger)
        try await approvals.publish(try Policy(yaml: ApprovalsTests.policy), signer: fixture.root)
        let request = try await approvals.open(
            OpenRequest(requestID: "req-limits", action: "deploy.promote", resource: "svc/x", environment: "prod", summary: "s", riskInputs: ["blast_radius": "30"]),
            signer: fixture.alice)
        let head = try await fixture.ledger.head()
        let long = String(repeating: "x", count: TextLimits.reasonBytes + 1)
        let attempts: [@Sendable () async throws -> RequestState] = [
            { try await approvals.approve(request.id, reason: long, signer: fixture.bob) },
            { try await approvals.comment(request.id, long, signer: fixture.bob) },
            { try await approvals.cancel(request.id, reason: long, signer: fixture.alice) },
            {
                try await approvals.open(
                    OpenRequest(requestID: "req-long", action: "deploy.promote", resource: "svc/x", environment: "prod", summary: long),
                    signer: fixture.alice)
            },
        ]
        for attempt in attempts {
            let error = await #expect(throws: ApprovalError.self) { _ = try await attempt() }
            #expect(error?.code == "invalid-request")
            #expect(error?.recorded == false)
        }
        #expect(try await fixture.ledger.head() == head)
        #expect(try await approvals.approve(request.id, reason: String(repeating: "y", count: TextLimits.reasonBytes), signer: fixture.bob).status == .granted)
        #expect(try fixture.verify().isVerified())
    }
}
