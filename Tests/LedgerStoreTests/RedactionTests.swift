import ApprovalLedger
import Foundation
import GRDB
import TestSupport
import Testing

/// Recorded redaction (docs/FORMAT.md §Redaction): `Ledger.redact` erases a payload and
/// records why; `ledger verify` tells that erasure from a deletion nobody answers for. The
/// attacks write rows straight into the file, signed as docs/FORMAT.md says, with only the
/// keys the threat model gives them.
@Suite("Recorded redaction")
struct RedactionTests {
    /// seq 1…3 setup (genesis, alice, bob), 4 and 5 alice's notes, 6 carol's key (she may
    /// redact), 7…9 alice's notes.
    static func ledger() async throws -> (LedgerFixture, carol: Signer) {
        let fixture = try await LedgerFixture.make()
        let carol = Signer(identity: "carol", key: try Ed25519PrivateKey())
        try await fixture.appendNotes(2)
        try await fixture.ledger.registerKey(carol.key.publicKey, identity: "carol", capabilities: [.redact], signer: fixture.root)
        try await fixture.appendNotes(3)
        return (fixture, carol)
    }

    static func hasPayloadRow(_ fixture: LedgerFixture, seq: Int64) throws -> Bool {
        let queue = try DatabaseQueue(path: fixture.path)
        defer { try? queue.close() }
        return try queue.read { db in try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM payloads WHERE seq = ?", arguments: [seq]) ?? false }
    }

    /// A `payload.redacted` event as a forger writes it: straight into the file, signed by `key`.
    static func forgeRedaction(
        _ fixture: LedgerFixture, of seq: Int64, hash: SHA256Digest? = nil, actor: String, key: Ed25519PrivateKey, deletePayload: Bool = true
    ) async throws -> Int64 {
        let target = try #require(try await fixture.ledger.events(from: seq, limit: 1).first)
        let record = Redaction(seq: seq, eventHash: hash ?? target.hash, reason: "erasure request", basis: "GDPR Art. 17(1)(a)")
        let version = Int64(try await fixture.ledger.events(stream: Redaction.stream).count) + 1
        let forged = try await fixture.forge(
            type: Redaction.type, stream: Redaction.stream, streamVersion: version, actor: actor, key: key, payload: record.jsonValue)
        if deletePayload { try fixture.tamper("DELETE FROM payloads WHERE seq = ?", arguments: [seq]) }
        return forged
    }

    @Test func recordedRedactionErasesThePayloadAndVerifiesAsInformation() async throws {
        let (fixture, carol) = try await Self.ledger()
        let target = try #require(try await fixture.ledger.events(from: 5, limit: 1).first)
        let event = try await fixture.ledger.redact(seq: 5, reason: "the note names a customer", basis: "GDPR Art. 17(1)(a)", signer: carol)
        #expect(event.envelope.type == Redaction.type)
        #expect(event.envelope.stream == Redaction.stream)
        #expect(!(try Self.hasPayloadRow(fixture, seq: 5)))
        // The envelope, hash and signature are untouched: only the payload is gone.
        let after = try #require(try await fixture.ledger.events(from: 5, limit: 1).first)
        #expect(after.hash == target.hash)
        #expect(after.payloadBytes == nil)
        let record = try Redaction(try JSONParser.parse(try #require(event.payloadBytes)))
        #expect(record.seq == 5 && record.eventHash == target.hash && record.basis == "GDPR Art. 17(1)(a)")

        let report = try fixture.verify()
        #expect(report.isVerified(strict: true), "\(report.findings)")
        #expect(report.has(.payloadRedacted, seq: 5))
        #expect(report.findings.filter { $0.severity != .info }.isEmpty)
    }

    @Test func deletionWithoutARecordIsAnErrorAndTheSchemaRefusesIt() async throws {
        let (fixture, _) = try await Self.ledger()
        // The schema refuses it while its trigger stands…
        let queue = try DatabaseQueue(path: fixture.path)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "DELETE FROM payloads WHERE seq = 7") }
        }
        try queue.close()
        // …and an attacker who drops it is found out.
        try fixture.tamper("DELETE FROM payloads WHERE seq = 7")
        let report = try fixture.verify()
        #expect(!report.isVerified())
        #expect(report.has(.payloadMissing, seq: 7))
    }

    @Test func aRedactionByAKeyWithoutTheCapabilityRecordsNothing() async throws {
        let (fixture, _) = try await Self.ledger()
        // alice holds `append` and `request`, not `redact`: her forged record answers for nothing.
        let forged = try await Self.forgeRedaction(fixture, of: 4, actor: "alice", key: fixture.alice.key)
        let report = try fixture.verify()
        #expect(report.has(.keyNotAuthorized, seq: forged))
        #expect(report.has(.payloadMissing, seq: 4))
        #expect(!report.has(.payloadRedacted, seq: 4))
    }

    @Test func theWriterRefusesARedactionWithoutTheCapability() async throws {
        let (fixture, _) = try await Self.ledger()
        await #expect { try await fixture.ledger.redact(seq: 4, reason: "r", basis: "b", signer: fixture.alice) } throws: { error in
            (error as? LedgerError)?.code == .keyNotAllowed
        }
        #expect(try Self.hasPayloadRow(fixture, seq: 4))
        #expect(try fixture.verify().isVerified(strict: true))
    }

    @Test func aPayloadTheRulesDependOnCannotBeRedacted() async throws {
        let (fixture, carol) = try await Self.ledger()
        for seq: Int64 in [1, 2] {
            await #expect { try await fixture.ledger.redact(seq: seq, reason: "r", basis: "b", signer: fixture.root) } throws: { error in
                (error as? LedgerError)?.code == .invalidEvent
            }
        }
        // A redaction's own record is required too.
        let first = try await fixture.ledger.redact(seq: 4, reason: "r", basis: "b", signer: carol)
        await #expect { try await fixture.ledger.redact(seq: first.envelope.seq, reason: "r", basis: "b", signer: carol) } throws: { error in
            (error as? LedgerError)?.code == .invalidEvent
        }
        #expect(try fixture.verify().isVerified(strict: true))

        // The root key itself cannot make a key registration's payload erasable by recording it.
        let forged = try await Self.forgeRedaction(fixture, of: 2, actor: "root", key: fixture.root.key)
        let report = try fixture.verify()
        #expect(report.has(.redactionInvalid, seq: forged))
        #expect(report.has(.payloadMissing, seq: 2))
    }

    @Test func aRecordNamingAnotherEventsHashAnswersForNothing() async throws {
        let (fixture, _) = try await Self.ledger()
        let other = try #require(try await fixture.ledger.events(from: 8, limit: 1).first)
        let forged = try await Self.forgeRedaction(fixture, of: 7, hash: other.hash, actor: "root", key: fixture.root.key)
        let report = try fixture.verify()
        #expect(report.has(.redactionInvalid, seq: forged))
        #expect(report.has(.payloadMissing, seq: 7))
    }

    @Test func aRecordWhosePayloadIsStillStoredIsAWarning() async throws {
        let (fixture, _) = try await Self.ledger()
        _ = try await Self.forgeRedaction(fixture, of: 7, actor: "root", key: fixture.root.key, deletePayload: false)
        let report = try fixture.verify()
        #expect(report.isVerified())
        #expect(!report.isVerified(strict: true))
        #expect(report.has(.redactionIncomplete, seq: 7))
    }

    @Test func aSecondRedactionOfTheSamePayloadIsRefused() async throws {
        let (fixture, carol) = try await Self.ledger()
        try await fixture.ledger.redact(seq: 5, reason: "r", basis: "b", signer: carol)
        await #expect { try await fixture.ledger.redact(seq: 5, reason: "r", basis: "b", signer: carol) } throws: { error in
            (error as? LedgerError)?.code == .alreadyExists
        }
    }

    @Test func aRawAppendCannotWriteARedactionRecord() async throws {
        let (fixture, _) = try await Self.ledger()
        let target = try #require(try await fixture.ledger.events(from: 5, limit: 1).first)
        let record = Redaction(seq: 5, eventHash: target.hash, reason: "r", basis: "b")
        for stream in [Redaction.stream, "svc-payments"] {
            await #expect { try await fixture.ledger.append(EventDraft(type: Redaction.type, stream: stream, payload: record.jsonValue), signer: fixture.root) } throws: { error in
                (error as? LedgerError)?.code == .invalidEvent
            }
        }
    }

    @Test func emptyReasonOrBasisIsRefused() async throws {
        let (fixture, carol) = try await Self.ledger()
        for (reason, basis) in [("", "GDPR"), ("why", "  "), (String(repeating: "x", count: Redaction.maxTextBytes + 1), "b")] {
            await #expect { try await fixture.ledger.redact(seq: 5, reason: reason, basis: basis, signer: carol) } throws: { error in
                (error as? LedgerError)?.code == .invalidEvent
            }
        }
        #expect(try Self.hasPayloadRow(fixture, seq: 5))
    }

    @Test func aHandMadeDeletionCanBeAnsweredForAfterwards() async throws {
        let (fixture, carol) = try await Self.ledger()
        try fixture.tamper("DELETE FROM payloads WHERE seq = 7")
        #expect(!(try fixture.verify().isVerified()))
        try await fixture.ledger.redact(seq: 7, reason: "deleted by the DBA on ticket OPS-12", basis: "GDPR Art. 17(1)(a)", signer: carol)
        let report = try fixture.verify()
        #expect(report.isVerified(strict: true))
        #expect(report.has(.payloadRedacted, seq: 7))
    }

    @Test func incrementalVerifyJudgesARedactionOfAnEventBeforeItsCheckpoint() async throws {
        let (fixture, carol) = try await Self.ledger()
        let checkpoint = try await fixture.ledger.checkpoint(signer: fixture.root)
        try await fixture.ledger.redact(seq: 4, reason: "r", basis: "GDPR Art. 17", signer: carol)
        let report = try Verifier().verify(fixture.ledger, since: .chain(checkpoint))
        #expect(report.isVerified(strict: true), "\(report.findings)")
        #expect(report.has(.payloadRedacted, seq: 4))
    }

    @Test func incrementalVerifyFindsADeletionBeforeItsCheckpointAndTrustsItsRedactions() async throws {
        let (fixture, carol) = try await Self.ledger()
        try await fixture.ledger.redact(seq: 5, reason: "r", basis: "GDPR Art. 17", signer: carol)
        let checkpoint = try await fixture.ledger.checkpoint(signer: fixture.root)
        #expect(try Verifier().verify(fixture.ledger, since: .chain(checkpoint)).isVerified(strict: true))
        try fixture.tamper("DELETE FROM payloads WHERE seq = 7")
        let report = try Verifier().verify(fixture.ledger, since: .chain(checkpoint))
        #expect(report.has(.payloadMissing, seq: 7))
        #expect(!report.has(.payloadMissing, seq: 5))
    }
}
