internal import Dispatch
internal import Foundation
internal import LedgerCrypto
package import LedgerFormat

/// The append rules, the same for every backend: the body of an append transaction,
/// everything between its start and its commit. It reads and writes only through `storage`,
/// inside a transaction the backend serializes, so the head it reads cannot move under it.
///
/// A batch is appended in three phases: every draft is checked and its envelope built and
/// hashed in order (each links to the previous hash, not to a signature); the hashes are then
/// signed in parallel on all cores; finally the rows are inserted. The head, stream versions
/// and signer keys are read once per transaction and carried in memory.
package final class Appender {
    package let storage: any AppendStorage
    let configuration: LedgerConfiguration
    /// The ledger's keys, from its signed key events (shared across its transactions).
    let signedKeys: SignedKeys
    /// The transaction's time, when fixed for the whole transaction (see `LedgerTransaction`).
    var now: Timestamp?
    /// The ledger's id, which a signed command names (see `Appender+Origin`).
    package var ledgerID = ""

    package struct Head {
        package var seq: Int64
        var hash: SHA256Digest
        var time: Timestamp
    }

    // Not private: a group commit's savepoint puts them back when its write fails
    // (`Appender+Savepoint.swift`).
    var cachedHead: Head??
    /// The head's seq as read before this transaction appended anything: every event at or
    /// below it is committed, so nothing about it can roll back.
    var committedSeq: Int64 = 0
    var streamVersions: [String: Int64?] = [:]
    var keys: [KeyID: KeyRecord?] = [:]
    /// The last Merkle node written at each level in this transaction (`Appender+Merkle`).
    var treeEdge: [Int: (index: UInt64, hash: SHA256Digest)] = [:]
    /// Whether this transaction checked that the stored tree covers the committed events.
    var treeCaughtUp = false

    package init(storage: any AppendStorage, configuration: LedgerConfiguration, signedKeys: SignedKeys = SignedKeys(), now: Timestamp? = nil) {
        self.storage = storage
        self.configuration = configuration
        self.signedKeys = signedKeys
        self.now = now
    }

    package func head() throws -> Head? {
        if let cachedHead { return cachedHead }
        guard let row = try storage.headRow() else {
            cachedHead = .some(nil)
            return nil
        }
        committedSeq = row.seq
        guard let hash = SHA256Digest(bytes: row.hash), let time = Timestamp(row.time) else {
            // Writers refuse to chain onto it; `ledger verify` reads the file without this.
            throw LedgerError(.invalidEvent, "the head event (seq \(row.seq)) has a malformed hash or time column, so nothing can be appended after it; run `ledger verify` to see what is wrong", seq: row.seq)
        }
        let head = Head(seq: row.seq, hash: hash, time: time)
        cachedHead = .some(head)
        return head
    }

    /// Refuses to chain onto a head dated later than `clock` allows: every event appended after
    /// it would inherit that time (`LedgerError.timeAhead`).
    func refuseHeadAhead(clock: Timestamp) throws {
        guard let head = try head(), head.time > configuration.latestTime(at: clock) else { return }
        throw LedgerError(
            .timeAhead,
            "the head event is dated \(head.time), later than this host's clock allows (\(clock)): appending would inherit that time. Run `ledger verify` (time-future) and check the clocks", seq: head.seq)
    }

    package func appendGenesis(_ genesis: Genesis, signer: Signer) throws {
        let draft = EventDraft(type: KeyEvents.genesisType, stream: KeyEvents.ledgerStream, payload: genesis.jsonValue)
        let prepared = prepare(draft, payloadBytes: CanonicalJSON.encode(draft.payload), signer: signer, head: nil, streamVersion: 1)
        try storage.insert(prepared.recorded(signature: try signer.signatures([prepared.hash])[0]))
        try storage.insertLedgerInfo(ledgerID: genesis.ledgerID, formatVersion: genesis.formatVersion)
        try storage.insertKey(genesis.rootKey, seq: 1)
    }

    /// An event built and hashed, waiting for its signature.
    struct Prepared {
        var envelope: EventEnvelope
        var envelopeBytes: [UInt8]
        var hash: SHA256Digest
        var payloadBytes: [UInt8]
        var payload: JSONValue

        func recorded(signature: [UInt8]) -> RecordedEvent {
            RecordedEvent(envelope: envelope, envelopeBytes: envelopeBytes, hash: hash, signature: signature, payloadBytes: payloadBytes)
        }
    }

    private enum Slot {
        case existing(RecordedEvent)
        case sameAs(Int)
        case new(Int)
    }

    /// Appends drafts in order; a draft whose idempotency key was already used returns the
    /// original event and writes nothing.
    package func append(_ drafts: [EventDraft], signer: Signer, allowWorkflowTypes: Bool = false) throws -> [RecordedEvent] {
        // A transaction checked this already; a raw append checks it here.
        if now == nil { try refuseHeadAhead(clock: configuration.clock()) }
        var slots: [Slot] = []
        var prepared: [Prepared] = []
        var batchKeys: [String: Int] = [:]
        // Large batches sign on other cores while this thread goes on preparing.
        let background = drafts.count >= 256 ? BackgroundSigner(key: signer.key, capacity: drafts.count) : nil
        for var draft in drafts {
            let namespace = String(draft.type.prefix { $0 != "." })
            if !allowWorkflowTypes, Capability.workflowNamespaces.contains(namespace) {
                throw LedgerError(
                    .invalidEvent,
                    "\(namespace).* events belong to the approval workflow and must follow the policy: use the approval commands (ledger request/approve/deny/execute/policy), not a raw append")
            }
            if !allowWorkflowTypes, namespace == IdentityLink.namespace {
                throw LedgerError(
                    .invalidEvent,
                    "identity.* events link chat accounts to identities and are checked against the links in force: use `ledger identity link`/`unlink`, not a raw append")
            }
            if !allowWorkflowTypes, namespace == Redaction.namespace {
                throw LedgerError(
                    .invalidEvent,
                    "\(namespace).* events record erasures and are written with the erasure itself: use `ledger redact`, not a raw append")
            }
            let payloadBytes = try validate(draft)
            try authorize(signer, eventType: draft.type)
            let signer = try attribute(&draft, signer: signer, payloadBytes: payloadBytes)
            if let key = draft.idempotencyKey {
                if let index = batchKeys[key] {
                    try checkRetry(key, prepared[index].envelope, draft, payloadBytes)
                    slots.append(.sameAs(index))
                    continue
                }
                if let original = try event(idempotencyKey: key) {
                    try checkRetry(key, original.envelope, draft, payloadBytes)
                    slots.append(.existing(original))
                    continue
                }
            }
            let current = try streamVersion(draft.stream)
            try check(draft.expectedVersion, current: current, stream: draft.stream)
            let event = prepare(draft, payloadBytes: payloadBytes, signer: signer, head: try head(), streamVersion: (current ?? 0) + 1)
            try applyKeyEvent(event)
            cachedHead = .some(Head(seq: event.envelope.seq, hash: event.hash, time: event.envelope.time))
            streamVersions[draft.stream] = .some(event.envelope.streamVersion)
            if let key = draft.idempotencyKey { batchKeys[key] = prepared.count }
            slots.append(.new(prepared.count))
            prepared.append(event)
            background?.add(event.hash)
        }
        // Rows go in as their signatures arrive, chunk by chunk in seq order, so inserting
        // overlaps with signing the rest of the batch instead of waiting for all of it.
        let signature: (Int) throws -> [UInt8]
        if let background {
            background.submitRemaining()
            signature = background.signature(at:)
        } else {
            let signatures = try signer.signatures(prepared.map(\.hash))
            signature = { signatures[$0] }
        }
        var events: [RecordedEvent] = []
        events.reserveCapacity(prepared.count)
        for (index, event) in prepared.enumerated() {
            let recorded = event.recorded(signature: try signature(index))
            try storage.insert(recorded)
            try extendTree(seq: event.envelope.seq, hash: event.hash)
            try projectKeyEvent(event)
            events.append(recorded)
        }
        return slots.map { slot in
            switch slot {
            case .existing(let event): event
            case .sameAs(let index), .new(let index): events[index]
            }
        }
    }

    private func checkRetry(_ key: String, _ original: EventEnvelope, _ draft: EventDraft, _ payloadBytes: [UInt8]) throws {
        guard original.type == draft.type, original.stream == draft.stream, original.payloadHash == SHA256.hash(payloadBytes) else {
            throw LedgerError(
                .idempotencyConflict,
                "idempotency key '\(Identifier.printable(key))' was already used by event \(original.seq) with different content; use a new key for a new event",
                seq: original.seq, stream: original.stream)
        }
    }

    private func validate(_ draft: EventDraft) throws -> [UInt8] {
        guard Identifier.isValidToken(draft.type), Identifier.isValidToken(draft.stream) else {
            throw LedgerError(.invalidEvent, "event type and stream must be \(Identifier.tokenRule)", stream: draft.stream)
        }
        guard draft.type != KeyEvents.genesisType else {
            throw LedgerError(.invalidEvent, "a ledger has exactly one genesis event, written by `ledger init`")
        }
        if let violation = SystemStreams.violation(type: draft.type, stream: draft.stream) {
            throw LedgerError(.invalidEvent, violation, stream: draft.stream)
        }
        for (name, value) in [("idempotency key", draft.idempotencyKey), ("correlation id", draft.correlationID)] {
            if let value, !Identifier.isValidReference(value) {
                throw LedgerError(.invalidEvent, "\(name) '\(Identifier.printable(value))' must be \(Identifier.referenceRule)", stream: draft.stream)
            }
        }
        guard case .object = draft.payload else {
            throw LedgerError(.invalidEvent, "an event payload must be a JSON object", stream: draft.stream)
        }
        let bytes = CanonicalJSON.encode(draft.payload)
        guard bytes.count <= configuration.maxPayloadBytes else {
            throw LedgerError(
                .payloadTooLarge, "payload is \(bytes.count) bytes; the limit is \(configuration.maxPayloadBytes)", stream: draft.stream)
        }
        return bytes
    }

    /// The key as it stands in this transaction, including key events appended so far.
    func key(_ id: KeyID) throws -> KeyRecord? {
        if let cached = keys[id] { return cached }
        let record = try storedKey(id)
        keys[id] = .some(record)
        return record
    }

    /// The key as the committed key events establish it. Events other processes committed
    /// since this `Ledger` last looked (a revocation, say) are read here, in this transaction.
    private func storedKey(_ id: KeyID) throws -> KeyRecord? {
        _ = try head()
        return try signedKeys.timeline(storage: storage, through: committedSeq).entries[id].map(KeyRecord.init)
    }

    /// Refuses a key that is unknown, revoked, bound to another identity, or lacking the
    /// capability the event type requires.
    private func authorize(_ signer: Signer, eventType: String) throws {
        let keyID = signer.key.publicKey.keyID
        guard let record = try key(keyID) else {
            throw LedgerError(.unknownKey, "key \(keyID) is not registered in this ledger; ask an admin to run `ledger key register`")
        }
        if let revoked = record.revokedSeq {
            throw LedgerError(.revokedKey, "key \(keyID) was revoked at seq \(revoked) and can no longer append", seq: revoked)
        }
        if signer.origin != nil { return try authorizeRelay(record, eventType: eventType) }
        guard record.identity == signer.identity else {
            throw LedgerError(
                .keyNotAllowed,
                "key \(keyID) is registered to '\(record.identity)', not '\(Identifier.printable(signer.identity))'")
        }
        guard record.allows(eventType: eventType) else {
            throw LedgerError(
                .keyNotAllowed,
                "'\(record.identity)' (key \(keyID)) lacks the '\(Capability.required(forEventType: eventType)?.rawValue ?? "-")' capability needed for \(eventType) events")
        }
    }

    private func streamVersion(_ stream: String) throws -> Int64? {
        if let cached = streamVersions[stream] { return cached }
        let version = try storage.streamVersion(stream)
        streamVersions[stream] = .some(version)
        return version
    }

    private func check(_ expected: ExpectedVersion, current: Int64?, stream: String) throws {
        switch expected {
        case .any: return
        case .noStream where current == nil: return
        case .exactly(let version) where current == version: return
        default:
            let want = switch expected {
            case .any: "any"
            case .noStream: "no stream"
            case .exactly(let version): "version \(version)"
            }
            throw LedgerError(
                .versionConflict,
                "stream '\(stream)' is at \(current.map { "version \($0)" } ?? "no version (it does not exist)"), expected \(want); re-read it and retry",
                stream: stream)
        }
    }

    private func prepare(_ draft: EventDraft, payloadBytes: [UInt8], signer: Signer, head: Head?, streamVersion: Int64) -> Prepared {
        let now = self.now ?? configuration.clock()
        let envelope = EventEnvelope(
            seq: (head?.seq ?? 0) + 1, type: draft.type, stream: draft.stream, streamVersion: streamVersion,
            actor: signer.identity, keyID: signer.key.publicKey.keyID,
            time: max(now, head?.time ?? now), previousHash: head?.hash ?? .zero,
            payloadHash: SHA256.hash(payloadBytes), idempotencyKey: draft.idempotencyKey, correlationID: draft.correlationID,
            origin: signer.origin)
        let bytes = envelope.canonicalBytes
        return Prepared(
            envelope: envelope, envelopeBytes: bytes, hash: DomainSeparation.eventHash(envelopeBytes: bytes),
            payloadBytes: payloadBytes, payload: draft.payload)
    }

    /// Checks a key event against the keys as they stand, and updates the in-memory view so
    /// later drafts of the same batch see it.
    private func applyKeyEvent(_ event: Prepared) throws {
        let seq = event.envelope.seq
        do {
            switch event.envelope.type {
            case KeyEvents.registeredType:
                let registration = try KeyRegistration(event.payload, what: "key.registered payload")
                guard try key(registration.keyID) == nil else {
                    throw LedgerError(.invalidEvent, "key \(registration.keyID) is already registered; a key is registered once")
                }
                keys[registration.keyID] = .some(KeyRecord(
                    keyID: registration.keyID, identity: registration.identity, publicKey: registration.publicKey,
                    capabilities: registration.capabilities, registeredSeq: seq, revokedSeq: nil))
            case KeyEvents.revokedType:
                let revocation = try KeyRevocation(event.payload, what: "key.revoked payload")
                guard let record = try key(revocation.keyID) else {
                    throw LedgerError(.unknownKey, "key \(revocation.keyID) is not registered; nothing to revoke")
                }
                guard record.revokedSeq == nil else {
                    throw LedgerError(.invalidEvent, "key \(revocation.keyID) is already revoked (seq \(record.revokedSeq!))")
                }
                keys[revocation.keyID] = .some(KeyRecord(
                    keyID: record.keyID, identity: record.identity, publicKey: record.publicKey,
                    capabilities: record.capabilities, registeredSeq: record.registeredSeq, revokedSeq: seq))
            default:
                break
            }
        } catch let error as FormatError {
            throw LedgerError(.invalidEvent, error.message, stream: event.envelope.stream)
        }
    }

    /// Writes a key event to the key projection (already checked by `applyKeyEvent`).
    private func projectKeyEvent(_ event: Prepared) throws {
        switch event.envelope.type {
        case KeyEvents.registeredType:
            try storage.insertKey(try KeyRegistration(event.payload, what: "key.registered payload"), seq: event.envelope.seq)
        case KeyEvents.revokedType:
            let revocation = try KeyRevocation(event.payload, what: "key.revoked payload")
            try storage.revokeKey(revocation.keyID, seq: event.envelope.seq)
        default:
            break
        }
    }

    func event(idempotencyKey key: String) throws -> RecordedEvent? {
        try storage.event(idempotencyKey: key).map { try $0.recordedEvent() }
    }
}

extension Signer {
    /// Read once: on Linux every read of `activeProcessorCount` opens and parses cgroup files
    /// (28–38 µs here, a tenth of the CPU of a whole single-event append).
    private static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Signs event hashes, on all cores when there are enough of them to be worth it (at
    /// least 32 per worker).
    func signatures(_ hashes: [SHA256Digest]) throws -> [[UInt8]] {
        let workers = hashes.count < 64 ? 1 : min(Self.cores, hashes.count / 32)
        var signatures = [[UInt8]](repeating: [], count: hashes.count)
        if workers <= 1 {
            for (index, hash) in hashes.enumerated() { signatures[index] = (try? key.signature(for: hash.bytes)) ?? [] }
        } else {
            signatures.withUnsafeMutableBufferPointer { output in
                // Each worker writes only the indices it owns: no two touch the same element.
                nonisolated(unsafe) let output = output
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    var index = worker
                    while index < hashes.count {
                        output[index] = (try? key.signature(for: hashes[index].bytes)) ?? []
                        index += workers
                    }
                }
            }
        }
        guard signatures.allSatisfy({ $0.count == 64 }) else { throw LedgerError(.crypto, "Ed25519 signing failed") }
        return signatures
    }
}

/// Signs hashes in chunks on a concurrent queue as they are produced, so signing overlaps
/// with preparing the rest of the batch and then with inserting it.
///
/// `@unchecked Sendable`: `add`, `submitRemaining` and `signature(at:)` run on the appending
/// thread only; each chunk job writes only its own range of `slots` and then signals its
/// semaphore, and `signature(at:)` reads a range only after waiting for that semaphore.
private final class BackgroundSigner: @unchecked Sendable {
    private let key: Ed25519PrivateKey
    private let slots: UnsafeMutableBufferPointer<[UInt8]>
    private var pending: [SHA256Digest] = []
    private var submitted = 0
    /// One semaphore per submitted chunk, in order, and the end index of its range.
    private var chunks: [(end: Int, done: DispatchSemaphore)] = []
    /// Chunks waited for so far; every slot below `signedEnd` holds its signature.
    private var waited = 0, signedEnd = 0
    private static let chunk = 128

    init(key: Ed25519PrivateKey, capacity: Int) {
        self.key = key
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: [])
    }

    deinit {
        // Every job holds `self`, so none is still writing to `slots` here.
        slots.deinitialize()
        slots.deallocate()
    }

    func add(_ hash: SHA256Digest) {
        pending.append(hash)
        if pending.count == Self.chunk { submit() }
    }

    func submitRemaining() {
        if !pending.isEmpty { submit() }
    }

    private func submit() {
        let hashes = pending, start = submitted
        let done = DispatchSemaphore(value: 0)
        pending.removeAll(keepingCapacity: true)
        submitted += hashes.count
        chunks.append((submitted, done))
        DispatchQueue.global().async { [self] in
            for (offset, hash) in hashes.enumerated() {
                slots[start + offset] = (try? key.signature(for: hash.bytes)) ?? []
            }
            done.signal()
        }
    }

    /// The signature of hash `index`, waiting for its chunk; indices must be asked in order.
    func signature(at index: Int) throws -> [UInt8] {
        while index >= signedEnd {
            chunks[waited].done.wait()
            signedEnd = chunks[waited].end
            waited += 1
        }
        let signature = slots[index]
        guard signature.count == 64 else { throw LedgerError(.crypto, "Ed25519 signing failed") }
        return signature
    }
}
