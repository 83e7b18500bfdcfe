import ApprovalLedger
import Foundation
import GRDB
import TestSupport
import Testing

/// The library API services use, on a real ledger file: the README's deploy-service example.
@Suite("Approvals library API")
struct ApprovalsTests {
    static let policy = """
        version: 1
        name: svc
        groups: {sre: [bob], bots: [deploy-bot]}
        risk: {factors: {blast_radius: {weight: 1, max: 100}}}
        rules:
          - name: prod
            match: {environment: prod}
            require: {groups: {sre: 1}}
            ttl: 1h
        """

    @Test("A deploy service opens a request, awaits the decision, reports the outcome")
    func deployServiceExample() async throws {
        let fixture = try await LedgerFixture.make()
        let bot = Signer(identity: "deploy-bot", key: try Ed25519PrivateKey())
        let sre = Signer(identity: "bob", key: fixture.bob.key)
        try await fixture.ledger.registerKey(bot.key.publicKey, identity: "deploy-bot", capabilities: [.request, .execute], signer: fixture.root)
        let approvals = Approvals(ledger: fixture.ledger)
        try await approvals.publish(try Policy(yaml: Self.policy), signer: fixture.root)

        let change = SHA256.hash(Array("image: checkout:v42".utf8)).hex
        let request = try await approvals.open(
            OpenRequest(requestID: Approvals.newRequestID(), action: "deploy.promote", resource: "svc/checkout", environment: "prod",
                        summary: "checkout v42", changeDigest: change, riskInputs: ["blast_radius": "30"]),
            signer: bot)
        #expect(request.status == .pending)
        #expect(request.riskScore == 30)

        async let decided = approvals.awaitDecision(request.id, timeout: .seconds(10), pollInterval: .milliseconds(20))
        try await Task.sleep(for: .milliseconds(50))
        try await approvals.approve(request.id, reason: "looks good", signer: sre)
        let state = try await decided
        #expect(state.status == .granted)

        let executed = try await approvals.execute(request.id, succeeded: true, changeDigest: change, signer: bot)
        #expect(executed.executions.count == 1)
        let again = await #expect(throws: ApprovalError.self) {
            try await approvals.execute(request.id, succeeded: true, changeDigest: change, signer: bot)
        }
        #expect(again?.code == "grant-used")
        #expect(again?.recorded == true)

        let rows = try await approvals.list(status: [.granted])
        #expect(rows.map(\.requestID) == [request.id])
        #expect(rows.first?.executions == 1)
        #expect(try fixture.verify().isVerified())
    }

    @Test func awaitDecisionTimesOut() async throws {
        let fixture = try await LedgerFixture.make()
        let approvals = Approvals(ledger: fixture.ledger)
        try await approvals.publish(try Policy(yaml: Self.policy), signer: fixture.root)
        let request = try await approvals.open(
            OpenRequest(requestID: "req-wait", action: "deploy", resource: "svc", environment: "prod", summary: "s"), signer: fixture.alice)
        let error = await #expect(throws: ApprovalError.self) {
            try await approvals.awaitDecision(request.id, timeout: .milliseconds(100), pollInterval: .milliseconds(20))
        }
        #expect(error?.code == "timed-out")
    }

    @Test("Policies and revocations written through another open ledger apply to the next command through this one")
    func changesThroughAnotherLedgerAreSeen() async throws {
        let fixture = try await LedgerFixture.make()
        let approvals = Approvals(ledger: fixture.ledger)
        let first = try await approvals.publish(try Policy(yaml: Self.policy), signer: fixture.root)
        let sre = Signer(identity: "bob", key: fixture.bob.key)
        func open(_ id: String) async throws -> RequestState {
            try await approvals.open(
                OpenRequest(requestID: id, action: "deploy", resource: "svc", environment: "prod", summary: "s"), signer: fixture.alice)
        }
        #expect(try await open("req-1").policyVersion == first.version)

        let other = Approvals(ledger: try await fixture.openAgain())
        let stricter = Self.policy.replacingOccurrences(of: "sre: [bob]", with: "sre: [bob, carol]")
            .replacingOccurrences(of: "{sre: 1}", with: "{sre: 2}")
        let second = try await other.publish(try Policy(yaml: stricter), signer: fixture.root)
        #expect(try await open("req-2").policyVersion == second.version)
        // Each request stays judged under the policy it was opened under.
        #expect(try await approvals.approve("req-1", reason: "ok", signer: sre).status == .granted)
        #expect(try await approvals.approve("req-2", reason: "ok", signer: sre).status == .pending)

        try await other.ledger.revokeKey(fixture.alice.key.publicKey.keyID, reason: "laptop lost", signer: fixture.root)
        let error = await #expect(throws: LedgerError.self) { try await open("req-3") }
        #expect(error?.code == .revokedKey)
        #expect(try fixture.verify().isVerified())
    }

    @Test("Workflow event types cannot be forged through the generic append")
    func genericAppendRefusesWorkflowTypes() async throws {
        let fixture = try await LedgerFixture.make()
        for type in ["request.granted", "vote.cast", "policy.published", "execution.reported"] {
            let error = await #expect(throws: LedgerError.self) {
                try await fixture.ledger.append(EventDraft(type: type, stream: "req-x", payload: [:]), signer: fixture.root)
            }
            #expect(error?.code == .invalidEvent, "\(type)")
        }
    }

    @Test("The request projection equals a fold of the events after every command")
    func projectionMatchesFold() async throws {
        let fixture = try await LedgerFixture.make()
        let approvals = Approvals(ledger: fixture.ledger)
        try await approvals.publish(try Policy(yaml: Self.policy), signer: fixture.root)
        let request = try await approvals.open(
            OpenRequest(requestID: "req-p", action: "deploy", resource: "svc", environment: "prod", summary: "s"), signer: fixture.alice)
        _ = try? await approvals.approve(request.id, reason: "", signer: fixture.alice)
        let granted = try await approvals.approve(request.id, reason: "ok", signer: Signer(identity: "bob", key: fixture.bob.key))
        let row = try #require(try await approvals.list().first)
        #expect(row.status == "granted")
        #expect(row.approvers == ["bob"])
        #expect(row.rejectedAttempts == 1)
        #expect(row.version == granted.version)
        #expect(row.decidedAt == granted.decidedAt?.description)
    }
}
