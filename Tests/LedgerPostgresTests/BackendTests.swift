import ApprovalLedger
import Foundation
import LedgerPostgres
import TestSupport
import Testing

/// The store, approval, verify and tamper behaviour every backend must share, one suite run on
/// a SQLite file and on a real PostgreSQL: the append rules are the same code on both
/// (`Appender`), so what differs, and is tested here, is the storage under them.
@Suite("Both backends: store, approvals, verify, tamper")
struct BackendTests {
    static let policy = """
        version: 1
        name: svc
        groups: {sre: [bob]}
        rules:
          - name: prod
            match: {environment: prod}
            require: {groups: {sre: 1}}
            ttl: 1h
        """

    @Test("Appends chain gaplessly, one transaction or a signed batch of 300, and verify is clean", arguments: Backend.allCases)
    func appendsChain(_ backend: Backend) async throws {
        let fixture = try await BackendFixture.make(backend)
        let notes = try await fixture.appendNotes(5)
        #expect(notes.map(\.envelope.streamVersion) == [1, 2, 3, 4, 5])
        let batch = (0..<300).map { EventDraft(type: "deploy.note", stream: "batch-\($0 % 3)", payload: ["i": .integer(Int64($0))]) }
        let events = try await fixture.ledger.append(batch, signer: fixture.alice)
        #expect(events.map(\.envelope.seq) == Array(9...308))
        #expect(events.last?.envelope.streamVersion == 100)
        for (previous, next) in zip([notes.last!] + events, events) {
            #expect(next.envelope.previousHash == previous.hash)
            #expect(fixture.alice.key.publicKey.isValidSignature(next.signature, for: next.hash.bytes))
        }
        #expect(try fixture.storedSeqs() == Array(1...308))
        let report = try await fixture.verify()
        #expect(report.isVerified(strict: true), "\(report.findings.map(\.message))")
        #expect(report.events == 308)
    }

    @Test("Version conflicts, idempotent retries and idempotency conflicts are decided in the write transaction", arguments: Backend.allCases)
    func versionsAndIdempotency(_ backend: Backend) async throws {
        let fixture = try await BackendFixture.make(backend)
        var draft = EventDraft(type: "deploy.note", stream: "svc", payload: ["a": 1], expectedVersion: .noStream)
        draft.idempotencyKey = "deploy-42"
        let first = try await fixture.ledger.append(draft, signer: fixture.alice)
        let retry = try await fixture.ledger.append(draft, signer: fixture.alice)
        #expect(retry == first, "a retry returns the original event")
        var changed = draft
        changed.payload = ["a": 2]
        let conflict = await #expect(throws: LedgerError.self) { try await fixture.ledger.append(changed, signer: fixture.alice) }
        #expect(conflict?.code == .idempotencyConflict)
        let stale = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "svc", payload: [:], expectedVersion: .exactly(7)), signer: fixture.alice)
        }
        #expect(stale?.code == .versionConflict)
        #expect(try fixture.storedSeqs().count == 4, "genesis, two keys, one note: nothing else was written")
    }

    @Test("Unknown, revoked and under-privileged keys are refused, and a batch with one bad draft writes nothing", arguments: Backend.allCases)
    func refusals(_ backend: Backend) async throws {
        let fixture = try await BackendFixture.make(backend)
        let stranger = Signer(identity: "mallory", key: try Ed25519PrivateKey())
        let unknown = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "svc", payload: [:]), signer: stranger)
        }
        #expect(unknown?.code == .unknownKey)
        let notAdmin = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.registerKey(stranger.key.publicKey, identity: "mallory", signer: fixture.alice)
        }
        #expect(notAdmin?.code == .keyNotAllowed)
        let mixed = [
            EventDraft(type: "deploy.note", stream: "svc", payload: [:]),
            EventDraft(type: "deploy.note", stream: "svc", payload: [:], expectedVersion: .noStream),
        ]
        await #expect(throws: LedgerError.self) { try await fixture.ledger.append(mixed, signer: fixture.alice) }
        try await fixture.ledger.revokeKey(fixture.bob.key.publicKey.keyID, reason: "left", signer: fixture.root)
        let revoked = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.append(EventDraft(type: "deploy.note", stream: "svc", payload: [:]), signer: fixture.bob)
        }
        #expect(revoked?.code == .revokedKey)
        #expect(try fixture.storedSeqs() == [1, 2, 3, 4], "only the revocation was written")
        #expect(try await fixture.ledger.key(fixture.bob.key.publicKey.keyID)?.revokedSeq == 4)
        #expect(try await fixture.verify().isVerified(strict: true))
    }

    @Test("An approval from request to execution: refusals recorded, projections written with the events, conformance verified", arguments: Backend.allCases)
    func approvalFlow(_ backend: Backend) async throws {
        let fixture = try await BackendFixture.make(backend)
        let approvals = Approvals(ledger: fixture.ledger)
        try await approvals.publish(try Policy(yaml: Self.policy), signer: fixture.root)
        let request = try await approvals.open(
            OpenRequest(requestID: "req-1", action: "deploy.promote", resource: "svc/checkout", environment: "prod", summary: "checkout v42"),
            signer: fixture.alice)
        #expect(request.status == .pending)
        let denied = await #expect(throws: ApprovalError.self) {
            try await approvals.execute("req-1", succeeded: true, signer: fixture.alice)
        }
        #expect(denied?.recorded == true, "an execution without a grant is refused and recorded")
        let granted = try await approvals.approve("req-1", reason: "looks good", signer: fixture.bob)
        #expect(granted.status == .granted)
        let executed = try await approvals.execute("req-1", succeeded: true, signer: fixture.alice)
        #expect(executed.executions.count == 1)

        let rows = try await approvals.list(status: [.granted])
        #expect(rows.map(\.requestID) == ["req-1"])
        #expect(rows.first?.approvers == ["bob"])
        #expect(rows.first?.executions == 1)
        #expect(rows.first?.version == executed.version)
        #expect(try await approvals.request("req-1")?.status == .granted)
        #expect(try fixture.query("SELECT count(*) FROM votes") == ["1"])
        #expect(try fixture.query("SELECT count(*) FROM attempts") == ["1"])
        let report = try await fixture.verify()
        #expect(report.isVerified(strict: true), "\(report.findings.map(\.message))")
        #expect(report.requests == 1)
    }

    @Test("A payload edited in the storage is caught, with the triggers out of the way", arguments: Backend.allCases)
    func editedPayload(_ backend: Backend) async throws {
        let fixture = try await BackendFixture.make(backend)
        let notes = try await fixture.appendNotes(3)
        try fixture.tamper("UPDATE payloads SET bytes = \(fixture.blob(Array(#"{"n":99}"#.utf8))) WHERE seq = \(notes[1].envelope.seq)")
        let report = try await fixture.verify()
        #expect(report.findings.contains { $0.code == .payloadMismatch && $0.seq == notes[1].envelope.seq })
        #expect(!report.isVerified())
    }

    @Test("A row forged at the head with a registered key that lacks the capability is caught, and no writer trusts it", arguments: Backend.allCases)
    func forgedKeyEvent(_ backend: Backend) async throws {
        let fixture = try await BackendFixture.make(backend)
        let head = try await fixture.appendNotes(1)[0]
        // Alice, with only her own key, writes herself an admin key: signed and linked as
        // docs/FORMAT.md says, so only the key timeline can refuse it.
        let forgedKey = try Ed25519PrivateKey()
        let registration = KeyRegistration(publicKey: forgedKey.publicKey, identity: "alice-admin", capabilities: [.admin])
        try fixture.forge(
            after: head, type: "key.registered", stream: "$keys", streamVersion: 3, actor: "alice", key: fixture.alice.key, payload: registration.jsonValue)
        let report = try await fixture.verify()
        #expect(report.findings.contains { $0.code == .keyNotAuthorized && $0.seq == head.envelope.seq + 1 }, "\(report.findings.map(\.message))")
        // The appender reads the keys from the signed key events, not from the forged row.
        let forged = Signer(identity: "alice-admin", key: forgedKey)
        let refused = await #expect(throws: LedgerError.self) {
            try await fixture.ledger.registerKey(try Ed25519PrivateKey().publicKey, identity: "eve", signer: forged)
        }
        #expect(refused?.code == .unknownKey)
    }

    @Test("A deleted event is caught as a gap", arguments: Backend.allCases)
    func deletedEvent(_ backend: Backend) async throws {
        let fixture = try await BackendFixture.make(backend)
        let notes = try await fixture.appendNotes(3)
        let seq = notes[1].envelope.seq
        try fixture.tamper("DELETE FROM payloads WHERE seq = \(seq); DELETE FROM events WHERE seq = \(seq)")
        let report = try await fixture.verify()
        #expect(report.findings.contains { $0.code == .seqGap }, "\(report.findings.map(\.message))")
    }
}
