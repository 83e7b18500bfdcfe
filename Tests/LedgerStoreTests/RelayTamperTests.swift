import ApprovalLedger
import Foundation
import GRDB
import TestSupport
import Testing

/// Attacks on relayed events, written the way an attacker with write access to the file would:
/// rows inserted straight into SQLite, signed as docs/FORMAT.md §Origin says, with only the keys
/// the threat model gives them. Each must fail `ledger verify` with its own finding.
@Suite("Relayed-event tampering")
struct RelayTamperTests {
    typealias Team = RelayTests.Team

    /// Inserts an event at the head carrying `origin`, signed by `key`, bypassing the appender.
    @discardableResult
    static func forge(
        _ team: Team, type: String, stream: String, actor: String, key: Ed25519PrivateKey, payload: JSONValue,
        origin: EventOrigin?, idempotencyKey: String? = nil
    ) async throws -> Int64 {
        let fixture = team.fixture
        let head = try await fixture.ledger.head()
        let streamVersion = Int64(try await fixture.ledger.events(stream: stream).count + 1)
        let payloadBytes = CanonicalJSON.encode(payload)
        let envelope = EventEnvelope(
            seq: head.size + 1, type: type, stream: stream, streamVersion: streamVersion, actor: actor, keyID: key.publicKey.keyID,
            time: head.time.adding(milliseconds: 1000), previousHash: head.hash, payloadHash: SHA256.hash(payloadBytes),
            idempotencyKey: idempotencyKey ?? origin?.command?.idempotencyKey, origin: origin)
        let event = try RecordedEvent.seal(envelope, payloadBytes: payloadBytes, signer: key)
        try fixture.tamper(
            "INSERT INTO events (seq, hash, prev_hash, stream, stream_version, type, actor, key_id, time, idempotency_key, envelope, signature) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            arguments: [
                envelope.seq, Data(event.hash.bytes), Data(envelope.previousHash.bytes), stream, streamVersion, type, actor,
                envelope.keyID.rawValue, envelope.time.description, envelope.idempotencyKey, Data(event.envelopeBytes), Data(event.signature),
            ])
        try fixture.tamper("INSERT INTO payloads (seq, bytes) VALUES (?, ?)", arguments: [envelope.seq, Data(payloadBytes)])
        return envelope.seq
    }

    /// The signed origin a client would send for `command` on `stream`, by `key`.
    static func signed(_ team: Team, _ command: ApprovalCommand, stream: String, key: Ed25519PrivateKey, time: Timestamp, nonce: String = UUID().uuidString) throws -> EventOrigin {
        let unsigned = CommandSignature(keyID: key.publicKey.keyID, nonce: nonce, time: time, signature: [])
        let hash = try #require(command.statementHash(of: unsigned, ledgerID: team.fixture.ledger.ledgerID, stream: stream))
        var signature = CommandSignature(keyID: key.publicKey.keyID, nonce: nonce, time: time, signature: try key.signature(for: hash.bytes))
        // What the envelope records: the hash beside the signature (the appender fills it in).
        signature.hash = hash
        return .signed(signature)
    }

    static func vote(_ decision: String, version: Int64) -> JSONValue {
        ["decision": .string(decision), "reason": "reviewed", "requestVersion": .integer(version)]
    }

    @Test("A key without the relay capability (alice's) appends for bob with a made-up relayed origin: relay-not-authorized")
    func forgedRelay() async throws {
        let team = try await Team.make()
        let seq = try await Self.forge(team, type: "deploy.note", stream: "svc", actor: "bob", key: team.fixture.alice.key, payload: [:], origin: .relayed(via: "token:ci"))
        let report = try team.fixture.verify()
        #expect(report.has(.relayNotAuthorized, seq: seq), "\(report.findings)")
        #expect(!report.isVerified())
    }

    @Test("With the server's key, a relayed vote for carol on a prod migration (own_key_votes) and the grant it would give: vote-not-allowed, decision-unjustified")
    func relayedVoteWhereTheRuleRequiresOwnKey() async throws {
        let team = try await Team.make()
        let request = try await team.open("db.migrate")
        let vote = try await Self.forge(
            team, type: "vote.cast", stream: request.id, actor: "carol", key: team.server.key,
            payload: Self.vote("approve", version: request.version), origin: .relayed(via: "slack:T1/U2"))
        let report = try team.fixture.verify()
        #expect(report.has(.voteNotAllowed, seq: vote), "\(report.findings)")
        #expect(!report.isVerified())
    }

    @Test("bob's signed approval replayed by the relay as a second vote (new idempotency key), and on another request: command-invalid, command-mismatch")
    func replayedSignedCommand() async throws {
        let team = try await Team.make()
        let first = try await team.open()
        let other = try await team.open()
        let command = ApprovalCommand.vote(VoteCommand(approve: true, reason: "reviewed", claimedIdentity: "bob", requestVersion: first.version))
        let head = try await team.fixture.ledger.head()
        let origin = try Self.signed(team, command, stream: first.id, key: team.fixture.bob.key, time: head.time)
        let cast = try await Self.forge(team, type: "vote.cast", stream: first.id, actor: "bob", key: team.server.key, payload: Self.vote("approve", version: first.version), origin: origin)
        // The original is bob's, as signed (its grant is missing, which is the rules' finding).
        let attribution: Set<FindingCode> = [.commandInvalid, .commandMismatch, .commandStale, .commandSignatureInvalid, .relayNotAuthorized]
        #expect(!(try team.fixture.verify().findings.contains { $0.seq == cast && attribution.contains($0.code) }))
        let elsewhere = try await Self.forge(
            team, type: "vote.cast", stream: other.id, actor: "bob", key: team.server.key, payload: Self.vote("approve", version: other.version),
            origin: origin, idempotencyKey: "replay-1")
        let report = try team.fixture.verify()
        #expect(report.has(.commandInvalid, seq: elsewhere), "\(report.findings)")
        #expect(report.has(.commandMismatch, seq: elsewhere), "\(report.findings)")
    }

    @Test("bob signed an approval; the relay records a deny under his signature: command-mismatch")
    func alteredSignedVote() async throws {
        let team = try await Team.make()
        let request = try await team.open()
        let head = try await team.fixture.ledger.head()
        let command = ApprovalCommand.vote(VoteCommand(approve: true, reason: "reviewed", claimedIdentity: "bob", requestVersion: request.version))
        let origin = try Self.signed(team, command, stream: request.id, key: team.fixture.bob.key, time: head.time)
        let seq = try await Self.forge(team, type: "vote.cast", stream: request.id, actor: "bob", key: team.server.key, payload: Self.vote("deny", version: request.version), origin: origin)
        let report = try team.fixture.verify()
        #expect(report.has(.commandMismatch, seq: seq), "\(report.findings)")
    }

    @Test("A signed command recorded an hour after it was signed: command-stale; signed with alice's key for bob: command-signature-invalid")
    func staleAndWrongKey() async throws {
        let team = try await Team.make()
        let request = try await team.open()
        let head = try await team.fixture.ledger.head()
        let command = ApprovalCommand.vote(VoteCommand(approve: true, reason: "reviewed", claimedIdentity: "bob", requestVersion: request.version))
        let old = try Self.signed(team, command, stream: request.id, key: team.fixture.bob.key, time: head.time.adding(milliseconds: -3_600_000))
        let stale = try await Self.forge(team, type: "vote.cast", stream: request.id, actor: "bob", key: team.server.key, payload: Self.vote("approve", version: request.version), origin: old)
        let wrong = try Self.signed(team, .comment("hi"), stream: request.id, key: team.fixture.alice.key, time: head.time)
        let forged = try await Self.forge(team, type: "request.commented", stream: request.id, actor: "bob", key: team.server.key, payload: ["text": "hi"], origin: wrong)
        let report = try team.fixture.verify()
        #expect(report.has(.commandStale, seq: stale), "\(report.findings)")
        #expect(report.has(.commandSignatureInvalid, seq: forged), "\(report.findings)")
    }
}
