import ApprovalLedger
import Foundation
import GRDB
import TestSupport
import Testing

/// Each test tampers with a real ledger file the way an attacker with write access could, and
/// asserts that `Verifier` reports it with the right code at the right seq.
@Suite("Verify finds tampering")
struct TamperTests {
    /// A ledger of 3 setup events (genesis, alice, bob) and 7 notes: seq 1…10.
    static func tenEvents() async throws -> LedgerFixture {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(7)
        #expect(try fixture.verify().isVerified())
        return fixture
    }

    @Test func untouchedLedgerVerifiesAndSummarises() async throws {
        let fixture = try await Self.tenEvents()
        let report = try fixture.verify()
        #expect(report.isVerified())
        #expect(report.events == 10)
        #expect(report.signaturesChecked == 10)
        #expect(report.keysSeen == 3)
        #expect(report.ledgerID == fixture.ledger.ledgerID)
        #expect(report.headHash == (try await fixture.ledger.head()).hash.hex)
        #expect(report.findings.isEmpty)
    }

    @Test func oneByteOfAStoredEnvelopeChanged() async throws {
        let fixture = try await Self.tenEvents()
        try fixture.tamper("UPDATE events SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), '\"n\"', '\"n\"') AS BLOB) WHERE seq = 6")
        try fixture.tamper("UPDATE events SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), 'svc-payments', 'svc-paymentz') AS BLOB) WHERE seq = 6")
        let report = try fixture.verify()
        #expect(!report.isVerified())
        #expect(report.has(.hashMismatch, seq: 6))
        #expect(report.has(.signatureInvalid, seq: 6))
        #expect(report.has(.chainBroken, seq: 7))
    }

    @Test func payloadByteChanged() async throws {
        let fixture = try await Self.tenEvents()
        try fixture.tamper("UPDATE payloads SET bytes = CAST('{\"n\":9}' AS BLOB) WHERE seq = 5")
        let report = try fixture.verify()
        #expect(report.errors.map(\.0) == [.payloadMismatch])
        #expect(report.has(.payloadMismatch, seq: 5))
    }

    @Test func hashColumnChanged() async throws {
        let fixture = try await Self.tenEvents()
        try fixture.tamper("UPDATE events SET hash = zeroblob(32) WHERE seq = 4")
        let report = try fixture.verify()
        #expect(report.errors.map(\.0) == [.hashMismatch])
        #expect(report.has(.hashMismatch, seq: 4))
    }

    @Test func indexedColumnEdited() async throws {
        let fixture = try await Self.tenEvents()
        try fixture.tamper("UPDATE events SET actor = 'bob' WHERE seq = 8")
        let report = try fixture.verify()
        #expect(report.errors.map(\.0) == [.columnMismatch])
        #expect(report.has(.columnMismatch, seq: 8))
    }

    @Test func middleEventDeleted() async throws {
        let fixture = try await Self.tenEvents()
        try fixture.tamper("DELETE FROM payloads WHERE seq = 5")
        try fixture.tamper("DELETE FROM events WHERE seq = 5")
        let report = try fixture.verify()
        #expect(report.has(.seqGap, seq: 6))
        #expect(!report.isVerified())
    }

    @Test func twoEventsSwapped() async throws {
        let fixture = try await Self.tenEvents()
        let columns = "hash, prev_hash, stream, stream_version, type, actor, key_id, time, idempotency_key, correlation_id, envelope, signature"
        try fixture.tamper("CREATE TABLE swap AS SELECT seq, \(columns) FROM events WHERE seq IN (5, 6)")
        try fixture.tamper("DELETE FROM events WHERE seq IN (5, 6)")
        try fixture.tamper("INSERT INTO events (seq, \(columns)) SELECT 11 - seq, \(columns) FROM swap")
        try fixture.tamper("UPDATE payloads SET seq = -seq WHERE seq IN (5, 6)")
        try fixture.tamper("UPDATE payloads SET seq = 11 + seq WHERE seq IN (-5, -6)")
        let report = try fixture.verify()
        #expect(report.has(.columnMismatch, seq: 5))
        #expect(report.has(.chainBroken, seq: 5))
        #expect(report.has(.chainBroken, seq: 6))
        #expect(!report.has(.signatureInvalid, seq: 5), "each event keeps its own valid signature")
    }

    @Test func signatureMovedToAnotherEvent() async throws {
        let fixture = try await Self.tenEvents()
        try fixture.tamper("UPDATE events SET signature = (SELECT signature FROM events WHERE seq = 9) WHERE seq = 7")
        let report = try fixture.verify()
        #expect(report.errors.map(\.0) == [.signatureInvalid])
        #expect(report.has(.signatureInvalid, seq: 7))
    }

    @Test func tailTruncatedIsFoundAgainstAnEarlierCheckpoint() async throws {
        let fixture = try await Self.tenEvents()
        let checkpoint = try await fixture.ledger.checkpoint(signer: fixture.bob)
        #expect(try fixture.verify(anchors: [checkpoint]).isVerified())
        try fixture.tamper("DELETE FROM payloads WHERE seq > 8")
        try fixture.tamper("DELETE FROM events WHERE seq > 8")
        // A careful attacker also cuts the derived tree back to 8 events (8 − popcount(8) rows).
        try fixture.tamper("DROP TRIGGER merkle_nodes_are_immutable_delete; DELETE FROM merkle_nodes WHERE pos >= 7")
        #expect(try fixture.verify().isVerified(), "without an anchor, truncation is invisible: that is why checkpoints exist")
        let report = try fixture.verify(anchors: [checkpoint])
        #expect(report.errors.map(\.0) == [.anchorAhead])
    }

    @Test func rewrittenHistoryDisagreesWithTheAnchor() async throws {
        let fixture = try await Self.tenEvents()
        let checkpoint = try await fixture.ledger.checkpoint(signer: fixture.bob)
        try fixture.tamper("UPDATE events SET hash = zeroblob(32) WHERE seq = 10")
        let report = try fixture.verify(anchors: [checkpoint])
        #expect(report.has(.hashMismatch, seq: 10))
        // The anchor compares against the recomputed hash, which still matches: only the column lied.
        #expect(!report.has(.anchorMismatch, seq: 10))
        // A real rewrite of the last event's content does break the anchor.
        try fixture.tamper("UPDATE events SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), 'svc-payments', 'svc-paymentz') AS BLOB) WHERE seq = 10")
        #expect(try fixture.verify(anchors: [checkpoint]).has(.anchorMismatch, seq: 10))
    }

    @Test func anchorFromAnotherLedgerIsForeign() async throws {
        let fixture = try await Self.tenEvents()
        let other = try await LedgerFixture.make()
        let foreign = try await other.ledger.checkpoint(signer: other.bob)
        #expect(try fixture.verify(anchors: [foreign]).errors.map(\.0) == [.anchorForeign])
    }

    @Test func eventSignedByAnUnregisteredKey() async throws {
        let fixture = try await Self.tenEvents()
        let seq = try await fixture.forge(actor: "mallory", key: try Ed25519PrivateKey())
        let report = try fixture.verify()
        #expect(report.errors.map(\.0) == [.keyUnknown])
        #expect(report.has(.keyUnknown, seq: seq))
    }

    @Test func eventSignedByAKeyAfterItsRevocation() async throws {
        let fixture = try await Self.tenEvents()
        try await fixture.ledger.revokeKey(fixture.alice.key.publicKey.keyID, reason: "compromised", signer: fixture.root)
        let seq = try await fixture.forge(actor: "alice", key: fixture.alice.key)
        let report = try fixture.verify()
        #expect(report.errors.map(\.0) == [.keyRevoked])
        #expect(report.has(.keyRevoked, seq: seq))
    }

    @Test func eventSignedByAKeyBoundToAnotherIdentity() async throws {
        let fixture = try await Self.tenEvents()
        let seq = try await fixture.forge(actor: "bob", key: fixture.alice.key)
        let report = try fixture.verify()
        #expect(report.errors.map(\.0) == [.keyIdentityMismatch])
        #expect(report.has(.keyIdentityMismatch, seq: seq))
    }

    @Test func eventBeyondTheKeysCapabilities() async throws {
        let fixture = try await Self.tenEvents()
        let seq = try await fixture.forge(type: "policy.published", stream: "$policy", actor: "alice", key: fixture.alice.key)
        #expect(try fixture.verify().has(.keyNotAuthorized, seq: seq))
    }

    @Test func eventInAReservedStream() async throws {
        let fixture = try await Self.tenEvents()
        let seq = try await fixture.forge(type: "deploy.note", stream: "$policy", actor: "root", key: fixture.root.key)
        let report = try fixture.verify()
        #expect(report.errors.map(\.0) == [.streamInvalid])
        #expect(report.has(.streamInvalid, seq: seq))
    }

    @Test func genesisReplaced() async throws {
        let fixture = try await Self.tenEvents()
        let attacker = try Ed25519PrivateKey()
        let genesis = Genesis(ledgerID: fixture.ledger.ledgerID, rootKey: KeyRegistration(publicKey: attacker.publicKey, identity: "root", capabilities: [.admin]))
        let payload = CanonicalJSON.encode(genesis.jsonValue)
        let original = try #require(try await fixture.ledger.events(from: 1, limit: 1).first)
        var envelope = original.envelope
        envelope.keyID = attacker.publicKey.keyID
        envelope.payloadHash = SHA256.hash(payload)
        let forged = try RecordedEvent.seal(envelope, payloadBytes: payload, signer: attacker)
        try fixture.tamper(
            "UPDATE events SET hash = ?, key_id = ?, envelope = ?, signature = ? WHERE seq = 1",
            arguments: [Data(forged.hash.bytes), envelope.keyID.rawValue, Data(forged.envelopeBytes), Data(forged.signature)])
        try fixture.tamper("UPDATE payloads SET bytes = ? WHERE seq = 1", arguments: [Data(payload)])
        let report = try fixture.verify()
        #expect(report.has(.chainBroken, seq: 2))
        #expect(report.has(.keyUnknown, seq: 2), "the real root key is no longer in the timeline")
    }

    @Test func firstEventThatIsNotAGenesis() async throws {
        let fixture = try await Self.tenEvents()
        try fixture.tamper("DELETE FROM payloads WHERE seq = 1")
        let report = try fixture.verify()
        #expect(report.has(.genesisInvalid, seq: 1))
    }

    @Test func payloadDeletedWithoutARecordIsAnError() async throws {
        let fixture = try await Self.tenEvents()
        try fixture.tamper("DELETE FROM payloads WHERE seq = 9")
        let report = try fixture.verify()
        #expect(!report.isVerified())
        #expect(report.has(.payloadMissing, seq: 9))
    }

    @Test func timeGoingBackwardsIsAnError() async throws {
        let fixture = try await Self.tenEvents()
        let seq = try await fixture.forge(stream: "late", actor: "alice", key: fixture.alice.key, timeShift: -60_000)
        let report = try fixture.verify()
        #expect(report.has(.timeRegression, seq: seq))
        #expect(!report.isVerified(), "a backdated event fails without --strict")
    }

    @Test func eventDatedAheadOfTheVerifiersClockIsAnError() async throws {
        let fixture = try await Self.tenEvents()
        // A year ahead of the fixture's clock, itself in the past: beyond the real clock too.
        let seq = try await fixture.forge(stream: "ahead", actor: "alice", key: fixture.alice.key, timeShift: 400 * 86_400_000)
        let report = try fixture.verify()
        #expect(report.has(.timeFuture, seq: seq))
        #expect(!report.isVerified())
    }

    @Test func envelopeThatIsNotCanonical() async throws {
        let fixture = try await Self.tenEvents()
        try fixture.tamper("UPDATE events SET envelope = CAST(REPLACE(CAST(envelope AS TEXT), ',\"seq\"', ', \"seq\"') AS BLOB) WHERE seq = 5")
        #expect(try fixture.verify().has(.envelopeInvalid, seq: 5))
    }

    @Test func streamVersionSkipped() async throws {
        let fixture = try await Self.tenEvents()
        _ = try await fixture.forge(stream: "svc-payments", streamVersion: 9, actor: "alice", key: fixture.alice.key)
        let report = try fixture.verify()
        #expect(report.errors.map(\.0) == [.streamVersionGap])
    }

    @Test func keyEventWithAnInvalidPayload() async throws {
        let fixture = try await Self.tenEvents()
        let seq = try await fixture.forge(type: "key.revoked", stream: "$keys-x", actor: "root", key: fixture.root.key, payload: ["keyId": "nope"])
        let report = try fixture.verify()
        #expect(report.has(.keyEventInvalid, seq: seq))
    }

    @Test func anchorSignedByAKeyTheLedgerNeverRegistered() async throws {
        let fixture = try await Self.tenEvents()
        let head = try await fixture.ledger.head()
        let stranger = try Checkpoint.sign(ledgerID: head.ledgerID, size: head.size, headHash: head.hash, time: head.time, key: try Ed25519PrivateKey())
        #expect(try fixture.verify(anchors: [stranger]).errors.map(\.0) == [.anchorUntrusted])
    }

    @Test func emptyFileWithTablesButNoEvents() async throws {
        let fixture = try await Self.tenEvents()
        try fixture.tamper("DELETE FROM payloads")
        try fixture.tamper("DELETE FROM events")
        #expect(try fixture.verify().has(.ledgerEmpty, seq: nil))
    }
}
