internal import LedgerCrypto
internal import LedgerFormat

// Identity links (docs/FORMAT.md §Identity links): an admin binds a chat account to an
// identity, and every event a relay records through that account must speak for that
// identity at its seq. The relay vouches that the account acted; the link, signed by an
// admin, says whose account it is, so a relay key alone cannot make a chat vote count as
// anybody's.

extension ChainWalker {
    /// Applies an `$identities` event by a key valid at its seq that may append it; reports
    /// one that does not apply to the links in force. One by any other key changes nothing
    /// (its key finding is reported by the conformance check).
    mutating func applyIdentityLink(_ envelope: EventEnvelope, payload: JSONValue?, answerable: Bool) {
        guard answerable else { return }
        guard let payload else {
            find(.identityLinkInvalid, envelope.seq, "the payload of this \(envelope.type) event is unavailable, so the links after it are unproven")
            return
        }
        do { try identityLinks.apply(type: envelope.type, payload: payload) } catch {
            find(.identityLinkInvalid, envelope.seq, "\(error.message); the event changes no link")
        }
    }

    /// A relayed event through a chat account must speak for the identity the account is
    /// linked to, or for the relay itself (an unlinked account's refused attempt).
    mutating func checkLinkedAccount(via: String, _ envelope: EventEnvelope, relay: KeyRegistration) {
        guard IdentityLink.namesAccount(via: via), envelope.actor != relay.identity else { return }
        let linked = identityLinks.identity(of: via)
        guard linked != envelope.actor else { return }
        find(
            .relayUnlinked, envelope.seq,
            "the relay recorded this \(envelope.type) through \(Identifier.printable(via)) for '\(envelope.actor)', but at this seq that account is \(linked.map { "linked to '\($0)'" } ?? "linked to no identity"): a relay key alone cannot make a chat account speak for someone")
    }
}
