import ApprovalLedger
import Foundation
import GRDB
import TestSupport
import Testing

@Suite("Ledger: create, open, append, read")
struct LedgerAppendTests {
    @Test func createWritesAVerifiableGenesisAndRefusesToOverwrite() async throws {
        let fixture = try await LedgerFixture.make()
        let genesis = try #require(try await fixture.ledger.events(from: 1, limit: 1).first)
        #expect(genesis.envelope.type == "ledger.genesis")
        #expect(genesis.envelope.previousHash == .zero)
        let payload = try Genesis(try #require(try genesis.payload()))
        #expect(payload.ledgerID == fixture.ledger.ledgerID)
        #expect(payload.rootKey.publicKey == fixture.root.key.publicKey)
        let error = await #expect(throws: LedgerError.self) {
            try await Ledger.create(at: fixture.path, root: fixture.root)
        }
        #expect(error?.code == .alreadyExists)
        #expect(try fixture.verify().isVerified())
    }

    @Test func appendsChainGaplesslyAndStreamsCountVersions() async throws {
        let fixture = try await LedgerFixture.make()
        let events = try await fixture.appendNotes(5)
        #expect(events.map(\.envelope.seq) == [4, 5, 6, 7, 8])
        #expect(events.map(\.envelope.streamVersion) == [1, 2, 3, 4, 5])
        for (previous, next) in zip(events, events.dropFirst()) {
            #expect(next.envelope.previousHash == previous.hash)
        }
        let head = try await fixture.ledger.head()
        #expect(head.size == 8)
        #expect(head.hash == events.last?.hash)
        let stream = try await fixture.ledger.events(stream: "svc-payments", fromVersion: 3)
        #expect(stream.map(\.envelope.streamVersion) == [3, 4, 5])
        // Stored bytes are exactly the hashed bytes.
        #expect(stream[0].hash == DomainSeparation.eventHash(envelopeBytes: stream[0].envelopeBytes))
        let reopened = try await Ledger.open(at: fixture.path)
        #expect(reopened.ledgerID == fixture.ledger.ledgerID)
        #expect(try await reopened.head() == head)
    }

    @Test func staleExpectedVersionIsATypedConflictAndWritesNothing() async throws {
        let fixture = try await LedgerFixture.make()
        try await fixture.appendNotes(2)
        let before = try await fixture.ledger.head()
        for expected in [ExpectedVersion.exactly(1), .exactly(3), .noStream] {
            let error = await #expect(throws: LedgerError.self) {
                try await fixture.ledger.append(
                    EventDraft(type: "deploy.note", stream: "svc-payments", payload: [:], expectedVersion: expected), signer: fixture.alice)
            }
            #expect(error?.code == .versionConflict)
            #expect(error?.stream == "svc-payments")
        }
        #expect(try await fixture.ledger.head() == before)
        let ok = try await fixture.ledger.append(
            EventDraft(type: "deploy.note", stream: "svc-payments", payload: [:], expectedVersion: .exactly(2)), signer: fixture.alice)
        #expect(ok.envelope.streamVersion == 3)
        let fresh = try await fixture.ledger.append(
            EventDraft(type: "deploy.note", stream: "new-stream", payload: [:], expectedVersion: .noStream), signer: fixture.alice)
        #expect(fresh.envelope.streamVersion == 1)
    }

    @Test func idempotentRetryReturnsTheOriginalAndWritesNothing() async throws {
        let fixture = try await LedgerFixture.make()
        let draft = EventDraft(type: "deploy.note", stream: "svc", payload: ["run": 981], idempotencyKey: "pipeline-981")
        let first = try await fixture.ledger.append(draft, signer: fixture.alice)
        let head = try await fixture.ledger.head()
        let retry = try await fixture.ledger.append(draft, signer: fixture.alice)
        #expect(retry == first)
        #expect(try await fixture.ledger.head() == head)
        var different = draft
        different.payload = ["run": 982]
        let error = await #expect(throws: LedgerError.self) { try await fixture.ledger.append(different, signer: fixture.alice) }
        #expect(error?.code == .idempotencyConflict)
        #expect(error?.seq == first.envelope.seq)
        #expect(try await fixture.ledger.head() == head)
    }

    @Test func batchIsAllOrNothing() async throws {
        let fixture = try await LedgerFixture.make()
        let head = try await fixture.ledger.head()
        let good = EventDraft(type: "deploy.note", stream: "svc", payload: [:])
        let bad = EventDraft(type: "deploy.note", stream: "svc", payload: [:], expectedVersion: .exactly(7))
        await #expect(throws: LedgerError.self) { try await fixture.ledger.append([good, good, bad], signer: fixture.alice) }
        #expect(try await fixture.ledger.head() == head)
        let events = try await fixture.ledger.append(Array(repeating: good, count: 1000), signer: fixture.alice)
        #expect(events.count == 1000)
        #expect(events.last?.envelope.seq == head.size + 1000)
    }

    @Test("Keys that are unknown, revoked, bound to another identity or lacking the capability cannot append")
    func keyRules() async throws {
        let fixture = try await LedgerFixture.make()
        let note = EventDraft(type: "deploy.note", stream: "svc", payload: [:])
        let stranger = Signer(identity: "mallory", key: try Ed25519PrivateKey())
        var error = await #expect(throws: LedgerError.self) { try await fixture.ledger.append(note, signer: stranger) }
        #expect(error?.code == .unknownKey)
        error = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.append(note, signer: Signer(identity: "bob", key: fixture.alice.key))
        }
        #expect(error?.code == .keyNotAllowed)
        error = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.registerKey(try Ed25519PrivateKey().publicKey, identity: "eve", signer: fixture.alice)
        }
        #expect(error?.code == .keyNotAllowed)
        let carol = Signer(identity: "carol", key: try Ed25519PrivateKey())
        try await fixture.ledger.registerKey(carol.key.publicKey, identity: "carol", capabilities: [.approve], signer: fixture.root)
        error = await #expect(throws: LedgerError.self) { try await fixture.ledger.append(note, signer: carol) }
        #expect(error?.code == .keyNotAllowed, "carol lacks the append capability")
        try await fixture.ledger.revokeKey(fixture.alice.key.publicKey.keyID, reason: "laptop lost", signer: fixture.root)
        error = await #expect(throws: LedgerError.self) { try await fixture.ledger.append(note, signer: fixture.alice) }
        #expect(error?.code == .revokedKey)
        let keys = try await fixture.ledger.keys()
        #expect(keys.first { $0.identity == "alice" }?.isRevoked == true)
        #expect(try fixture.verify().isVerified())
    }

    @Test("A key revoked through another open ledger on the same file can no longer append through this one")
    func revocationByAnotherWriterIsSeen() async throws {
        let fixture = try await LedgerFixture.make()
        let note = EventDraft(type: "deploy.note", stream: "svc", payload: [:])
        // This Ledger now knows alice's key from an earlier transaction.
        try await fixture.ledger.append(note, signer: fixture.alice)
        let other = try await fixture.openAgain()
        try await other.revokeKey(fixture.alice.key.publicKey.keyID, reason: "laptop lost", signer: fixture.root)
        let error = await #expect(throws: LedgerError.self) { try await fixture.ledger.append(note, signer: fixture.alice) }
        #expect(error?.code == .revokedKey)
        #expect(try await fixture.ledger.head().size == 5)
        #expect(try fixture.verify().isVerified())
    }

    @Test("A key registered in a transaction that rolled back is forgotten with it")
    func rolledBackRegistrationIsForgotten() async throws {
        struct Abandoned: Error {}
        let fixture = try await LedgerFixture.make()
        let key = try Ed25519PrivateKey()
        let note = EventDraft(type: "deploy.note", stream: "svc", payload: [:])
        let registration = KeyRegistration(publicKey: key.publicKey, identity: "carol", capabilities: [.append])
        await #expect(throws: Abandoned.self) {
            try await fixture.ledger.transaction { tx in
                try tx.append(EventDraft(type: KeyEvents.registeredType, stream: KeyEvents.keysStream, payload: registration.jsonValue), signer: fixture.root)
                try tx.append(note, signer: Signer(identity: "carol", key: key))
                throw Abandoned()
            }
        }
        var error = await #expect(throws: LedgerError.self) { try await fixture.ledger.append(note, signer: Signer(identity: "carol", key: key)) }
        #expect(error?.code == .unknownKey)
        // Registered again at the same seq, to another identity: only that one may sign.
        let registered = try await fixture.ledger.registerKey(key.publicKey, identity: "dave", capabilities: [.append], signer: fixture.root)
        #expect(registered.envelope.seq == 4)
        error = await #expect(throws: LedgerError.self) { try await fixture.ledger.append(note, signer: Signer(identity: "carol", key: key)) }
        #expect(error?.code == .keyNotAllowed)
        try await fixture.ledger.append(note, signer: Signer(identity: "dave", key: key))
        #expect(try fixture.verify().isVerified())
    }

    @Test func malformedDraftsAreRefused() async throws {
        let fixture = try await LedgerFixture.make()
        let cases: [(EventDraft, LedgerError.Code)] = [
            (EventDraft(type: "deploy note", stream: "svc", payload: [:]), .invalidEvent),
            (EventDraft(type: "deploy.note", stream: "svc\u{202E}", payload: [:]), .invalidEvent),
            (EventDraft(type: "deploy.note", stream: "svc", payload: [1, 2]), .invalidEvent),
            (EventDraft(type: "ledger.genesis", stream: "$ledger", payload: [:]), .invalidEvent),
            (EventDraft(type: "deploy.note", stream: "$keys", payload: [:]), .invalidEvent),
            (EventDraft(type: "deploy.note", stream: "$mine", payload: [:]), .invalidEvent),
            (EventDraft(type: "key.revoked", stream: "svc", payload: [:]), .invalidEvent),
            (EventDraft(type: "deploy.note", stream: "svc", payload: [:], idempotencyKey: "has space"), .invalidEvent),
            (EventDraft(type: "deploy.note", stream: "svc", payload: [:], correlationID: "bidi\u{202E}"), .invalidEvent),
            (EventDraft(type: "deploy.note", stream: "svc", payload: ["big": .string(String(repeating: "x", count: 300_000))]), .payloadTooLarge),
            // Values the canonical form would turn into bytes no reader accepts, and NaN, which
            // has no JSON form at all: refused with a typed error, never a trap or a stored
            // payload that `ledger log` could not read back.
            (EventDraft(type: "deploy.note", stream: "svc", payload: ["n": .number(1e20)]), .invalidEvent),
            (EventDraft(type: "deploy.note", stream: "svc", payload: ["n": .number(.nan)]), .invalidEvent),
            (EventDraft(type: "deploy.note", stream: "svc", payload: ["n": .number(-.infinity)]), .invalidEvent),
            (EventDraft(type: "deploy.note", stream: "svc", payload: Self.nested(depth: Ledger.maxPayloadDepth + 1)), .invalidEvent),
        ]
        let head = try await fixture.ledger.head()
        for (draft, code) in cases {
            let error = await #expect(throws: LedgerError.self) { try await fixture.ledger.append(draft, signer: fixture.root) }
            #expect(error?.code == code, "\(draft.type) \(draft.stream)")
        }
        #expect(try await fixture.ledger.head() == head)
    }

    /// An object nested `depth` levels deep (the outermost is level 1).
    static func nested(depth: Int) -> JSONValue {
        (1..<depth).reduce(JSONValue.object(JSONObject())) { inner, _ in ["a": inner] }
    }

    @Test("A payload as deep as allowed is stored, and its JSON Lines export is still readable")
    func deepestPayload() async throws {
        let fixture = try await LedgerFixture.make()
        let event = try await fixture.ledger.append(
            EventDraft(type: "deploy.note", stream: "svc", payload: Self.nested(depth: Ledger.maxPayloadDepth)), signer: fixture.root)
        // The payload reads as any JSON text does; its line, one level deeper, with the line limit.
        #expect(try JSONParser.parse(try #require(event.payloadBytes)) == Self.nested(depth: 64))
        let lineLimits = JSONParser.Limits(maxBytes: 17 << 20, maxDepth: JSONParser.Limits.default.maxDepth + 1)
        let line = try JSONParser.parse(CanonicalJSON.encode(["seq": .integer(event.envelope.seq), "payload": try #require(try event.payload())]), limits: lineLimits)
        #expect(line["payload"] == Self.nested(depth: Ledger.maxPayloadDepth))
    }

    @Test func triggersRefuseUpdateAndDeleteOfEvents() async throws {
        let fixture = try await LedgerFixture.make()
        let queue = try DatabaseQueue(path: fixture.path)
        defer { try? queue.close() }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE events SET actor = 'eve' WHERE seq = 2") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM events WHERE seq = 3") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE payloads SET bytes = x'7b7d' WHERE seq = 2") } }
        // Only a recorded redaction deletes a payload (`Ledger.redact`).
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM payloads WHERE seq = 2") } }
        let applied = try await queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == ["0001_events", "0002_requests", "0003_projections", "0004_tokens", "0005_merkle", "0006_redactions", "0007_webhooks", "0008_slack_messages"])
        let journal = try await queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
    }

    @Test func concurrentTasksInOneProcessStayGapless() async throws {
        let fixture = try await LedgerFixture.make()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask { try await fixture.appendNotes(25, stream: "writer-\(writer)") }
            }
            try await group.waitForAll()
        }
        #expect(try await fixture.ledger.head().size == 3 + 200)
        let report = try fixture.verify()
        #expect(report.isVerified(), "\(report.findings)")
    }

    @Test func openRefusesFilesThatAreNotLedgers() async throws {
        let directory = try TemporaryDirectory()
        var error = await #expect(throws: LedgerError.self) { try await Ledger.open(at: directory.file("missing.ledger")) }
        #expect(error?.code == .notFound)
        try Data("hello, not a database".utf8).write(to: URL(fileURLWithPath: directory.file("text.ledger")))
        error = await #expect(throws: LedgerError.self) { try await Ledger.open(at: directory.file("text.ledger")) }
        #expect(error?.code == .notALedger)
        let other = try DatabaseQueue(path: directory.file("other.sqlite"))
        try await other.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        try other.close()
        error = await #expect(throws: LedgerError.self) { try await Ledger.open(at: directory.file("other.sqlite")) }
        #expect(error?.code == .notALedger)
    }

    @Test func checkpointsNeedARegisteredKey() async throws {
        let fixture = try await LedgerFixture.make()
        let checkpoint = try await fixture.ledger.checkpoint(signer: fixture.bob)
        #expect(checkpoint.size == 3)
        #expect(checkpoint.ledgerID == fixture.ledger.ledgerID)
        #expect(try Checkpoint(fileBytes: checkpoint.fileBytes) == checkpoint)
        let error = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.checkpoint(signer: Signer(identity: "x", key: try Ed25519PrivateKey()))
        }
        #expect(error?.code == .unknownKey)
    }
}
