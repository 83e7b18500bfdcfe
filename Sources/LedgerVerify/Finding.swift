public import LedgerFormat

/// One thing `ledger verify` found: a stable code (listed in docs/VERIFY.md with its remedy),
/// a severity, the seq it concerns and a sentence.
public struct Finding: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        /// The record is not proven: tampering, forgery, or a broken rule.
        case error
        /// Suspicious but not a proof of tampering; fails only under `--strict`.
        case warning
        /// Worth knowing (a redacted payload); never fails.
        case info

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
        private var rank: Int { switch self { case .error: 0; case .warning: 1; case .info: 2 } }
    }

    public let code: FindingCode
    public let severity: Severity
    /// The event concerned; nil for findings about the ledger as a whole.
    public let seq: Int64?
    /// The approval request concerned, for findings about a request.
    public let requestID: String?
    public let message: String

    public init(_ code: FindingCode, seq: Int64?, requestID: String? = nil, _ message: String) {
        self.code = code
        self.severity = code.severity
        self.seq = seq
        self.requestID = requestID
        self.message = message
    }

    public var jsonValue: JSONValue {
        var object = JSONObject()
        object["code"] = .string(code.rawValue)
        object["severity"] = .string(severity.rawValue)
        object["seq"] = seq.map { .integer($0) } ?? .null
        object["requestId"] = requestID.map(JSONValue.string) ?? .null
        object["message"] = .string(message)
        return .object(object)
    }
}

/// The stable finding codes. Each is documented in docs/VERIFY.md.
public enum FindingCode: String, Sendable, Hashable, CaseIterable {
    case ledgerEmpty = "ledger-empty"
    case genesisInvalid = "genesis-invalid"
    case seqGap = "seq-gap"
    case seqInvalid = "seq-invalid"
    case hashMismatch = "hash-mismatch"
    case chainBroken = "chain-broken"
    case envelopeInvalid = "envelope-invalid"
    case unsupportedVersion = "unsupported-version"
    case columnMismatch = "column-mismatch"
    case streamVersionGap = "stream-version-gap"
    case streamInvalid = "stream-invalid"
    case payloadMismatch = "payload-mismatch"
    case payloadRedacted = "payload-redacted"
    case payloadWithheld = "payload-withheld"
    case redactionInvalid = "redaction-invalid"
    case redactionIncomplete = "redaction-incomplete"
    case payloadMissing = "payload-missing"
    case payloadOrphan = "payload-orphan"
    case duplicateIdempotencyKey = "duplicate-idempotency-key"
    case signatureInvalid = "signature-invalid"
    case keyUnknown = "key-unknown"
    case keyRevoked = "key-revoked"
    case keyIdentityMismatch = "key-identity-mismatch"
    case keyNotAuthorized = "key-not-authorized"
    case keyEventInvalid = "key-event-invalid"
    case relayNotAuthorized = "relay-not-authorized"
    case relayUnlinked = "relay-unlinked"
    case identityLinkInvalid = "identity-link-invalid"
    case commandSignatureInvalid = "command-signature-invalid"
    case commandInvalid = "command-invalid"
    case commandStale = "command-stale"
    case commandMismatch = "command-mismatch"
    case timeRegression = "time-regression"
    case timeFuture = "time-future"
    case anchorForeign = "anchor-foreign"
    case anchorAhead = "anchor-ahead"
    case anchorMismatch = "anchor-mismatch"
    case anchorUntrusted = "anchor-untrusted"
    case anchorBeyondBundle = "anchor-beyond-bundle"
    case anchorUnwitnessed = "anchor-unwitnessed"
    case policyInvalid = "policy-invalid"
    case requestInvalid = "request-invalid"
    case voteNotAllowed = "vote-not-allowed"
    case rejectionUnfounded = "rejection-unfounded"
    case executionNotAllowed = "execution-not-allowed"
    case commandRefused = "command-refused"
    case decisionUnjustified = "decision-unjustified"
    case decisionMismatch = "decision-mismatch"
    case decisionMissing = "decision-missing"
    case requestOverdue = "request-overdue"
    case reviewOverdue = "review-overdue"
    case reviewLate = "review-late"
    case requestIncomplete = "request-incomplete"
    case requestWithheld = "request-withheld"
    case projectionMismatch = "projection-mismatch"
    case projectionDigestMismatch = "projection-digest-mismatch"
    case projectionAhead = "projection-ahead"
    case treeMismatch = "tree-mismatch"

    public var severity: Finding.Severity {
        switch self {
        case .payloadRedacted, .payloadWithheld, .requestWithheld: .info
        case .requestOverdue, .reviewOverdue, .reviewLate, .requestIncomplete, .anchorBeyondBundle, .redactionIncomplete: .warning
        default: .error
        }
    }
}
