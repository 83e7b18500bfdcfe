public import LedgerCrypto

/// Which key may sign what at each seq, built only from the ledger's own genesis and key
/// events: the verifier judges every signature by this, never by a key table it is handed.
///
/// Memory grows with the number of keys, not with the number of events.
public struct KeyTimeline: Sendable {
    /// A key's life: registered at one seq, possibly revoked at a later one.
    public struct Entry: Sendable, Hashable {
        public let registration: KeyRegistration
        public let registeredSeq: Int64
        public internal(set) var revokedSeq: Int64?
    }

    /// What the timeline says about a key at some seq.
    public enum Status: Sendable, Hashable {
        case unknown
        /// Revoked at the given seq, so nothing after it is valid.
        case revoked(at: Int64, Entry)
        case valid(Entry)
    }

    public private(set) var entries: [KeyID: Entry] = [:]

    public init() {}

    /// The key's status for an event at `seq`.
    public func status(of keyID: KeyID, at seq: Int64) -> Status {
        guard let entry = entries[keyID], entry.registeredSeq < seq || (entry.registeredSeq == 1 && seq == 1) else {
            return .unknown
        }
        if let revoked = entry.revokedSeq, revoked < seq { return .revoked(at: revoked, entry) }
        return .valid(entry)
    }

    /// Records the root key named by the genesis event.
    public mutating func applyGenesis(_ genesis: Genesis) {
        entries[genesis.rootKey.keyID] = Entry(registration: genesis.rootKey, registeredSeq: 1, revokedSeq: nil)
    }

    /// Applies a `key.registered` or `key.revoked` event's payload at `seq`. Other event types
    /// are ignored.
    /// - Throws: `FormatError` when the payload is malformed, re-registers a key, or revokes
    ///   an unknown or already revoked key.
    public mutating func apply(type: String, payload: JSONValue, seq: Int64) throws(FormatError) {
        switch type {
        case KeyEvents.registeredType:
            let registration = try KeyRegistration(payload, what: "key.registered payload (seq \(seq))")
            guard entries[registration.keyID] == nil else {
                throw FormatError(.invalidField, "key \(registration.keyID) is registered a second time at seq \(seq)")
            }
            entries[registration.keyID] = Entry(registration: registration, registeredSeq: seq, revokedSeq: nil)
        case KeyEvents.revokedType:
            let revocation = try KeyRevocation(payload, what: "key.revoked payload (seq \(seq))")
            guard var entry = entries[revocation.keyID], entry.revokedSeq == nil else {
                throw FormatError(.invalidField, "seq \(seq) revokes key \(revocation.keyID), which is unknown or already revoked")
            }
            entry.revokedSeq = seq
            entries[revocation.keyID] = entry
        default:
            break
        }
    }
}
