internal import LedgerCrypto
package import LedgerFormat
internal import Synchronization

/// The ledger's keys as its signed key events establish them: the authority every append and
/// command is judged by. The `keys` table is a copy for people with the sqlite3 shell, and no
/// command trusts it; a key row edited there changes nothing here.
///
/// Built with the rules of docs/FORMAT.md §Key timeline, the same `KeyTimeline` the verifier
/// uses: a key event counts only when its envelope decodes, its payload matches the envelope's
/// commitment, and it is signed, validly, by an admin key valid at its seq. Shared by every
/// transaction of one `Ledger`: committed events never change, so each key event is checked
/// once, and a transaction reads only the key events committed since the last one that looked.
package final class SignedKeys: Sendable {
    private struct State: Sendable {
        var through: Int64 = 0
        var timeline = KeyTimeline()
    }

    private let state = Mutex(State())

    package init() {}

    /// Key and genesis events are found by their type or their stream: a row would have to
    /// lie in both columns to hide, and `ledger verify` reports a column that lies.
    static let sql = StoredEvent.selection + """
         AND e.seq > ? AND e.seq <= ?
         AND (e.type IN ('ledger.genesis', 'key.registered', 'key.revoked') OR e.stream IN ('$ledger', '$keys'))
        ORDER BY e.seq
        """

    /// The timeline through `head`, which must be committed (or this transaction's own head
    /// before it appended anything).
    package func timeline(storage: any AppendStorage, through head: Int64) throws -> KeyTimeline {
        var current = state.withLock { $0 }
        guard current.through < head else { return current.timeline }
        for event in try storage.keyEvents(after: current.through, through: head) { Self.apply(event, to: &current.timeline) }
        current.through = head
        state.withLock { if $0.through < current.through { $0 = current } }
        return current.timeline
    }

    /// Applies a genesis or key event that proves itself; anything else is skipped, as if it
    /// were not there (`ledger verify` says what is wrong with it).
    private static func apply(_ row: StoredEvent, to timeline: inout KeyTimeline) {
        guard let envelope = try? EventEnvelope(canonicalBytes: row.envelopeBytes), envelope.seq == row.seq,
              let bytes = row.payloadBytes, SHA256.hash(bytes) == envelope.payloadHash,
              let payload = try? JSONParser.parse(bytes)
        else { return }
        let hash = DomainSeparation.eventHash(envelopeBytes: row.envelopeBytes)
        if envelope.seq == 1 {
            guard envelope.type == KeyEvents.genesisType, let genesis = try? Genesis(payload),
                  envelope.keyID == genesis.rootKey.keyID, envelope.actor == genesis.rootKey.identity,
                  genesis.rootKey.publicKey.isValidSignature(row.signature, for: hash.bytes)
            else { return }
            timeline.applyGenesis(genesis)
            return
        }
        guard envelope.type == KeyEvents.registeredType || envelope.type == KeyEvents.revokedType,
              envelope.stream == KeyEvents.keysStream,
              case .valid(let signer) = timeline.status(of: envelope.keyID, at: envelope.seq),
              signer.registration.identity == envelope.actor, signer.registration.allows(eventType: envelope.type),
              signer.registration.publicKey.isValidSignature(row.signature, for: hash.bytes)
        else { return }
        try? timeline.apply(type: envelope.type, payload: payload, seq: envelope.seq)
    }
}

extension KeyRecord {
    package init(_ entry: KeyTimeline.Entry) {
        self.init(
            keyID: entry.registration.keyID, identity: entry.registration.identity, publicKey: entry.registration.publicKey,
            capabilities: entry.registration.capabilities, registeredSeq: entry.registeredSeq, revokedSeq: entry.revokedSeq)
    }
}
