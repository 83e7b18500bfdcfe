import ApprovalLedger
import Foundation
import GRDB
import TestSupport

/// A real ledger file in a temporary directory, with a root admin and two ordinary identities.
struct LedgerFixture {
    let directory: TemporaryDirectory
    let path: String
    let ledger: Ledger
    let root: Signer
    let alice: Signer
    let bob: Signer
    var clock: TestClock

    static func make(configuration: LedgerConfiguration = LedgerConfiguration()) async throws -> LedgerFixture {
        let directory = try TemporaryDirectory()
        let path = directory.file("test.ledger")
        let clock = TestClock()
        var configuration = configuration
        configuration.clock = { clock.now() }
        let root = Signer(identity: "root", key: try Ed25519PrivateKey())
        let ledger = try await Ledger.create(at: path, root: root, configuration: configuration)
        let alice = Signer(identity: "alice", key: try Ed25519PrivateKey())
        let bob = Signer(identity: "bob", key: try Ed25519PrivateKey())
        try await ledger.registerKey(alice.key.publicKey, identity: "alice", capabilities: [.request, .append], signer: root)
        try await ledger.registerKey(bob.key.publicKey, identity: "bob", capabilities: [.approve, .append], signer: root)
        return LedgerFixture(directory: directory, path: path, ledger: ledger, root: root, alice: alice, bob: bob, clock: clock)
    }

    /// The same file opened as a second, independent `Ledger` (its own connections and
    /// caches), as another process would open it, on the fixture's clock.
    func openAgain() async throws -> Ledger {
        var configuration = LedgerConfiguration()
        configuration.clock = { [clock] in clock.now() }
        return try await Ledger.open(at: path, configuration: configuration)
    }

    /// Appends `count` notes to `stream` as alice.
    @discardableResult
    func appendNotes(_ count: Int, stream: String = "svc-payments") async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        for index in 0..<count {
            events.append(try await ledger.append(
                EventDraft(type: "deploy.note", stream: stream, payload: ["n": .integer(Int64(index))]), signer: alice))
        }
        return events
    }

    func verify(anchors: [Checkpoint] = []) throws -> VerificationReport {
        try Verifier(anchors: anchors).verify(ledger)
    }

    /// Runs SQL against the file directly, as an attacker with write access would, with the
    /// immutability triggers dropped first.
    func tamper(_ sql: String, arguments: StatementArguments = StatementArguments()) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            for trigger in ["events_are_immutable_update", "events_are_immutable_delete", "payloads_are_immutable_update", "payloads_delete_needs_redaction"] {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger)")
            }
            try db.execute(sql: sql, arguments: arguments)
        }
        try queue.close()
    }

    /// Inserts a fully formed event at the head, linked and signed by `key`, bypassing every
    /// check the appender makes: what a forger with file access could do.
    func forge(
        type: String = "deploy.note", stream: String = "forged", streamVersion: Int64 = 1, actor: String, key: Ed25519PrivateKey,
        payload: JSONValue = [:], rawPayload: [UInt8]? = nil, timeShift milliseconds: Int64 = 0
    ) async throws -> Int64 {
        let head = try await ledger.head()
        let payloadBytes = rawPayload ?? CanonicalJSON.encode(payload)
        let envelope = EventEnvelope(
            seq: head.size + 1, type: type, stream: stream, streamVersion: streamVersion, actor: actor, keyID: key.publicKey.keyID,
            time: head.time.adding(milliseconds: milliseconds), previousHash: head.hash, payloadHash: SHA256.hash(payloadBytes))
        let event = try RecordedEvent.seal(envelope, payloadBytes: payloadBytes, signer: key)
        try tamper(
            "INSERT INTO events (seq, hash, prev_hash, stream, stream_version, type, actor, key_id, time, envelope, signature) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            arguments: [
                envelope.seq, Data(event.hash.bytes), Data(envelope.previousHash.bytes), stream, streamVersion, type, actor,
                envelope.keyID.rawValue, envelope.time.description, Data(event.envelopeBytes), Data(event.signature),
            ])
        try tamper("INSERT INTO payloads (seq, bytes) VALUES (?, ?)", arguments: [envelope.seq, Data(payloadBytes)])
        try keepTree()
        return envelope.seq
    }

    /// Adds the Merkle tree rows the events' hash columns call for, as a forger who keeps the
    /// derived tree in step would, so that it does not give the forgery away.
    func keepTree() throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            var frontier = MerkleFrontier()
            for data in try Data.fetchAll(db, sql: "SELECT hash FROM events WHERE seq >= 1 ORDER BY seq") {
                for node in frontier.append(MerkleTree.leafHash([UInt8](data))) {
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO merkle_nodes (pos, hash) VALUES (?, ?)",
                        arguments: [LedgerSnapshot.treePosition(level: node.level, index: node.index), Data(node.hash.bytes)])
                }
            }
        }
        try queue.close()
    }
}

/// A clock that advances one second per reading, so event times are distinct and reproducible.
final class TestClock: Sendable {
    private let ticks = Mutex<Int64>(0)
    static let start = Timestamp("2026-11-01T09:00:00.000Z")!

    /// Jumps the clock forward, e.g. past a deadline.
    func advance(seconds: Int64) {
        ticks.withLock { $0 += seconds }
    }

    func now() -> Timestamp {
        let tick = ticks.withLock { value -> Int64 in
            value += 1
            return value
        }
        return TestClock.start.adding(milliseconds: tick * 1000)
    }
}

import Synchronization

extension VerificationReport {
    /// The findings that fail verification, as (code, seq) pairs.
    var errors: [(FindingCode, Int64?)] { findings.filter { $0.severity == .error }.map { ($0.code, $0.seq) } }

    func has(_ code: FindingCode, seq: Int64?) -> Bool {
        findings.contains { $0.code == code && $0.seq == seq }
    }
}
