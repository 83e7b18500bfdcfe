import ApprovalLedger
import Foundation
import GRDB
import TestSupport
import Testing

/// A relay (the server's key) appending for callers, on a real ledger file: what it may record,
/// what it must refuse, and what `ledger verify` proves afterwards (docs/FORMAT.md §Origin).
@Suite("Relayed and own-key-signed events")
struct RelayTests {
    static let policy = """
        version: 1
        name: relay
        groups: {sre: [bob], dba: [carol]}
        rules:
          - name: prod-db
            match: {environment: prod, action: [db.migrate]}
            require: {groups: {dba: 1}}
            own_key_votes: true
            ttl: 1h
          - name: prod
            match: {environment: prod}
            require: {groups: {sre: 1}}
            ttl: 1h
        """

    struct Team {
        let fixture: LedgerFixture
        let approvals: Approvals
        let server: Signer
        let carol: Signer

        static func make() async throws -> Team {
            let fixture = try await LedgerFixture.make()
            let server = Signer(identity: "ledger-server", key: try Ed25519PrivateKey())
            try await fixture.ledger.registerKey(
                server.key.publicKey, identity: "ledger-server", capabilities: [.append, .approve, .clock, .execute, .relay, .request],
                signer: fixture.root)
            let carol = Signer(identity: "carol", key: try Ed25519PrivateKey())
            try await fixture.ledger.registerKey(carol.key.publicKey, identity: "carol", capabilities: [.approve], signer: fixture.root)
            let approvals = Approvals(ledger: fixture.ledger)
            try await approvals.publish(try Policy(yaml: RelayTests.policy), signer: fixture.root)
            return Team(fixture: fixture, approvals: approvals, server: server, carol: carol)
        }

        /// Opens a request for deploy-bot, a service with a bearer token and no key.
        func open(_ action: String = "deploy", id: String = Approvals.newRequestID()) async throws -> RequestState {
            try await approvals.open(
                OpenRequest(requestID: id, action: action, resource: "svc/api", environment: "prod", summary: "ship it"),
                signer: server.speaking(for: "deploy-bot", origin: .relayed(via: "token:ci")))
        }

        /// `voter` signs a vote on `id` at `version` with `key`, as a client of the server does.
        func signedVote(_ id: String, voter: String, key: Ed25519PrivateKey, version: Int64, time: Timestamp? = nil, nonce: String = UUID().uuidString) throws -> Signer {
            let time = time ?? fixture.clock.now()
            let command = ApprovalCommand.vote(VoteCommand(approve: true, reason: "reviewed", claimedIdentity: voter, requestVersion: version))
            let unsigned = CommandSignature(keyID: key.publicKey.keyID, nonce: nonce, time: time, signature: [])
            let hash = try #require(command.statementHash(of: unsigned, ledgerID: fixture.ledger.ledgerID, stream: id))
            let signature = try key.signature(for: hash.bytes)
            return server.speaking(for: voter, origin: .signed(CommandSignature(keyID: key.publicKey.keyID, nonce: nonce, time: time, signature: signature)))
        }
    }

    @Test("A relayed open and an own-key-signed vote are recorded as the callers', the grant as the relay's, and verify clean")
    func relayedOpenSignedVote() async throws {
        let team = try await Team.make()
        let request = try await team.open()
        let voter = try team.signedVote(request.id, voter: "bob", key: team.fixture.bob.key, version: request.version)
        let state = try await team.approvals.approve(request.id, reason: "reviewed", signer: voter, requestVersion: request.version)
        #expect(state.status == .granted)

        let events = try await team.fixture.ledger.events(stream: request.id)
        #expect(events.map(\.envelope.type) == ["request.opened", "vote.cast", "request.granted"])
        #expect(events[0].envelope.actor == "deploy-bot")
        #expect(events[0].envelope.origin == .relayed(via: "token:ci"))
        #expect(events[1].envelope.actor == "bob")
        #expect(events[1].envelope.keyID == team.server.key.publicKey.keyID)
        let command = try #require(events[1].envelope.origin?.command)
        #expect(command.keyID == team.fixture.bob.key.publicKey.keyID)
        #expect(events[1].envelope.idempotencyKey == command.idempotencyKey)
        #expect(events[2].envelope.actor == "ledger-server")
        #expect(events[2].envelope.origin == nil)
        let report = try team.fixture.verify()
        #expect(report.isVerified(), "\(report.findings)")
    }

    @Test("A signed command is refused when replayed, signed by another key, stale, or voting without the version seen; nothing is written")
    func signedCommandRefusals() async throws {
        let team = try await Team.make()
        let request = try await team.open()
        let head = try await team.fixture.ledger.head().size
        let forged = try team.signedVote(request.id, voter: "bob", key: team.fixture.alice.key, version: request.version)
        await #expect(throws: LedgerError.self) { try await team.approvals.approve(request.id, reason: "reviewed", signer: forged, requestVersion: request.version) }
        let stale = try team.signedVote(request.id, voter: "bob", key: team.fixture.bob.key, version: request.version, time: TestClock.start.adding(milliseconds: -3_600_000))
        let staleError = await #expect(throws: LedgerError.self) {
            try await team.approvals.approve(request.id, reason: "reviewed", signer: stale, requestVersion: request.version)
        }
        #expect(staleError?.code == .commandStale)
        let unversioned = try team.signedVote(request.id, voter: "bob", key: team.fixture.bob.key, version: request.version)
        let versionError = await #expect(throws: ApprovalError.self) { try await team.approvals.approve(request.id, reason: "reviewed", signer: unversioned) }
        #expect(versionError?.code == "invalid-request")
        #expect(try await team.fixture.ledger.head().size == head)

        let voter = try team.signedVote(request.id, voter: "bob", key: team.fixture.bob.key, version: request.version, nonce: "n-1")
        _ = try await team.approvals.approve(request.id, reason: "reviewed", signer: voter, requestVersion: request.version)
        let replay = await #expect(throws: LedgerError.self) {
            try await team.approvals.approve(request.id, reason: "reviewed", signer: voter, requestVersion: request.version)
        }
        #expect(replay?.code == .commandReplayed)
        #expect(try team.fixture.verify().isVerified())
    }

    @Test("A key without the relay capability cannot speak for anyone")
    func relayNeedsTheCapability() async throws {
        let team = try await Team.make()
        let error = await #expect(throws: LedgerError.self) {
            try await team.fixture.ledger.append(
                EventDraft(type: "deploy.note", stream: "svc", payload: [:]),
                signer: team.fixture.alice.speaking(for: "bob", origin: .relayed(via: "token:x")))
        }
        #expect(error?.code == .keyNotAllowed)
    }

    @Test("Where a rule counts only own-key votes, a relayed vote is refused and recorded; the signed one counts")
    func ownKeyVotes() async throws {
        let team = try await Team.make()
        let request = try await team.open("db.migrate")
        try await team.fixture.ledger.link(account: "slack:T1/U2", identity: "carol", signer: team.fixture.root)
        let relayed = await #expect(throws: ApprovalError.self) {
            try await team.approvals.chatVote(
                request.id, ChatVote(account: "slack:T1/U2", approve: true, reason: "ok", evidence: ["team": "T1", "user": "U2"], idempotencyKey: "slack:1"),
                relay: team.server)
        }
        #expect(relayed?.code == "own-key-required")
        #expect(relayed?.recorded == true)
        let now = try #require(try await team.approvals.request(request.id))
        let voter = try team.signedVote(request.id, voter: "carol", key: team.carol.key, version: now.version)
        let state = try await team.approvals.approve(request.id, reason: "reviewed", signer: voter, requestVersion: now.version)
        #expect(state.status == .granted)
        #expect(try team.fixture.verify().isVerified())
    }

    @Test("A raw append signed by the caller records the format's append statement and verifies")
    func signedRawAppend() async throws {
        let team = try await Team.make()
        let payload: JSONValue = ["note": "canary at 5%"]
        let time = team.fixture.clock.now()
        let unsigned = CommandSignature(keyID: team.fixture.alice.key.publicKey.keyID, nonce: "n-append", time: time, signature: [])
        let hash = CommandStatement.hash(
            of: unsigned, ledgerID: team.fixture.ledger.ledgerID, stream: "svc-api", command: CommandStatement.appendCommand,
            arguments: CommandStatement.appendArguments(type: "deploy.note", payloadHash: SHA256.hash(CanonicalJSON.encode(payload))))
        let signed = CommandSignature(keyID: unsigned.keyID, nonce: unsigned.nonce, time: time, signature: try team.fixture.alice.key.signature(for: hash.bytes))
        let event = try await team.fixture.ledger.append(
            EventDraft(type: "deploy.note", stream: "svc-api", payload: payload), signer: team.server.speaking(for: "alice", origin: .signed(signed)))
        #expect(event.envelope.origin?.command?.hash == hash)
        #expect(try team.fixture.verify().isVerified())
    }
}
