internal import Foundation
internal import GRDB
public import LedgerFormat

extension Ledger {
    /// Links a chat account (`slack:T…/U…`) to a ledger identity: an `identity.linked` event
    /// in `$identities` (docs/FORMAT.md §Identity links). From then on a relay may record that
    /// account's votes as the identity's; `ledger verify` holds every vote relayed through
    /// the account to the link in force at its seq.
    ///
    /// - Throws: `LedgerError` `.invalidEvent` (a malformed account or identity),
    ///   `.alreadyExists` (the account is linked already: unlink it first), `.keyNotAllowed`
    ///   (the signer's key is not admin), and the storage errors. Nothing is written then.
    @discardableResult
    public func link(account: String, identity: String, signer: Signer) async throws -> RecordedEvent {
        guard IdentityLink.isAccount(account) else {
            throw LedgerError(.invalidEvent, "cannot link '\(Identifier.printable(account))': an account is \(IdentityLink.accountRule)")
        }
        guard Identifier.isValidIdentity(identity) else {
            throw LedgerError(.invalidEvent, "cannot link to '\(Identifier.printable(identity))': an identity is \(Identifier.identityRule)")
        }
        return try await appendLinkEvent(signer: signer) { table in
            if let current = table.identity(of: account) {
                throw LedgerError(
                    .alreadyExists,
                    "\(account) is already linked to '\(current)'; unlink it first (`ledger identity unlink \(account) --reason …`)")
            }
            return EventDraft(type: IdentityLink.linkedType, stream: IdentityLink.stream, payload: IdentityLink(account: account, identity: identity).jsonValue)
        }
    }

    /// Ends a link: an `identity.unlinked` event. Votes through the account are then refused
    /// (recorded as `identity-unlinked` attempts).
    /// - Throws: `LedgerError` `.notFound` (the account is not linked), `.invalidEvent` (an
    ///   empty reason), `.keyNotAllowed`, and the storage errors.
    @discardableResult
    public func unlink(account: String, reason: String, signer: Signer) async throws -> RecordedEvent {
        guard reason.contains(where: { !$0.isWhitespace }) else {
            throw LedgerError(.invalidEvent, "say why the link ends: --reason is required and may not be empty")
        }
        return try await appendLinkEvent(signer: signer) { table in
            guard table.identity(of: account) != nil else {
                throw LedgerError(.notFound, "\(Identifier.printable(account)) is not linked to any identity (`ledger identity list` shows the links)")
            }
            return EventDraft(type: IdentityLink.unlinkedType, stream: IdentityLink.stream, payload: IdentityLink.unlinkPayload(account: account, reason: reason))
        }
    }

    /// The links in force at the head, folded from the `$identities` events.
    public func identityLinks() async throws -> IdentityLinkTable {
        try await StorageErrors.mapping(path: path) {
            try await database.read { db in try IdentityLinkTable.read(SQLiteAppendStorage(db: db)) }
        }
    }

    /// The identity `account` is linked to at the head, if any.
    public func linkedIdentity(account: String) async throws -> String? {
        try await identityLinks().identity(of: account)
    }

    private func appendLinkEvent(signer: Signer, _ draft: @escaping @Sendable (IdentityLinkTable) throws -> EventDraft) async throws -> RecordedEvent {
        try await writes.perform { batch in
            let draft = try draft(try IdentityLinkTable.read(batch.appender.storage))
            batch.appender.now = nil
            let event = try batch.appender.append([draft], signer: signer, allowWorkflowTypes: true)[0]
            return (event, event.envelopeBytes.count + (event.payloadBytes?.count ?? 0))
        }
    }
}

extension LedgerTransaction {
    /// The links in force in this transaction.
    public func identityLinks() throws -> IdentityLinkTable {
        try IdentityLinkTable.read(appender.storage)
    }
}

extension IdentityLinkTable {
    /// Folded from the stored `$identities` events in seq order. The writer appends only
    /// valid links with an admin key; an event that does not apply (written by hand) changes
    /// nothing here, as in `ledger verify`, which reports it.
    static func read(_ storage: any AppendStorage) throws -> IdentityLinkTable {
        var table = IdentityLinkTable()
        for event in try storage.events(stream: IdentityLink.stream) {
            guard let bytes = event.payloadBytes, let payload = try? JSONParser.parse(bytes) else { continue }
            try? table.apply(type: event.type, payload: payload)
        }
        return table
    }
}
