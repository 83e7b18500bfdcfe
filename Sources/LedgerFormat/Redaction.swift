public import LedgerCrypto

/// The payload of `payload.redacted`: the record that one event's payload was erased, by whom
/// (the event's signer, who holds the `redact` capability), why, and under which legal basis.
///
/// The envelope it names still verifies after the erasure, because an envelope commits only
/// to its payload's hash; this record is what lets a verifier tell an erasure someone answers
/// for from a deletion nobody recorded (docs/FORMAT.md §Redaction).
public struct Redaction: Sendable, Hashable {
    public static let type = "payload.redacted"
    /// The stream of every redaction: a system stream, so every bundle carries them all.
    public static let stream = "$redactions"
    /// The type namespace only `Ledger.redact` may append, never a raw append.
    public static let namespace = "payload"
    /// The longest reason and legal basis, in UTF-8 bytes.
    public static let maxTextBytes = 4096

    /// The seq of the event whose payload is erased.
    public var seq: Int64
    /// That event's hash, which binds this record to the very event, not just a position.
    public var eventHash: SHA256Digest
    public var reason: String
    /// The legal basis, e.g. "GDPR Art. 17(1)(a)".
    public var basis: String

    public init(seq: Int64, eventHash: SHA256Digest, reason: String, basis: String) {
        self.seq = seq
        self.eventHash = eventHash
        self.reason = reason
        self.basis = basis
    }

    public var jsonValue: JSONValue {
        ["seq": .integer(seq), "eventHash": .string(eventHash.hex), "reason": .string(reason), "basis": .string(basis)]
    }

    public init(_ value: JSONValue) throws(FormatError) {
        let fields = try FieldReader(value, what: "redaction payload")
        try fields.rejectUnknown(allowed: ["seq", "eventHash", "reason", "basis"])
        seq = try fields.integer("seq", minimum: 2)
        eventHash = try fields.digest("eventHash")
        reason = try fields.string("reason")
        basis = try fields.string("basis")
        if let problem = Self.textProblem(reason: reason, basis: basis) { throw FormatError(.invalidField, "redaction payload \(problem)") }
    }

    /// Why a reason or basis cannot be recorded, or nil: both must say something, and briefly.
    public static func textProblem(reason: String, basis: String) -> String? {
        for (name, text) in [("reason", reason), ("basis", basis)] {
            if text.allSatisfy(\.isWhitespace) { return "\(name) must not be empty: a redaction says why and under which legal basis" }
            if text.utf8.count > maxTextBytes { return "\(name) is \(text.utf8.count) bytes; the limit is \(maxTextBytes)" }
        }
        return nil
    }
}
