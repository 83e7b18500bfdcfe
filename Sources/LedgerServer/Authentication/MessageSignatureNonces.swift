internal import ApprovalLedger
internal import Synchronization

/// The nonces of message signatures accepted recently, so each is accepted once.
///
/// Why memory suffices: the authenticator accepts a signature only while its `created` lies
/// within ±window of the server's clock, so a nonce needs remembering only until
/// `created + window` has passed; after that the window check refuses the request whatever
/// the cache says. An entry therefore lives at most 2 × window, and the cache holds what the
/// server accepted in the last 2 × window at most.
///
/// Bounded: when `capacity` live entries are held, new signatures are refused (the caller
/// answers 503 and the client retries) rather than an entry being evicted early, which would
/// reopen its replay.
///
/// A restart empties the cache: a request signed in the last window before the restart can
/// be replayed once more until its window closes. That replays no write: every write also
/// carries a signed command whose hash is the event's idempotency key (`command:<hash>`), so
/// the ledger refuses it as `command-replayed`. What a replay after a restart can repeat is a
/// read, which its original sender could already see.
final class MessageSignatureNonces: Sendable {
    /// What `insert` found.
    enum Outcome: Equatable { case fresh, replayed, full }

    private struct State {
        var seen: Set<UInt64> = []
        /// The fingerprints to forget once the clock passes each second (`created + window`).
        var expiring: [Int64: [UInt64]] = [:]
        var prunedThrough: Int64 = .min
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Records `nonce` of `keyID`, valid until the Unix second `expiry`, unless it is already
    /// there; first forgets every entry whose expiry is before `now`.
    func insert(keyID: String, nonce: String, expiry: Int64, now: Int64) -> Outcome {
        let fingerprint = Self.fingerprint(keyID: keyID, nonce: nonce)
        return state.withLock { state in
            if state.prunedThrough < now - 1 {
                for second in state.expiring.keys where second < now {
                    for old in state.expiring.removeValue(forKey: second) ?? [] { state.seen.remove(old) }
                }
                state.prunedThrough = now - 1
            }
            guard !state.seen.contains(fingerprint) else { return .replayed }
            guard state.seen.count < capacity else { return .full }
            state.seen.insert(fingerprint)
            state.expiring[expiry, default: []].append(fingerprint)
            return .fresh
        }
    }

    /// How many nonces are held (for tests and metrics).
    var count: Int { state.withLock { $0.seen.count } }

    /// 64 bits of SHA-256 over the key id and the nonce: 8 bytes an entry instead of the
    /// strings. Two fingerprints collide with probability about n²/2⁶⁵, for a million live
    /// nonces about 3 × 10⁻⁸; a collision refuses one honest request, it never admits a replay.
    private static func fingerprint(keyID: String, nonce: String) -> UInt64 {
        let digest = SHA256.hash(Array(keyID.utf8) + [0x0A] + Array(nonce.utf8)).bytes
        return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
