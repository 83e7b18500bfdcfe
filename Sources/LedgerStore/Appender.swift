internal import Foundation
internal import GRDB
internal import LedgerCrypto
internal import LedgerFormat

/// The body of an append transaction: everything between `BEGIN IMMEDIATE` and `COMMIT`.
/// Runs on the writer connection only, so the head it reads cannot move under it.
struct Appender {
    let db: Database
    let configuration: LedgerConfiguration
    /// The transaction's time, when fixed for the whole transaction (see `LedgerTransaction`).
    var now: Timestamp?

    struct Head {
        var seq: Int64
        var hash: SHA256Digest
        var time: Timestamp
    }

    func head() throws -> Head? {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash, time FROM events ORDER BY seq DESC LIMIT 1") else {
            return nil
        }
        let bytes: Data = row[1]
        guard let hash = SHA256Digest(bytes: [UInt8](bytes)), let time = Timestamp(row[2] as String) else {
            throw LedgerError(.invalidEvent, "the head event is corrupt; run `ledger verify`", seq: row[0])
        }
        return Head(seq: row[0], hash: hash, time: time)
    }

    func appendGenesis(_ genesis: Genesis, signer: Signer) throws {
        let draft = EventDraft(type: KeyEvents.genesisType, stream: KeyEvents.ledgerStream, payload: genesis.jsonValue)
        let event = try seal(draft, payloadBytes: CanonicalJSON.encode(draft.payload), signer: signer, head: nil, streamVersion: 1)
        try insert(event)
        try db.execute(
            sql: "INSERT INTO ledger_info (singleton, ledger_id, format_version) VALUES (1, ?, ?)",
            arguments: [genesis.ledgerID, genesis.formatVersion])
        try project(genesis.rootKey, seq: 1)
    }

    /// Appends one draft, or returns the event an earlier append with the same idempotency
    /// key wrote (and writes nothing).
    func append(_ draft: EventDraft, signer: Signer, allowWorkflowTypes: Bool = false) throws -> RecordedEvent {
        let namespace = String(draft.type.prefix { $0 != "." })
        if !allowWorkflowTypes, Capability.workflowNamespaces.contains(namespace) {
            throw LedgerError(
                .invalidEvent,
                "\(namespace).* events belong to the approval workflow and must follow the policy: use the approval commands (ledger request/approve/deny/execute/policy), not a raw append")
        }
        let payloadBytes = try validate(draft)
        try authorize(signer, eventType: draft.type)
        if let key = draft.idempotencyKey, let original = try event(idempotencyKey: key) {
            guard original.envelope.type == draft.type, original.envelope.stream == draft.stream,
                  original.envelope.payloadHash == SHA256.hash(payloadBytes)
            else {
                throw LedgerError(
                    .idempotencyConflict,
                    "idempotency key '\(Identifier.printable(key))' was already used by event \(original.envelope.seq) with different content; use a new key for a new event",
                    seq: original.envelope.seq, stream: original.envelope.stream)
            }
            return original
        }
        let current = try Int64.fetchOne(db, sql: "SELECT MAX(stream_version) FROM events WHERE stream = ?", arguments: [draft.stream])
        try check(draft.expectedVersion, current: current, stream: draft.stream)
        let event = try seal(draft, payloadBytes: payloadBytes, signer: signer, head: try head(), streamVersion: (current ?? 0) + 1)
        try insert(event)
        try applyKeyEvent(event, payload: draft.payload)
        return event
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
        do {
            switch draft.type {
            case KeyEvents.registeredType: _ = try KeyRegistration(draft.payload, what: "key.registered payload")
            case KeyEvents.revokedType: _ = try KeyRevocation(draft.payload, what: "key.revoked payload")
            default: break
            }
        } catch {
            throw LedgerError(.invalidEvent, error.message, stream: draft.stream)
        }
        return bytes
    }

    /// Refuses a key that is unknown, revoked, bound to another identity, or lacking the
    /// capability the event type requires.
    private func authorize(_ signer: Signer, eventType: String) throws {
        let keyID = signer.key.publicKey.keyID
        guard let record = try KeyStore(db: db).key(keyID) else {
            throw LedgerError(.unknownKey, "key \(keyID) is not registered in this ledger; ask an admin to run `ledger key register`")
        }
        if let revoked = record.revokedSeq {
            throw LedgerError(.revokedKey, "key \(keyID) was revoked at seq \(revoked) and can no longer append", seq: revoked)
        }
        guard record.identity == signer.identity else {
            throw LedgerError(
                .keyNotAllowed,
                "key \(keyID) is registered to '\(record.identity)', not '\(Identifier.printable(signer.identity))'")
        }
        let registration = KeyRegistration(publicKey: record.publicKey, identity: record.identity, capabilities: record.capabilities)
        guard registration.allows(eventType: eventType) else {
            throw LedgerError(
                .keyNotAllowed,
                "'\(record.identity)' (key \(keyID)) lacks the '\(Capability.required(forEventType: eventType)?.rawValue ?? "-")' capability needed for \(eventType) events")
        }
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

    private func seal(_ draft: EventDraft, payloadBytes: [UInt8], signer: Signer, head: Head?, streamVersion: Int64) throws -> RecordedEvent {
        let now = self.now ?? configuration.clock()
        let envelope = EventEnvelope(
            seq: (head?.seq ?? 0) + 1, type: draft.type, stream: draft.stream, streamVersion: streamVersion,
            actor: signer.identity, keyID: signer.key.publicKey.keyID,
            time: max(now, head?.time ?? now), previousHash: head?.hash ?? .zero,
            payloadHash: SHA256.hash(payloadBytes), idempotencyKey: draft.idempotencyKey, correlationID: draft.correlationID)
        do {
            return try RecordedEvent.seal(envelope, payloadBytes: payloadBytes, signer: signer.key)
        } catch {
            throw LedgerError(.crypto, "signing failed: \(error)")
        }
    }

    private func insert(_ event: RecordedEvent) throws {
        let e = event.envelope
        try db.execute(
            sql: """
                INSERT INTO events (seq, hash, prev_hash, stream, stream_version, type, actor, key_id, time,
                                    idempotency_key, correlation_id, envelope, signature)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                e.seq, Data(event.hash.bytes), Data(e.previousHash.bytes), e.stream, e.streamVersion, e.type, e.actor,
                e.keyID.rawValue, e.time.description, e.idempotencyKey, e.correlationID, Data(event.envelopeBytes),
                Data(event.signature),
            ])
        if let payload = event.payloadBytes {
            try db.execute(sql: "INSERT INTO payloads (seq, bytes) VALUES (?, ?)", arguments: [e.seq, Data(payload)])
        }
    }

    private func applyKeyEvent(_ event: RecordedEvent, payload: JSONValue) throws {
        switch event.envelope.type {
        case KeyEvents.registeredType:
            let registration = try KeyRegistration(payload, what: "key.registered payload")
            guard try KeyStore(db: db).key(registration.keyID) == nil else {
                throw LedgerError(.invalidEvent, "key \(registration.keyID) is already registered; a key is registered once")
            }
            try project(registration, seq: event.envelope.seq)
        case KeyEvents.revokedType:
            let revocation = try KeyRevocation(payload, what: "key.revoked payload")
            guard let record = try KeyStore(db: db).key(revocation.keyID) else {
                throw LedgerError(.unknownKey, "key \(revocation.keyID) is not registered; nothing to revoke")
            }
            guard record.revokedSeq == nil else {
                throw LedgerError(.invalidEvent, "key \(revocation.keyID) is already revoked (seq \(record.revokedSeq!))")
            }
            try db.execute(sql: "UPDATE keys SET revoked_seq = ? WHERE key_id = ?", arguments: [event.envelope.seq, revocation.keyID.rawValue])
        default:
            break
        }
    }

    private func project(_ registration: KeyRegistration, seq: Int64) throws {
        try db.execute(
            sql: "INSERT INTO keys (key_id, identity, public_key, capabilities, registered_seq) VALUES (?, ?, ?, ?, ?)",
            arguments: [
                registration.keyID.rawValue, registration.identity, Data(registration.publicKey.rawRepresentation),
                String(decoding: CanonicalJSON.encode(.array(registration.capabilities.map { .string($0.rawValue) })), as: UTF8.self),
                seq,
            ])
    }

    private func event(idempotencyKey key: String) throws -> RecordedEvent? {
        try Row.fetchOne(db, sql: StoredEvent.selection + " WHERE e.idempotency_key = ?", arguments: [key])
            .map { try StoredEvent(row: $0).recordedEvent() }
    }
}
