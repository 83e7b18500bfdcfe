import ApprovalLedger
import Dispatch
import Foundation
import Synchronization
import TestSupport
import Testing

/// Group commit on real files: concurrent writes of one `Ledger` share one SQLite transaction,
/// each in its own savepoint, and every caller is answered after the commit.
///
/// The batch tests hold the writer inside a write (`WriterGate`) while they queue the writes
/// one by one, so the writes then run in one batch, in the order queued: no test depends on
/// how fast anything runs.
@Suite("Group commit: concurrent writes share a commit")
struct GroupCommitTests {
    struct Refused: Error {}

    static func note(_ stream: String, _ n: Int, expected: ExpectedVersion = .any, key: String? = nil) -> EventDraft {
        EventDraft(type: "deploy.note", stream: stream, payload: ["n": .integer(Int64(n))], expectedVersion: expected, idempotencyKey: key)
    }

    /// Every event of the ledger, read back from the file by another `Ledger`.
    static func stored(_ fixture: LedgerFixture) async throws -> [RecordedEvent] {
        try await fixture.openAgain().events(from: 1, limit: 100_000)
    }

    @Test("64 concurrent tasks append: every acknowledged event is stored as answered, seq gapless, the chain verifies")
    func concurrentAppendsAreAllCommitted() async throws {
        let fixture = try await LedgerFixture.make()
        let before = try await fixture.ledger.head().size
        let (ledger, alice) = (fixture.ledger, fixture.alice)
        let answered = try await withThrowingTaskGroup(of: [RecordedEvent].self) { group in
            for task in 0..<64 {
                group.addTask {
                    var events: [RecordedEvent] = []
                    for n in 0..<4 {
                        // Half on streams of their own (checked versions), half on one shared stream.
                        let draft = task % 2 == 0
                            ? Self.note("own-\(task)", n, expected: n == 0 ? .noStream : .exactly(Int64(n)))
                            : Self.note("shared", task * 4 + n)
                        events.append(try await ledger.append(draft, signer: alice))
                    }
                    return events
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(answered.count == 256)
        let stored = try await Self.stored(fixture)
        #expect(stored.map(\.envelope.seq) == Array(1...(before + 256)))
        let bySeq = Dictionary(uniqueKeysWithValues: stored.map { ($0.envelope.seq, $0) })
        for event in answered {
            #expect(bySeq[event.envelope.seq]?.hash == event.hash)
            #expect(bySeq[event.envelope.seq]?.signature == event.signature)
        }
        let shared = try await fixture.ledger.events(stream: "shared")
        #expect(shared.map(\.envelope.streamVersion) == Array(1...128))
        #expect(try fixture.verify().isVerified())
        let statistics = fixture.ledger.groupCommitStatistics
        #expect(statistics.writes >= 256)
        #expect(statistics.refused == 0)
    }

    @Test("Writes queued while a commit is under way share the next one")
    func queuedWritesShareOneCommit() async throws {
        let fixture = try await LedgerFixture.make()
        let (ledger, alice) = (fixture.ledger, fixture.alice)
        let before = ledger.groupCommitStatistics
        let gate = try await WriterGate(ledger)
        var tasks: [Task<RecordedEvent, any Error>] = []
        for n in 0..<20 {
            tasks.append(try await gate.queue { try await ledger.append(Self.note("batched", n), signer: alice) })
        }
        try await gate.open()
        let events = try await tasks.asyncMap { try await $0.value }
        #expect(events.map(\.envelope.streamVersion) == Array(1...20))
        let after = ledger.groupCommitStatistics
        #expect(after.commits - before.commits == 1)
        #expect(after.writes - before.writes == 21)
        #expect(try await Self.stored(fixture).suffix(20).map(\.hash) == events.map(\.hash))
        #expect(try fixture.verify().isVerified())
    }

    @Test("A write that throws rolls back alone: the writes after it in its batch see neither its rows nor its head, versions or keys")
    func failingWriteRollsBackAlone() async throws {
        let fixture = try await LedgerFixture.make()
        let (ledger, alice, root) = (fixture.ledger, fixture.alice, fixture.root)
        let carol = Signer(identity: "carol", key: try Ed25519PrivateKey())
        let gate = try await WriterGate(ledger)
        let first = try await gate.queue { try await ledger.append(Self.note("s", 0, expected: .noStream), signer: alice) }
        let appendsThenThrows = try await gate.queue {
            try await ledger.transaction { tx in
                try tx.append(Self.note("s", 1, expected: .exactly(1)), signer: alice)
                throw Refused()
            }
        }
        let afterIt = try await gate.queue { try await ledger.append(Self.note("s", 2, expected: .exactly(1)), signer: alice) }
        let registersThenThrows = try await gate.queue {
            try await ledger.transaction { tx in
                try tx.append(
                    EventDraft(
                        type: KeyEvents.registeredType, stream: KeyEvents.keysStream,
                        payload: KeyRegistration(publicKey: carol.key.publicKey, identity: "carol", capabilities: [.append]).jsonValue),
                    signer: root)
                throw Refused()
            }
        }
        let carolTooEarly = try await gate.queue { try await ledger.append(Self.note("c", 0), signer: carol) }
        let registered = try await gate.queue {
            try await ledger.registerKey(carol.key.publicKey, identity: "carol", capabilities: [.append], signer: root)
        }
        let carolNow = try await gate.queue { try await ledger.append(Self.note("c", 1), signer: carol) }
        let conflict = try await gate.queue { try await ledger.append(Self.note("s", 3, expected: .noStream), signer: alice) }
        try await gate.open()

        let head = try await first.value
        await #expect(throws: Refused.self) { try await appendsThenThrows.value }
        let next = try await afterIt.value
        #expect(next.envelope.seq == head.envelope.seq + 1)
        #expect(next.envelope.previousHash == head.hash)
        #expect(next.envelope.streamVersion == 2)
        await #expect(throws: Refused.self) { try await registersThenThrows.value }
        let early = await #expect(throws: LedgerError.self) { try await carolTooEarly.value }
        #expect(early?.code == .unknownKey)
        let registration = try await registered.value
        #expect(registration.envelope.seq == next.envelope.seq + 1)
        #expect(try await carolNow.value.envelope.seq == registration.envelope.seq + 1)
        let refused = await #expect(throws: LedgerError.self) { try await conflict.value }
        #expect(refused?.code == .versionConflict)

        let stored = try await Self.stored(fixture)
        #expect(stored.map(\.envelope.seq) == Array(1...Int64(stored.count)))
        #expect(try await ledger.events(stream: "s").map(\.envelope.payloadHash) == [head, next].map(\.envelope.payloadHash))
        #expect(try await ledger.keys().filter { $0.identity == "carol" }.map(\.registeredSeq) == [registration.envelope.seq])
        #expect(try fixture.verify().isVerified())
    }

    @Test("Idempotency keys inside one batch: a retry gets the first event, different content a conflict, a rolled-back use nothing")
    func idempotencyKeysInsideOneBatch() async throws {
        let fixture = try await LedgerFixture.make()
        let (ledger, alice) = (fixture.ledger, fixture.alice)
        let gate = try await WriterGate(ledger)
        let rolledBack = try await gate.queue {
            try await ledger.transaction { tx in
                try tx.append(Self.note("k", 1, key: "deploy-42"), signer: alice)
                throw Refused()
            }
        }
        let original = try await gate.queue { try await ledger.append(Self.note("k", 1, key: "deploy-42"), signer: alice) }
        let retry = try await gate.queue { try await ledger.append(Self.note("k", 1, key: "deploy-42"), signer: alice) }
        let different = try await gate.queue { try await ledger.append(Self.note("k", 2, key: "deploy-42"), signer: alice) }
        let twiceInOneCall = try await gate.queue {
            try await ledger.append([Self.note("k", 3, key: "deploy-43"), Self.note("k", 3, key: "deploy-43")], signer: alice)
        }
        try await gate.open()

        await #expect(throws: Refused.self) { try await rolledBack.value }
        let event = try await original.value
        #expect(try await retry.value == event)
        let conflict = await #expect(throws: LedgerError.self) { try await different.value }
        #expect(conflict?.code == .idempotencyConflict)
        #expect(conflict?.seq == event.envelope.seq)
        let pair = try await twiceInOneCall.value
        #expect(pair[0] == pair[1])
        #expect(pair[0].envelope.seq == event.envelope.seq + 1)
        let keys = try await Self.stored(fixture).compactMap(\.envelope.idempotencyKey)
        #expect(keys == ["deploy-42", "deploy-43"])
        #expect(try fixture.verify().isVerified())
    }

    static func request(_ id: String) -> OpenRequest {
        OpenRequest(requestID: id, action: "deploy", resource: "svc/api", environment: "prod", summary: "release")
    }

    @Test("A policy published by a write that rolls back governs nothing; one published earlier in the batch governs the next request")
    func policiesFollowTheSavepoints() async throws {
        let fixture = try await LedgerFixture.make()
        let approvals = Approvals(ledger: fixture.ledger)
        let (root, alice) = (fixture.root, fixture.alice)
        func policy(_ name: String) throws -> Policy {
            try Policy(yaml: """
                version: 1
                name: \(name)
                groups: {sre: [bob]}
                rules:
                  - name: prod
                    match: {environment: prod}
                    require: {groups: {sre: 1}}
                    ttl: 1h
                """)
        }
        let first = try await approvals.publish(try policy("first"), signer: root)
        let (second, third) = (try policy("second"), try policy("third"))
        let gate = try await WriterGate(fixture.ledger)
        let rolledBack = try await gate.queue {
            try await fixture.ledger.transaction { tx in
                try tx.append(
                    EventDraft(type: ApprovalEvents.policyPublished, stream: ApprovalEvents.policyStream, payload: [
                        "name": .string(second.name), "hash": .string(second.contentHash.hex), "content": second.jsonValue,
                    ]),
                    signer: root)
                throw Refused()
            }
        }
        let underFirst = try await gate.queue { try await approvals.open(Self.request("req-a"), signer: alice) }
        let published = try await gate.queue { try await approvals.publish(third, signer: root) }
        let underThird = try await gate.queue { try await approvals.open(Self.request("req-b"), signer: alice) }
        try await gate.open()

        await #expect(throws: Refused.self) { try await rolledBack.value }
        #expect(try await underFirst.value.policyVersion == first.version)
        let version = try await published.value.version
        #expect(try await underThird.value.policyVersion == version)
        #expect(try await approvals.currentPolicy()?.version == version)
        #expect(try await approvals.open(Self.request("req-c"), signer: alice).policyVersion == version)
        #expect(try fixture.verify().isVerified())
    }

    @Test("A full queue refuses a write at once with `overloaded`, writing nothing; the queued writes still commit")
    func fullQueueRefusesWithOverloaded() async throws {
        var configuration = LedgerConfiguration()
        configuration.maxQueuedWrites = 2
        let fixture = try await LedgerFixture.make(configuration: configuration)
        let (ledger, alice) = (fixture.ledger, fixture.alice)
        let gate = try await WriterGate(ledger)
        let queued = [
            try await gate.queue { try await ledger.append(Self.note("q", 0), signer: alice) },
            try await gate.queue { try await ledger.append(Self.note("q", 1), signer: alice) },
        ]
        let refused = await #expect(throws: LedgerError.self) { try await ledger.append(Self.note("q", 2), signer: alice) }
        #expect(refused?.code == .overloaded)
        #expect(ledger.groupCommitStatistics.refused == 1)
        try await gate.open()
        for task in queued { _ = try await task.value }
        #expect(try await ledger.events(stream: "q").count == 2)
        #expect(try fixture.verify().isVerified())
    }

    @Test("Two Ledgers on one file (as two processes) append concurrently: both commit everything, one chain")
    func twoLedgersOnOneFile() async throws {
        let fixture = try await LedgerFixture.make()
        let other = try await fixture.openAgain()
        let alice = fixture.alice
        let answered = try await withThrowingTaskGroup(of: RecordedEvent.self) { group in
            for (index, ledger) in [fixture.ledger, other].enumerated() {
                for task in 0..<32 {
                    group.addTask { try await ledger.append(Self.note("ledger-\(index)", task), signer: alice) }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let stored = try await Self.stored(fixture)
        let hashes = Set(stored.map(\.hash))
        #expect(answered.allSatisfy { hashes.contains($0.hash) })
        #expect(Set(answered.map(\.envelope.seq)).count == 64)
        #expect(stored.map(\.envelope.seq) == Array(1...Int64(stored.count)))
        #expect(try fixture.verify().isVerified())
    }
}

/// Holds a ledger's writer inside a write until `open()`, so that writes queued meanwhile
/// are all taken into the next batch, in the order they were queued.
final class WriterGate: Sendable {
    private let ledger: Ledger
    private let released = DispatchSemaphore(value: 0)
    private let holding: Task<Void, any Error>

    /// Returns once the writer is held.
    init(_ ledger: Ledger) async throws {
        self.ledger = ledger
        let entered = Mutex(false)
        holding = Task { [released] in
            try await ledger.transaction { _ in
                entered.withLock { $0 = true }
                released.wait()
            }
        }
        while !entered.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
    }

    /// Starts `write` and returns once it waits in the queue (or has already failed).
    func queue<T: Sendable>(_ write: @escaping @Sendable () async throws -> T) async throws -> Task<T, any Error> {
        let waiting = ledger.groupCommitStatistics.waiting
        let finished = Mutex(false)
        let task = Task {
            defer { finished.withLock { $0 = true } }
            return try await write()
        }
        while ledger.groupCommitStatistics.waiting == waiting, !finished.withLock({ $0 }) {
            try await Task.sleep(for: .milliseconds(1))
        }
        return task
    }

    /// Lets the writer go on, and waits for the write that held it.
    func open() async throws {
        released.signal()
        try await holding.value
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
