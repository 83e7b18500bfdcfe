@testable import ApprovalLedger
import Foundation
import Testing

/// Events that are validly signed and correctly chained but break the policy: only replaying
/// every request under its policy finds them. Each test forges what an insider with a valid
/// key and write access to the file could add, and asserts the finding code and seq.
@Suite("Verify replays every decision under its policy")
struct ConformanceTamperTests {
    static let policy = """
        version: 1
        name: two-sre
        groups: {sre: [bob, carol], leads: [erin]}
        rules:
          - name: emergency
            match: {action: cache.purge}
            require: {groups: {sre: 1}}
            ttl: 1h
            break_glass: {review_within: 2h, reviewers: [leads]}
          - name: prod
            match: {environment: prod}
            require: {groups: {sre: 2}}
            ttl: 1h
            grant: {ttl: 30m, one_shot: true}
          - name: staging
            match: {environment: staging}
            require: {groups: {sre: 1}}
            ttl: 1h
            grant: {ttl: 30m, one_shot: true}
        """

    /// A ledger with the policy published, alice (requester), bob and carol (SRE approvers),
    /// dave (may request and approve, but in no group) and erin (lead).
    struct World {
        let fixture: LedgerFixture
        let approvals: Approvals
        let carol: Signer
        let dave: Signer
        let erin: Signer

        static func make() async throws -> World {
            let fixture = try await LedgerFixture.make()
            let carol = Signer(identity: "carol", key: try Ed25519PrivateKey())
            let dave = Signer(identity: "dave", key: try Ed25519PrivateKey())
            let erin = Signer(identity: "erin", key: try Ed25519PrivateKey())
            for signer in [carol, dave, erin] {
                try await fixture.ledger.registerKey(signer.key.publicKey, identity: signer.identity, capabilities: [.request, .approve, .execute], signer: fixture.root)
            }
            let approvals = Approvals(ledger: fixture.ledger)
            try await approvals.publish(try Policy(yaml: policy), signer: fixture.root)
            return World(fixture: fixture, approvals: approvals, carol: carol, dave: dave, erin: erin)
        }

        func open(_ id: String, environment: String = "prod", action: String = "deploy", summary: String = "ship v2") async throws -> RequestState {
            try await approvals.open(
                OpenRequest(requestID: id, action: action, resource: "svc/api", environment: environment, summary: summary), signer: fixture.alice)
        }

        func vote(_ id: String, version: Int64, approve: Bool = true, reason: String = "ok") -> JSONValue {
            ["decision": .string(approve ? "approve" : "deny"), "reason": .string(reason), "requestVersion": .integer(version)]
        }

        func verify(now: Timestamp? = nil) throws -> VerificationReport {
            try Verifier(now: now).verify(fixture.ledger)
        }
    }

    @Test func workflowLedgerVerifiesClean() async throws {
        let world = try await World.make()
        let request = try await world.open("req-1")
        try await world.approvals.approve(request.id, reason: "ok", signer: world.fixture.bob)
        try await world.approvals.approve(request.id, reason: "ok", signer: world.carol)
        try await world.approvals.execute(request.id, succeeded: true, signer: world.dave)
        _ = try? await world.approvals.approve(request.id, reason: "late", signer: world.dave)
        let report = try world.verify()
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.requests == 1)
        #expect(report.eventsReplayed == 6)
    }

    @Test func approvalFromAnIdentityOutsideTheRequiredGroup() async throws {
        let world = try await World.make()
        _ = try await world.open("req-1")
        let seq = try await world.fixture.forge(type: "vote.cast", stream: "req-1", streamVersion: 2, actor: "dave", key: world.dave.key, payload: world.vote("req-1", version: 1))
        let report = try world.verify()
        #expect(report.has(.voteNotAllowed, seq: seq), "\(report.findings)")
        #expect(report.findings.first { $0.code == .voteNotAllowed }?.requestID == "req-1")
        #expect(!report.isVerified())
    }

    @Test func approvalSignedByAKeyBoundToAnotherIdentity() async throws {
        let world = try await World.make()
        _ = try await world.open("req-1")
        let seq = try await world.fixture.forge(type: "vote.cast", stream: "req-1", streamVersion: 2, actor: "bob", key: world.dave.key, payload: world.vote("req-1", version: 1))
        #expect(try world.verify().has(.keyIdentityMismatch, seq: seq))
    }

    @Test func grantInsertedBeforeTheThresholdsWereMet() async throws {
        let world = try await World.make()
        let request = try await world.open("req-1")
        try await world.approvals.approve(request.id, reason: "ok", signer: world.fixture.bob)
        let seq = try await world.fixture.forge(
            type: "request.granted", stream: "req-1", streamVersion: 3, actor: "bob", key: world.fixture.bob.key,
            payload: ["rule": "prod", "automatic": false, "approvers": ["bob"], "explanation": "granted"])
        #expect(try world.verify().has(.decisionUnjustified, seq: seq))
    }

    @Test func grantExecutedTwice() async throws {
        let world = try await World.make()
        let request = try await world.open("req-1", environment: "staging")
        try await world.approvals.approve(request.id, reason: "ok", signer: world.fixture.bob)
        try await world.approvals.execute(request.id, succeeded: true, signer: world.dave)
        let seq = try await world.fixture.forge(
            type: "execution.reported", stream: "req-1", streamVersion: 5, actor: "dave", key: world.dave.key,
            payload: ["outcome": "succeeded", "grantId": "req-1/grant"])
        #expect(try world.verify().has(.executionNotAllowed, seq: seq))
    }

    @Test func voteThatMetTheThresholdsWithoutItsGrant() async throws {
        let world = try await World.make()
        _ = try await world.open("req-1", environment: "staging")
        let seq = try await world.fixture.forge(type: "vote.cast", stream: "req-1", streamVersion: 2, actor: "bob", key: world.fixture.bob.key, payload: world.vote("req-1", version: 1))
        #expect(try world.verify().has(.decisionMissing, seq: seq))
    }

    @Test func rejectedAttemptThatThePolicyAllowed() async throws {
        let world = try await World.make()
        _ = try await world.open("req-1")
        let seq = try await world.fixture.forge(
            type: "vote.rejected", stream: "req-1", streamVersion: 2, actor: "bob", key: world.fixture.bob.key,
            payload: ["attempted": "approve", "code": "not-eligible", "explanation": "bob is not in any group", "claimedIdentity": "bob", "reason": "ok", "requestVersion": 1])
        #expect(try world.verify().has(.rejectionUnfounded, seq: seq))
    }

    @Test func cancelByAnotherIdentity() async throws {
        let world = try await World.make()
        _ = try await world.open("req-1")
        let seq = try await world.fixture.forge(
            type: "request.cancelled", stream: "req-1", streamVersion: 2, actor: "dave", key: world.dave.key,
            payload: ["reason": "no", "explanation": "cancelled by dave: no"])
        #expect(try world.verify().has(.commandRefused, seq: seq))
    }

    @Test func eventWithContentTheRulesDoNotProduce() async throws {
        let world = try await World.make()
        _ = try await world.open("req-1")
        let seq = try await world.fixture.forge(
            type: "request.commented", stream: "req-1", streamVersion: 2, actor: "alice", key: world.fixture.alice.key,
            payload: ["text": "fine", "approvedBy": "everyone"])
        #expect(try world.verify().has(.decisionMismatch, seq: seq))
    }

    @Test func projectionRowEdited() async throws {
        let world = try await World.make()
        let request = try await world.open("req-1")
        try await world.approvals.approve(request.id, reason: "ok", signer: world.fixture.bob)
        #expect(try world.verify(now: TestClock.start).checks.contains("projections"))
        try world.fixture.tamper("UPDATE requests SET status = 'granted' WHERE request_id = 'req-1'")
        let report = try world.verify(now: TestClock.start)
        #expect(report.has(.projectionMismatch, seq: nil), "\(report.findings)")
        _ = try await world.fixture.ledger.rebuildProjections()
        #expect(try world.verify(now: TestClock.start).findings.isEmpty)
    }

    @Test func recordedProjectionDigestChanged() async throws {
        let world = try await World.make()
        _ = try await world.open("req-1")
        let rebuild = try await world.fixture.ledger.rebuildProjections()
        #expect(try world.verify(now: TestClock.start).findings.isEmpty)
        try world.fixture.tamper("UPDATE projection_digest SET digest = ?", arguments: [String(repeating: "0", count: 64)])
        let report = try world.verify(now: TestClock.start)
        #expect(report.findings.contains { $0.code == .projectionDigestMismatch }, "\(report.findings) \(rebuild)")
    }

    @Test func requestPayloadThatMatchesItsHashButIsNotJSON() async throws {
        let world = try await World.make()
        _ = try await world.open("req-1")
        let seq = try await world.fixture.forge(
            type: "request.commented", stream: "req-1", streamVersion: 2, actor: "alice", key: world.fixture.alice.key, rawPayload: Array("{text".utf8))
        #expect(try world.verify().has(.payloadMismatch, seq: seq))
    }

    @Test func workflowEventsOutsideARequest() async throws {
        let world = try await World.make()
        let seq = try await world.fixture.forge(type: "vote.cast", stream: "req-ghost", streamVersion: 1, actor: "bob", key: world.fixture.bob.key, payload: world.vote("req-ghost", version: 1))
        #expect(try world.verify().has(.requestInvalid, seq: seq))
    }

    @Test func policyContentChangedAfterPublication() async throws {
        let world = try await World.make()
        let policySeq = try #require(try await world.fixture.ledger.events(stream: "$policy").first?.envelope.seq)
        try world.fixture.tamper("UPDATE payloads SET bytes = CAST(replace(CAST(bytes AS TEXT), '\"sre\":2', '\"sre\":1') AS BLOB) WHERE seq = ?", arguments: [policySeq])
        #expect(try world.verify().has(.payloadMismatch, seq: policySeq))

        // Re-signed by the admin key with the changed content but the original hash: the
        // chain and signature hold, the stated hash does not.
        var content = try Policy(yaml: Self.policy).jsonValue
        if case .object(var top) = content, case .array(var rules)? = top["rules"], case .object(var rule) = rules[1] {
            #expect(rule["name"]?.stringValue == "prod")
            rule["require"] = ["groups": ["sre": 1], "total": 1]
            rules[1] = .object(rule)
            top["rules"] = .array(rules)
            content = .object(top)
        }
        let forged = try await world.fixture.forge(
            type: "policy.published", stream: "$policy", streamVersion: 2, actor: "root", key: world.fixture.root.key,
            payload: ["name": "two-sre", "hash": .string(try Policy(yaml: Self.policy).contentHash.hex), "content": content])
        #expect(try world.verify().has(.policyInvalid, seq: forged))
    }

    @Test func eventDuplicatedAtTheHead() async throws {
        let world = try await World.make()
        let request = try await world.open("req-1")
        try await world.approvals.approve(request.id, reason: "ok", signer: world.fixture.bob)
        let head = try await world.fixture.ledger.head()
        try world.fixture.tamper("""
            INSERT INTO events (seq, hash, prev_hash, stream, stream_version, type, actor, key_id, time, envelope, signature)
            SELECT seq + 1, hash, prev_hash, stream, stream_version + 1, type, actor, key_id, time, envelope, signature FROM events WHERE seq = ?
            """, arguments: [head.size])
        let report = try world.verify()
        #expect(report.has(.chainBroken, seq: head.size + 1))
        #expect(report.has(.columnMismatch, seq: head.size + 1))
    }

    @Test func pendingPastItsDeadlineIsAWarningUntilTicked() async throws {
        let world = try await World.make()
        let request = try await world.open("req-1")
        let later = request.deadline.adding(milliseconds: 1)
        let report = try world.verify(now: later)
        #expect(report.has(.requestOverdue, seq: request.openedSeq))
        #expect(report.isVerified() && !report.isVerified(strict: true))
        // Time passes (a tick may not date its events ahead of its clock).
        world.fixture.clock.advance(seconds: 3 * 3600)
        try await world.approvals.tick(signer: world.fixture.root)
        #expect(try world.verify(now: later).findings.isEmpty)
    }

    @Test func breakGlassReviewOverdueThenClosedLate() async throws {
        let world = try await World.make()
        let request = try await world.approvals.bypass(
            OpenRequest(requestID: "req-bg", action: "cache.purge", resource: "cdn", environment: "prod", summary: "purge"),
            reason: "outage", signer: world.fixture.alice)
        let reviewDeadline = try #require(request.review?.deadline)
        #expect(try world.verify(now: reviewDeadline).findings.isEmpty)
        let late = reviewDeadline.adding(milliseconds: 60_000)
        #expect(try world.verify(now: late).has(.reviewOverdue, seq: request.openedSeq + 1))

        world.fixture.clock.advance(seconds: 3 * 3600)
        let reviewed = try await world.approvals.closeReview(request.id, accepted: true, reason: "justified", signer: world.erin)
        let report = try world.verify(now: late)
        let closedSeq = try await world.fixture.ledger.head().size
        #expect(reviewed.review?.closedAt != nil)
        #expect(report.has(.reviewLate, seq: closedSeq))
        #expect(!report.findings.contains { $0.code == .reviewOverdue })
    }

    @Test func requestWithoutASummaryIsIncomplete() async throws {
        let world = try await World.make()
        // `Approvals` now refuses a blank summary; an older ledger could hold one, so the
        // request is opened past that check, as it was then.
        let request = try #require(try await world.fixture.ledger.transaction { tx in
            try CommandTransaction(tx: tx, lookup: PolicyLookup(tx: tx)).apply(
                "req-1", .open(OpenRequest(requestID: "req-1", action: "deploy", resource: "svc/api", environment: "prod", summary: "")),
                signer: world.fixture.alice).state
        })
        let report = try world.verify()
        #expect(report.has(.requestIncomplete, seq: request.openedSeq))
        #expect(report.isVerified() && !report.isVerified(strict: true))
    }
}

@Suite("Verify with bounded memory and from a trusted checkpoint")
struct IncrementalVerifyTests {
    typealias World = ConformanceTamperTests.World

    /// Five requests voted on in interleaved order, so a walk that keeps two streams in memory
    /// must re-read the others from the ledger.
    static func interleaved() async throws -> World {
        let world = try await World.make()
        for index in 1...5 { _ = try await world.open("req-\(index)", environment: "staging") }
        for index in [3, 1, 5, 2, 4] { try await world.approvals.approve("req-\(index)", reason: "ok", signer: world.fixture.bob) }
        return world
    }

    @Test func forgettingStreamsChangesNothing() async throws {
        let world = try await Self.interleaved()
        let seq = try await world.fixture.forge(type: "vote.cast", stream: "req-1", streamVersion: 4, actor: "dave", key: world.dave.key, payload: world.vote("req-1", version: 3))
        try await world.approvals.execute("req-2", succeeded: true, signer: world.dave)
        var small = Verifier()
        small.streamsInMemory = 2
        let bounded = try small.verify(world.fixture.ledger)
        let full = try Verifier().verify(world.fixture.ledger)
        // The forged row also bypassed the projections, which verify reports too.
        #expect(full.errors.map(\.0) == [.voteNotAllowed, .projectionMismatch] && full.has(.voteNotAllowed, seq: seq), "\(full.findings)")
        #expect(bounded.findings == full.findings)
    }

    /// A settled request leaves memory at once; events that still come for it are checked
    /// against its stream read back from the ledger.
    @Test func eventsAfterARequestSettledAreStillReplayed() async throws {
        let world = try await World.make()
        let shipped = try await world.open("req-1", environment: "staging")
        try await world.approvals.approve(shipped.id, reason: "ok", signer: world.fixture.bob)
        try await world.approvals.execute(shipped.id, succeeded: true, signer: world.dave)
        let refused = try await world.open("req-2", environment: "staging")
        try await world.approvals.deny(refused.id, reason: "not now", signer: world.fixture.bob)
        _ = try await world.approvals.comment(shipped.id, "shipped at 14:02", signer: world.carol)
        _ = try? await world.approvals.execute(shipped.id, succeeded: true, signer: world.dave)
        _ = try? await world.approvals.approve(refused.id, reason: "late", signer: world.carol)
        let clean = try world.verify()
        #expect(clean.findings.isEmpty, "\(clean.findings)")
        #expect(clean.eventsReplayed == 10)

        let seq = try await world.fixture.forge(
            type: "execution.reported", stream: "req-2", streamVersion: 5, actor: "dave", key: world.dave.key,
            payload: ["outcome": "succeeded", "grantId": "req-2/grant"])
        #expect(try world.verify().has(.executionNotAllowed, seq: seq))
    }

    @Test func sinceCheckpointVerifiesOnlyWhatCameAfter() async throws {
        let world = try await Self.interleaved()
        let checkpoint = try await world.fixture.ledger.checkpoint(signer: world.fixture.root)
        try await world.approvals.execute("req-1", succeeded: true, signer: world.dave)
        _ = try await world.open("req-6")
        let report = try Verifier(now: TestClock.start).verify(world.fixture.ledger, sinceCheckpoint: checkpoint)
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.firstSeq == checkpoint.size + 1)
        #expect(report.events == 2)

        let forged = try await world.fixture.forge(
            type: "execution.reported", stream: "req-1", streamVersion: 5, actor: "dave", key: world.dave.key,
            payload: ["outcome": "succeeded", "grantId": "req-1/grant"])
        #expect(try Verifier().verify(world.fixture.ledger, sinceCheckpoint: checkpoint).has(.executionNotAllowed, seq: forged))

        try world.fixture.tamper("UPDATE events SET envelope = CAST(replace(CAST(envelope AS TEXT), 'req-4', 'req-9') AS BLOB) WHERE seq = ?", arguments: [checkpoint.size])
        #expect(try Verifier().verify(world.fixture.ledger, sinceCheckpoint: checkpoint).has(.anchorMismatch, seq: checkpoint.size))
    }
}
