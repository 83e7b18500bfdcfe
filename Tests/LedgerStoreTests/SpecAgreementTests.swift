import ApprovalLedger
import Foundation
import GRDB
import TestSupport
import Testing

/// Cases where docs/FORMAT.md once left an independent verifier to guess: each builds the
/// file the way an attacker (or a newer writer) would, with rows written straight into
/// SQLite, and checks that `ledger verify` gives the one answer the spec now states.
@Suite("Verify does what FORMAT.md says")
struct SpecAgreementTests {
    /// Inserts an event whose envelope is `members` (canonical JSON, any members at all),
    /// linked to the head and signed by `key`, as a forger with file access could.
    static func forgeRaw(
        _ fixture: LedgerFixture, key: Ed25519PrivateKey, payload: JSONValue = [:], _ members: (inout JSONObject) -> Void
    ) async throws -> Int64 {
        let head = try await fixture.ledger.head()
        let payloadBytes = CanonicalJSON.encode(payload)
        let envelope = EventEnvelope(
            seq: head.size + 1, type: "deploy.note", stream: "forged", streamVersion: 1, actor: "alice", keyID: key.publicKey.keyID,
            time: head.time.adding(milliseconds: 1000), previousHash: head.hash, payloadHash: SHA256.hash(payloadBytes))
        guard case .object(var object) = envelope.jsonValue else { preconditionFailure("an envelope is an object") }
        members(&object)
        let bytes = CanonicalJSON.encode(.object(object))
        let hash = DomainSeparation.eventHash(envelopeBytes: bytes)
        func text(_ name: String) -> String { object[name]?.stringValue ?? "" }
        try fixture.tamper(
            "INSERT INTO events (seq, hash, prev_hash, stream, stream_version, type, actor, key_id, time, idempotency_key, envelope, signature) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            arguments: [
                envelope.seq, Data(hash.bytes), Data(head.hash.bytes), text("stream"), 1, text("type"), text("actor"),
                text("keyId"), text("time"), object["idempotencyKey"]?.stringValue, Data(bytes), Data(try key.signature(for: hash.bytes)),
            ])
        try fixture.tamper("INSERT INTO payloads (seq, bytes) VALUES (?, ?)", arguments: [envelope.seq, Data(payloadBytes)])
        return envelope.seq
    }

    // MARK: Versions

    @Test("An envelope of another format version is unsupported-version, even with members version 1 does not know")
    func envelopeOfAnotherVersion() async throws {
        let fixture = try await LedgerFixture.make()
        let seq = try await Self.forgeRaw(fixture, key: fixture.alice.key) { envelope in
            envelope["v"] = 2
            envelope["merkleRoot"] = "00"
        }
        let report = try fixture.verify()
        #expect(report.errors.map(\.0).contains(.unsupportedVersion), "\(report.errors)")
        #expect(report.has(.unsupportedVersion, seq: seq))
        #expect(!report.has(.envelopeInvalid, seq: seq))
    }

    @Test("An envelope with v 1 and an unknown member is still envelope-invalid")
    func unknownMemberAtVersionOne() async throws {
        let fixture = try await LedgerFixture.make()
        let seq = try await Self.forgeRaw(fixture, key: fixture.alice.key) { $0["merkleRoot"] = "00" }
        #expect(try fixture.verify().has(.envelopeInvalid, seq: seq))
    }

    @Test("A genesis whose payload names format version 2 is unsupported-version at seq 1")
    func genesisOfAnotherVersion() async throws {
        let fixture = try await LedgerFixture.make()
        let root = fixture.root.key
        var payload = Genesis(
            ledgerID: fixture.ledger.ledgerID, rootKey: KeyRegistration(publicKey: root.publicKey, identity: "root", capabilities: [.admin])
        ).jsonValue.objectValue!
        payload["formatVersion"] = 2
        payload["previousLedger"] = "a v2 member"
        let payloadBytes = CanonicalJSON.encode(.object(payload))
        let envelope = EventEnvelope(
            seq: 1, type: KeyEvents.genesisType, stream: KeyEvents.ledgerStream, streamVersion: 1, actor: "root", keyID: root.publicKey.keyID,
            time: TestClock.start, previousHash: .zero, payloadHash: SHA256.hash(payloadBytes))
        let event = try RecordedEvent.seal(envelope, payloadBytes: payloadBytes, signer: root)
        try fixture.tamper("DELETE FROM payloads")
        try fixture.tamper("DELETE FROM events WHERE seq > 1")
        try fixture.tamper("UPDATE events SET envelope = ?, hash = ?, signature = ? WHERE seq = 1",
                           arguments: [Data(event.envelopeBytes), Data(event.hash.bytes), Data(event.signature)])
        try fixture.tamper("INSERT INTO payloads (seq, bytes) VALUES (1, ?)", arguments: [Data(payloadBytes)])
        let report = try fixture.verify()
        #expect(report.has(.unsupportedVersion, seq: 1), "\(report.errors)")
        #expect(!report.has(.genesisInvalid, seq: 1))
    }

    @Test("A checkpoint of format version 2 is refused as unsupported-version before its members are judged")
    func checkpointOfAnotherVersion() async throws {
        let fixture = try await LedgerFixture.make()
        let checkpoint = try await fixture.ledger.checkpoint(signer: fixture.root)
        let text = String(decoding: checkpoint.fileBytes, as: UTF8.self)
            .replacingOccurrences(of: "\"v\":1", with: "\"v\":2").replacingOccurrences(of: "{", with: "{\"merkleRoot\":\"00\",")
        do { _ = try Checkpoint(fileBytes: Array(text.utf8)); Issue.record("a v2 checkpoint was accepted") } catch {
            #expect(error.code == .unsupportedVersion)
        }
    }

    // MARK: Idempotency keys

    @Test("Two events with one idempotency key in a ledger rebuilt without the UNIQUE column: duplicate-idempotency-key")
    func duplicateIdempotencyKey() async throws {
        let fixture = try await LedgerFixture.make()
        let first = try await fixture.ledger.append(
            EventDraft(type: "deploy.note", stream: "svc", payload: ["run": 1], idempotencyKey: "run-981"), signer: fixture.alice)
        #expect(try fixture.verify().isVerified())
        // What the attacker must do first: the storage refuses a second row with the key.
        let schema = try await DatabaseQueue(path: fixture.path).read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'events'")!
        }
        try fixture.tamper("ALTER TABLE events RENAME TO events_old")
        try fixture.tamper(schema.replacingOccurrences(of: "idempotency_key TEXT    UNIQUE", with: "idempotency_key TEXT"))
        try fixture.tamper("INSERT INTO events SELECT * FROM events_old")
        try fixture.tamper("DROP TABLE events_old")
        #expect(try fixture.verify().isVerified())

        let seq = try await Self.forgeRaw(fixture, key: fixture.alice.key) { $0["idempotencyKey"] = "run-981" }
        let report = try fixture.verify()
        #expect(report.errors.map(\.0) == [.duplicateIdempotencyKey], "\(report.errors)")
        #expect(report.has(.duplicateIdempotencyKey, seq: seq))
        #expect(report.findings.first { $0.code == .duplicateIdempotencyKey }?.message.contains("event \(first.envelope.seq)") == true)

        // An incremental verify after a checkpoint before the reuse finds it too.
        let checkpoint = try Checkpoint.sign(
            ledgerID: fixture.ledger.ledgerID, size: first.envelope.seq, headHash: first.hash, time: TestClock.start, key: fixture.root.key)
        let incremental = try Verifier().verify(fixture.ledger, sinceCheckpoint: checkpoint)
        #expect(incremental.has(.duplicateIdempotencyKey, seq: seq))
    }

    // MARK: Files verify must still read

    @Test("A ledger file with the schema and no events: verify reports ledger-empty instead of refusing to open it")
    func emptyLedger() async throws {
        let fixture = try await LedgerFixture.make()
        try fixture.tamper("DELETE FROM payloads")
        try fixture.tamper("DELETE FROM keys")
        try fixture.tamper("DELETE FROM events")
        try fixture.tamper("DELETE FROM ledger_info")
        var readOnly = LedgerConfiguration()
        readOnly.readOnly = true
        let ledger = try await Ledger.open(at: fixture.path, configuration: readOnly)
        #expect(try await ledger.lastSeq() == 0)
        let report = try Verifier().verify(ledger)
        #expect(report.errors.map(\.0) == [.ledgerEmpty], "\(report.errors)")
        // A writer still refuses the file.
        await #expect(throws: LedgerError.self) { try await Ledger.open(at: fixture.path) }
    }

    @Test("A head event whose time is no time (Feb 30, hour 24, lowercase z) is envelope-invalid; appending after it is refused", arguments: [
        "2026-02-30T09:00:00.000Z", "2026-11-01T24:00:00.000Z", "2026-11-01T09:00:00.000z",
    ])
    func headWithAnInvalidTime(_ time: String) async throws {
        let fixture = try await LedgerFixture.make()
        let seq = try await Self.forgeRaw(fixture, key: fixture.alice.key) { $0["time"] = .string(time) }
        var readOnly = LedgerConfiguration()
        readOnly.readOnly = true
        let ledger = try await Ledger.open(at: fixture.path, configuration: readOnly)
        #expect(try await ledger.lastSeq() == seq)
        let report = try Verifier().verify(ledger)
        #expect(report.has(.envelopeInvalid, seq: seq), "\(report.errors)")
        let error = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "svc", payload: [:]), signer: fixture.alice)
        }
        #expect(error?.message.contains("run `ledger verify`") == true)
    }

    // MARK: Depth

    @Test("A payload 65 deep, signed by a key but written past the library, is refused by the export with the reason")
    func tooDeepToExport() async throws {
        let fixture = try await LedgerFixture.make()
        let deep = Array(("{\"a\":" + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}").utf8)
        try await fixture.forge(actor: "alice", key: fixture.alice.key, rawPayload: deep)
        let plan = try ExportPlan.make(ledger: fixture.ledger, scope: ExportScope())
        let output = try OutputFile(path: fixture.directory.file("export.jsonl"))
        let error = #expect(throws: ExportError.self) { _ = try JSONLinesExport.write(ledger: fixture.ledger, plan: plan, to: output) }
        #expect(error?.message.contains("nesting deeper than 64") == true, "\(error?.message ?? "")")
    }

    // MARK: System streams

    @Test("policy.published outside $policy, and another type inside it, are stream-invalid")
    func policyStream() async throws {
        let fixture = try await LedgerFixture.make()
        let outside = try await fixture.forge(type: "policy.published", stream: "policies", actor: "root", key: fixture.root.key)
        let inside = try await fixture.forge(type: "deploy.note", stream: "$policy", actor: "alice", key: fixture.alice.key)
        let report = try fixture.verify()
        #expect(report.has(.streamInvalid, seq: outside), "\(report.errors)")
        #expect(report.has(.streamInvalid, seq: inside), "\(report.errors)")
    }
}
