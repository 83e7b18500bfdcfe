import ApprovalLedger
import Foundation
import GRDB
import LedgerPostgres
import TestSupport
import Testing

/// Where a ledger under test lives: the suites of `BackendTests` run once on each.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }
}

/// A new ledger on one backend (a file in a temporary directory, or a new database in the
/// throwaway cluster), with a root admin and two ordinary identities; and what an attacker
/// with write access to the storage can do to it, written in each backend's own SQL.
struct BackendFixture {
    let backend: Backend
    let ledger: any LedgerWriting
    /// The file path or the `postgres://` URL.
    let address: String
    let directory: TemporaryDirectory
    let cluster: PostgresCluster?
    let root: Signer
    let alice: Signer
    let bob: Signer

    static func make(_ backend: Backend) async throws -> BackendFixture {
        let directory = try TemporaryDirectory()
        let root = Signer(identity: "root", key: try Ed25519PrivateKey())
        let ledger: any LedgerWriting, address: String, cluster: PostgresCluster?
        switch backend {
        case .sqlite:
            address = directory.file("test.ledger")
            ledger = try await Ledger.create(at: address, root: root)
            cluster = nil
        case .postgres:
            cluster = try PostgresCluster.shared()
            address = try cluster!.createDatabase()
            let database = try await PostgresLedger.open(try PostgresLocation(url: address))
            try await database.initialize(root: root)
            ledger = database
        }
        let alice = Signer(identity: "alice", key: try Ed25519PrivateKey())
        let bob = Signer(identity: "bob", key: try Ed25519PrivateKey())
        try await ledger.registerKey(alice.key.publicKey, identity: "alice", capabilities: [.request, .append, .execute], signer: root)
        try await ledger.registerKey(bob.key.publicKey, identity: "bob", capabilities: [.approve, .append], signer: root)
        return BackendFixture(backend: backend, ledger: ledger, address: address, directory: directory, cluster: cluster, root: root, alice: alice, bob: bob)
    }

    /// Appends `count` notes to `stream` as alice, one transaction each.
    @discardableResult
    func appendNotes(_ count: Int, stream: String = "svc-payments") async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        for index in 0..<count {
            events.append(try await ledger.append(EventDraft(type: "deploy.note", stream: stream, payload: ["n": .integer(Int64(index))]), signer: alice))
        }
        return events
    }

    /// `ledger verify` as the library runs it on each backend.
    func verify() async throws -> VerificationReport {
        switch backend {
        case .sqlite:
            return try Verifier().verify(try await Ledger.open(at: address, configuration: Self.readOnly))
        case .postgres:
            let database = try await PostgresLedger.open(try PostgresLocation(url: address))
            defer { Task { await database.close() } }
            return try await database.withSnapshot { try Verifier().verify($0) }
        }
    }

    private static var readOnly: LedgerConfiguration {
        var configuration = LedgerConfiguration()
        configuration.readOnly = true
        return configuration
    }

    /// Every row of `events` as stored, in seq order.
    func storedSeqs() throws -> [Int64] {
        try query("SELECT seq FROM events ORDER BY seq").map { Int64($0)! }
    }

    /// Runs `sql` on the storage directly with the immutability triggers out of the way, as a
    /// database administrator (or anyone holding the file) can.
    func tamper(_ sql: String) throws {
        switch backend {
        case .sqlite:
            let queue = try DatabaseQueue(path: address)
            try queue.writeWithoutTransaction { db in
                for trigger in ["events_are_immutable_update", "events_are_immutable_delete", "payloads_are_immutable_update", "payloads_delete_needs_redaction"] {
                    try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger)")
                }
                try db.execute(sql: sql)
            }
            try queue.close()
        case .postgres:
            let result = try cluster!.psql(address, "SET session_replication_role = replica; " + sql)
            guard result.status == 0 else { throw PostgresCluster.StartError(description: "psql: \(result.stderr)") }
        }
    }

    /// The first column of each row of `sql`, as text.
    func query(_ sql: String) throws -> [String] {
        switch backend {
        case .sqlite:
            let queue = try DatabaseQueue(path: address)
            defer { try? queue.close() }
            return try queue.read { db in try Row.fetchAll(db, sql: sql).map { ($0[0] as DatabaseValue).description } }
        case .postgres:
            return try cluster!.psql(address, sql).stdout.split(separator: "\n").map(String.init)
        }
    }

    /// A blob literal in the backend's SQL.
    func blob(_ bytes: [UInt8]) -> String {
        switch backend {
        case .sqlite: "X'\(Hex.encode(bytes))'"
        case .postgres: "decode('\(Hex.encode(bytes))', 'hex')"
        }
    }

    /// Inserts a fully formed event after `head`, linked and signed by `key` as docs/FORMAT.md
    /// says, bypassing every check the appender makes: a forger with write access to the
    /// storage and only the key the threat model gives them.
    func forge(after head: RecordedEvent, type: String, stream: String, streamVersion: Int64 = 1, actor: String, key: Ed25519PrivateKey, payload: JSONValue) throws {
        let payloadBytes = CanonicalJSON.encode(payload)
        let envelope = EventEnvelope(
            seq: head.envelope.seq + 1, type: type, stream: stream, streamVersion: streamVersion, actor: actor, keyID: key.publicKey.keyID,
            time: head.envelope.time.adding(milliseconds: 1), previousHash: head.hash, payloadHash: SHA256.hash(payloadBytes))
        let event = try RecordedEvent.seal(envelope, payloadBytes: payloadBytes, signer: key)
        try tamper("""
            INSERT INTO events (seq, hash, prev_hash, stream, stream_version, type, actor, key_id, time, envelope, signature)
            VALUES (\(envelope.seq), \(blob(event.hash.bytes)), \(blob(envelope.previousHash.bytes)), '\(stream)', \(streamVersion), '\(type)',
                    '\(actor)', '\(envelope.keyID.rawValue)', '\(envelope.time)', \(blob(event.envelopeBytes)), \(blob(event.signature)));
            INSERT INTO payloads (seq, bytes) VALUES (\(envelope.seq), \(blob(payloadBytes)));
            """)
    }
}
