import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// The failure modes of chat-based approvals (docs/CHAT.md §Failure modes), answered by the
/// library on a real ledger file: approval spam, context-free requests, conflicting votes.
@Suite("Chat failure modes")
struct ChatFailureModeTests {
    static let policy = """
        version: 1
        name: chat
        groups: {sre: [alice, bob]}
        rules:
          - name: prod-deploy
            match: {environment: prod, action: deploy.*}
            require: {groups: {sre: 1}}
            context: {links: 2}
            ttl: 1h
            break_glass: {review_within: 24h, reviewers: [sre]}
          - name: other
            match: {}
            require: {groups: {sre: 1}}
            ttl: 1h
        """

    struct Team {
        let fixture: LedgerFixture
        let approvals: Approvals
        let bot: Signer
        let otherBot: Signer
        /// alice's key for votes (the fixture's alice may only request).
        let alice: Signer

        static func make() async throws -> Team {
            let fixture = try await LedgerFixture.make()
            let bot = Signer(identity: "deploy-bot", key: try Ed25519PrivateKey())
            try await fixture.ledger.registerKey(bot.key.publicKey, identity: "deploy-bot", capabilities: [.request, .execute], signer: fixture.root)
            let otherBot = Signer(identity: "release-bot", key: try Ed25519PrivateKey())
            try await fixture.ledger.registerKey(otherBot.key.publicKey, identity: "release-bot", capabilities: [.request], signer: fixture.root)
            let approvals = Approvals(ledger: fixture.ledger)
            try await approvals.publish(try Policy(yaml: ChatFailureModeTests.policy), signer: fixture.root)
            let alice = Signer(identity: "alice", key: try Ed25519PrivateKey())
            try await fixture.ledger.registerKey(alice.key.publicKey, identity: "alice", capabilities: [.approve], signer: fixture.root)
            return Team(fixture: fixture, approvals: approvals, bot: bot, otherBot: otherBot, alice: alice)
        }

        func request(_ action: String = "db.migrate", summary: String = "add index", links: [String] = ["https://git.example/pr/7"]) -> OpenRequest {
            OpenRequest(requestID: Approvals.newRequestID(), action: action, resource: "svc/api", environment: "prod", summary: summary, links: links)
        }
    }

    @Test("Approval spam: an identical pending request by the same requester is answered, not opened again; a different one, or another requester's, is opened")
    func identicalRequestsAreDeduplicated() async throws {
        let team = try await Team.make()
        let first = try await team.approvals.openOnce(team.request(), signer: team.bot)
        #expect(!first.existing)
        let again = try await team.approvals.openOnce(team.request(), signer: team.bot)
        #expect(again.existing)
        #expect(again.state.id == first.state.id)
        let changed = try await team.approvals.openOnce(team.request(summary: "add another index"), signer: team.bot)
        #expect(!changed.existing)
        let byOther = try await team.approvals.openOnce(team.request(), signer: team.otherBot)
        #expect(!byOther.existing)
        // Once the first is decided, the same request is a new one.
        try await team.approvals.approve(first.state.id, reason: "", signer: team.alice)
        #expect(!(try await team.approvals.openOnce(team.request(), signer: team.bot)).existing)
        #expect(try await team.approvals.list(status: [.pending]).count == 3)
        #expect(try team.fixture.verify().isVerified())
    }

    @Test("Approval spam: eight identical requests sent at once open one request")
    func concurrentIdenticalRequestsOpenOne() async throws {
        let team = try await Team.make()
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await team.approvals.openOnce(team.request(), signer: team.bot).state.id } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids.count == 1)
        #expect(try await team.approvals.list().count == 1)
    }

    @Test("Context-free requests: a rule asking for two links refuses a request with fewer (context-required, nothing recorded), a break-glass bypass too")
    func contextRequired() async throws {
        let team = try await Team.make()
        let bare = await #expect(throws: ApprovalError.self) {
            try await team.approvals.open(team.request("deploy.promote", summary: "checkout v42", links: ["https://ci.example/run/1"]), signer: team.bot)
        }
        #expect(bare?.code == "context-required")
        #expect(bare?.recorded == false)
        #expect(bare?.message.contains("at least 2 links (this one has 1)") == true)
        let full = try await team.approvals.open(
            team.request("deploy.promote", summary: "checkout v42", links: ["https://git.example/pr/9", "https://runbooks.example/deploy"]), signer: team.bot)
        #expect(full.status == .pending)
        let bypass = await #expect(throws: ApprovalError.self) {
            try await team.approvals.bypass(team.request("deploy.promote", summary: "purge the cache", links: []), reason: "site down", signer: team.bot)
        }
        #expect(bypass?.code == "context-required")
        let report = try team.fixture.verify()
        #expect(report.isVerified(), "\(report.findings)")
    }

    @Test("Conflicting approvals: an approve and a deny at the same moment give one outcome, and both are recorded")
    func conflictingVotes() async throws {
        for _ in 0..<5 {
            let team = try await Team.make()
            let request = try await team.approvals.open(team.request(), signer: team.bot)
            async let approve: Void = { _ = try? await team.approvals.approve(request.id, reason: "ship", signer: team.alice) }()
            async let deny: Void = { _ = try? await team.approvals.deny(request.id, reason: "not now", signer: team.fixture.bob) }()
            _ = await (approve, deny)
            let state = try #require(try await team.approvals.request(request.id))
            let events = try await team.fixture.ledger.events(stream: request.id).map(\.envelope)
            let outcomes = events.filter { $0.type == "request.granted" || $0.type == "request.denied" }
            #expect(outcomes.count == 1)
            #expect(state.status == (outcomes.first?.type == "request.granted" ? .granted : .denied))
            // The vote that came second met a decided request: recorded as refused, by its voter.
            let votes = events.filter { $0.type == "vote.cast" || $0.type == "vote.rejected" }
            #expect(Set(votes.map(\.actor)) == ["alice", "bob"])
            #expect(votes.filter { $0.type == "vote.rejected" }.count == 1)
            #expect(try team.fixture.verify().isVerified())
        }
    }
}
