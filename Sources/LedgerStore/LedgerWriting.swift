public import LedgerCrypto
public import LedgerFormat

/// A ledger the approval workflow and the raw appends run on, whichever backend stores it:
/// a SQLite file (`Ledger`) or a PostgreSQL database (`PostgresLedger`). Both run the same
/// append rules (`Appender`) in one serialized write transaction; they differ only in where
/// the rows go.
public protocol LedgerWriting: AnyObject, Sendable {
    /// The ledger's id, from its genesis event.
    var ledgerID: String { get }
    /// Where it is, as the user named it (a path or a `postgres://` URL without password).
    var address: String { get }

    /// Runs `body` as one write, all or nothing, and returns once what it appended is
    /// committed. `at` fixes the transaction's time; it never goes before the head's time.
    func transaction<T: Sendable>(at requested: Timestamp?, _ body: @escaping @Sendable (LedgerTransaction) throws -> T) async throws -> T

    /// Appends events in one transaction, each stamped with the clock: all are written, or none.
    func append(_ drafts: [EventDraft], signer: Signer) async throws -> [RecordedEvent]

    /// The key `id` as the committed key events establish it.
    func key(_ id: KeyID) async throws -> KeyRecord?
    /// Every key the committed key events establish, in registration order.
    func keys() async throws -> [KeyRecord]
    /// Request projection rows, newest first, optionally only with the given statuses.
    func requestRows(status: [String], limit: Int) async throws -> [RequestRow]
}

extension LedgerWriting {
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (LedgerTransaction) throws -> T) async throws -> T {
        try await transaction(at: nil, body)
    }

    public func requestRows(status: [String] = [], limit: Int = 1000) async throws -> [RequestRow] {
        try await requestRows(status: status, limit: limit)
    }

    /// Appends one event, durably, and returns it as stored.
    @discardableResult
    public func append(_ draft: EventDraft, signer: Signer) async throws -> RecordedEvent {
        try await append([draft], signer: signer)[0]
    }

    /// Registers `publicKey` for `identity` with `capabilities` (a `key.registered` event).
    /// `signer` must hold the admin capability.
    @discardableResult
    public func registerKey(
        _ publicKey: Ed25519PublicKey, identity: String, capabilities: [Capability] = Capability.defaults, signer: Signer
    ) async throws -> RecordedEvent {
        guard Identifier.isValidIdentity(identity) else {
            throw LedgerError(.invalidEvent, "identity '\(Identifier.printable(identity))' is invalid: use \(Identifier.identityRule)")
        }
        let registration = KeyRegistration(publicKey: publicKey, identity: identity, capabilities: capabilities)
        return try await append(
            EventDraft(type: KeyEvents.registeredType, stream: KeyEvents.keysStream, payload: registration.jsonValue), signer: signer)
    }

    /// Revokes a key from the next seq on (a `key.revoked` event). `signer` must be admin.
    @discardableResult
    public func revokeKey(_ keyID: KeyID, reason: String, signer: Signer) async throws -> RecordedEvent {
        try await append(
            EventDraft(type: KeyEvents.revokedType, stream: KeyEvents.keysStream, payload: KeyRevocation(keyID: keyID, reason: reason).jsonValue),
            signer: signer)
    }
}

extension EventDraft {
    /// Refuses a payload no reader could take back (too deep): checked before any write.
    package static func checkReadable(_ drafts: [EventDraft]) throws {
        for draft in drafts {
            if let problem = draft.payload.readabilityProblem(maxDepth: Ledger.maxPayloadDepth) {
                throw LedgerError(.invalidEvent, "the payload cannot be stored: \(problem)", stream: draft.stream)
            }
        }
    }
}
