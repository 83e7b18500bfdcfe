import ApprovalLedger
import Foundation
import TestSupport
import Testing

/// Chat votes (docs/CHAT.md): accounts linked to identities by signed `$identities` events, a
/// button press recorded as a relayed vote with the chat's evidence, and what `ledger verify`
/// proves about it, on a real ledger file.
@Suite("Identity links and chat votes")
struct ChatVoteTests {
    typealias Team = RelayTests.Team
    static let bobAccount = "slack:T0A1/U0B2"

    static func press(_ account: String = bobAccount, approve: Bool = true, action: String = UUID().uuidString, version: Int64? = nil) -> ChatVote {
        ChatVote(
            account: account, approve: approve, reason: approve ? "" : "not now", requestVersion: version,
            evidence: ["team": "T0A1", "user": String(account.split(separator: "/").last!), "channel": "C0DEPLOY", "actionTs": "1764770000.000100"],
            idempotencyKey: "slack:\(action)")
    }

    @Test("A linked account's press is bob's relayed vote, with the evidence in its origin; it grants, and verify is clean")
    func linkedVoteCounts() async throws {
        let team = try await Team.make()
        try await team.fixture.ledger.link(account: Self.bobAccount, identity: "bob", signer: team.fixture.root)
        let request = try await team.open()
        let state = try await team.approvals.chatVote(request.id, Self.press(), relay: team.server)
        #expect(state.status == .granted)
        let vote = try #require(try await team.fixture.ledger.events(stream: request.id).first { $0.envelope.type == "vote.cast" })
        #expect(vote.envelope.actor == "bob")
        guard case .relayed(let via, let evidence) = vote.envelope.origin else { Issue.record("not relayed"); return }
        #expect(via == Self.bobAccount)
        #expect(evidence["channel"] == "C0DEPLOY")
        #expect(try team.fixture.verify().isVerified())
    }

    @Test("An unlinked account's press is refused (identity-unlinked), recorded as the relay's rejected attempt, and verify is clean")
    func unlinkedAttemptIsRecorded() async throws {
        let team = try await Team.make()
        let request = try await team.open()
        let refusal = await #expect(throws: ApprovalError.self) {
            try await team.approvals.chatVote(request.id, Self.press(), relay: team.server)
        }
        #expect(refusal?.code == "identity-unlinked")
        #expect(refusal?.recorded == true)
        let rejected = try #require(try await team.fixture.ledger.events(stream: request.id).last)
        #expect(rejected.envelope.type == "vote.rejected")
        #expect(rejected.envelope.actor == "ledger-server")
        #expect(try await team.approvals.request(request.id)?.status == .pending)
        #expect(try team.fixture.verify().isVerified())
    }

    @Test("A redelivered action (same idempotency key) is one vote")
    func redeliveryCountsOnce() async throws {
        let team = try await Team.make()
        try await team.fixture.ledger.link(account: Self.bobAccount, identity: "bob", signer: team.fixture.root)
        let request = try await team.open()
        let press = Self.press(approve: false)
        _ = try await team.approvals.chatVote(request.id, press, relay: team.server)
        let again = try await team.approvals.chatVote(request.id, press, relay: team.server)
        #expect(again.status == .denied)
        let events = try await team.fixture.ledger.events(stream: request.id)
        #expect(events.filter { $0.envelope.type == "vote.cast" }.count == 1)
        #expect(!events.contains { $0.envelope.type == "vote.rejected" })
    }

    @Test("After unlink the account's press is refused again; links can be listed")
    func unlinkStopsVotes() async throws {
        let team = try await Team.make()
        let ledger = team.fixture.ledger
        try await ledger.link(account: Self.bobAccount, identity: "bob", signer: team.fixture.root)
        #expect(try await ledger.linkedIdentity(account: Self.bobAccount) == "bob")
        try await ledger.unlink(account: Self.bobAccount, reason: "left the team", signer: team.fixture.root)
        #expect(try await ledger.identityLinks().links.isEmpty)
        let request = try await team.open()
        let refusal = await #expect(throws: ApprovalError.self) {
            try await team.approvals.chatVote(request.id, Self.press(), relay: team.server)
        }
        #expect(refusal?.code == "identity-unlinked")
        #expect(try team.fixture.verify().isVerified())
    }

    @Test("M1 by channel: a request decided by a Slack press counts under slack, one decided by an own-key vote under own-key; the rows read once give the same")
    func latencyByChannel() async throws {
        let team = try await Team.make()
        try await team.fixture.ledger.link(account: Self.bobAccount, identity: "bob", signer: team.fixture.root)
        let chat = try await team.open()
        _ = try await team.approvals.chatVote(chat.id, Self.press(), relay: team.server)
        let own = try await team.open()
        _ = try await team.approvals.approve(own.id, reason: "", signer: team.fixture.bob)
        _ = try await team.open()
        let query = MetricsQuery(now: team.fixture.clock.now())
        let metrics = try await team.fixture.ledger.metrics(for: query)
        #expect(metrics.approvalLatencyByChannel.map(\.channel) == ["own-key", "slack"])
        #expect(metrics.approvalLatencyByChannel.map(\.latency.count) == [1, 1])
        #expect(ApprovalMetrics(facts: try await team.fixture.ledger.metricsFacts(for: query), query: query) == metrics)
    }

    @Test("The writer refuses: a second link of a linked account, an unlink of an unlinked one, a non-admin key, a malformed account, a raw identity.* append")
    func writerRefusals() async throws {
        let team = try await Team.make()
        let ledger = team.fixture.ledger
        try await ledger.link(account: Self.bobAccount, identity: "bob", signer: team.fixture.root)
        let twice = await #expect(throws: LedgerError.self) { try await ledger.link(account: Self.bobAccount, identity: "carol", signer: team.fixture.root) }
        #expect(twice?.code == .alreadyExists)
        let unknown = await #expect(throws: LedgerError.self) { try await ledger.unlink(account: "slack:T0A1/U999", reason: "x", signer: team.fixture.root) }
        #expect(unknown?.code == .notFound)
        let notAdmin = await #expect(throws: LedgerError.self) { try await ledger.link(account: "slack:T0A1/U3", identity: "carol", signer: team.server) }
        #expect(notAdmin?.code == .keyNotAllowed)
        for account in ["slack:t1/u2", "slack:T1", "token:ci", "slack:T1/U2/X"] {
            let malformed = await #expect(throws: LedgerError.self) { try await ledger.link(account: account, identity: "carol", signer: team.fixture.root) }
            #expect(malformed?.code == .invalidEvent)
        }
        let raw = await #expect(throws: LedgerError.self) {
            try await ledger.append(
                EventDraft(type: IdentityLink.linkedType, stream: IdentityLink.stream, payload: IdentityLink(account: "slack:T1/U9", identity: "carol").jsonValue),
                signer: team.fixture.root)
        }
        #expect(raw?.code == .invalidEvent)
        // A relay cannot speak for someone through an account linked to another identity.
        let request = try await team.open()
        let misattributed = await #expect(throws: LedgerError.self) {
            try await team.approvals.approve(request.id, reason: "", signer: team.server.speaking(for: "carol", origin: .relayed(via: Self.bobAccount)))
        }
        #expect(misattributed?.code == .keyNotAllowed)
        #expect(try team.fixture.verify().isVerified())
    }
}

/// The same, attacked the way an attacker holding the server's relay key (a compromised bot)
/// and write access to the file would: rows inserted straight into SQLite, signed as
/// docs/FORMAT.md says.
@Suite("Chat vote tampering")
struct ChatVoteTamperTests {
    typealias Team = RelayTests.Team

    @Test("With the relay key, a vote through bob's linked account recorded as carol's: relay-unlinked")
    func voteForAnotherIdentity() async throws {
        let team = try await Team.make()
        try await team.fixture.ledger.link(account: ChatVoteTests.bobAccount, identity: "bob", signer: team.fixture.root)
        let request = try await team.open()
        let seq = try await RelayTamperTests.forge(
            team, type: "vote.cast", stream: request.id, actor: "carol", key: team.server.key,
            payload: RelayTamperTests.vote("approve", version: request.version), origin: .relayed(via: ChatVoteTests.bobAccount))
        try team.fixture.keepTree()
        let report = try team.fixture.verify()
        #expect(report.has(.relayUnlinked, seq: seq), "\(report.findings)")
        #expect(!report.isVerified())
    }

    @Test("With the relay key, a vote through an account nobody linked, and a link the relay key signed itself: relay-unlinked, key-not-authorized")
    func selfLinkedAccount() async throws {
        let team = try await Team.make()
        let request = try await team.open()
        let account = "slack:T0A1/U0EVIL"
        let link = try await RelayTamperTests.forge(
            team, type: IdentityLink.linkedType, stream: IdentityLink.stream, actor: "ledger-server", key: team.server.key,
            payload: IdentityLink(account: account, identity: "bob").jsonValue, origin: nil)
        let vote = try await RelayTamperTests.forge(
            team, type: "vote.cast", stream: request.id, actor: "bob", key: team.server.key,
            payload: RelayTamperTests.vote("approve", version: request.version), origin: .relayed(via: account))
        try team.fixture.keepTree()
        let report = try team.fixture.verify()
        #expect(report.has(.keyNotAuthorized, seq: link), "\(report.findings)")
        #expect(report.has(.relayUnlinked, seq: vote), "\(report.findings)")
        #expect(!report.isVerified())
    }

    @Test("An admin's link of an account already linked: identity-link-invalid, and the first link stays in force")
    func doubleLink() async throws {
        let team = try await Team.make()
        try await team.fixture.ledger.link(account: ChatVoteTests.bobAccount, identity: "bob", signer: team.fixture.root)
        let second = try await RelayTamperTests.forge(
            team, type: IdentityLink.linkedType, stream: IdentityLink.stream, actor: team.fixture.root.identity, key: team.fixture.root.key,
            payload: IdentityLink(account: ChatVoteTests.bobAccount, identity: "carol").jsonValue, origin: nil)
        let request = try await team.open()
        let vote = try await RelayTamperTests.forge(
            team, type: "vote.cast", stream: request.id, actor: "carol", key: team.server.key,
            payload: RelayTamperTests.vote("approve", version: request.version), origin: .relayed(via: ChatVoteTests.bobAccount))
        try team.fixture.keepTree()
        let report = try team.fixture.verify()
        #expect(report.has(.identityLinkInvalid, seq: second), "\(report.findings)")
        #expect(report.has(.relayUnlinked, seq: vote), "\(report.findings)")
    }

    @Test("Votes the relay key signed after its revocation (the bot compromised, then revoked): key-revoked on each")
    func votesAfterRelayRevocation() async throws {
        let team = try await Team.make()
        try await team.fixture.ledger.link(account: ChatVoteTests.bobAccount, identity: "bob", signer: team.fixture.root)
        let request = try await team.open()
        try await team.fixture.ledger.revokeKey(team.server.key.publicKey.keyID, reason: "bot compromised", signer: team.fixture.root)
        // The writer refuses at once: no chat vote is recorded with a revoked relay key.
        await #expect(throws: LedgerError.self) {
            try await team.approvals.chatVote(request.id, ChatVoteTests.press(), relay: team.server)
        }
        let seq = try await RelayTamperTests.forge(
            team, type: "vote.cast", stream: request.id, actor: "bob", key: team.server.key,
            payload: RelayTamperTests.vote("approve", version: request.version), origin: .relayed(via: ChatVoteTests.bobAccount))
        try team.fixture.keepTree()
        let report = try team.fixture.verify()
        #expect(report.has(.keyRevoked, seq: seq), "\(report.findings)")
        #expect(!report.isVerified())
    }
}
