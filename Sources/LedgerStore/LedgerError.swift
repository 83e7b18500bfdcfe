
/// Why a ledger operation could not be done: a stable code, a sentence that says what to do,
/// and the context (seq, stream, path) that locates it.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of failure. New codes can be added without breaking callers.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let alreadyExists = Code(rawValue: "already-exists")
        public static let notFound = Code(rawValue: "not-found")
        public static let notALedger = Code(rawValue: "not-a-ledger")
        public static let unsupportedVersion = Code(rawValue: "unsupported-version")
        public static let locked = Code(rawValue: "locked")
        public static let diskFull = Code(rawValue: "disk-full")
        public static let readOnly = Code(rawValue: "read-only")
        public static let storage = Code(rawValue: "storage")
        /// SQLite found the file damaged (not a tampered event: that is `ledger verify`'s job).
        public static let corrupt = Code(rawValue: "corrupt")
        public static let unknownKey = Code(rawValue: "unknown-key")
        public static let revokedKey = Code(rawValue: "revoked-key")
        public static let keyNotAllowed = Code(rawValue: "key-not-allowed")
        public static let versionConflict = Code(rawValue: "version-conflict")
        public static let idempotencyConflict = Code(rawValue: "idempotency-conflict")
        public static let invalidEvent = Code(rawValue: "invalid-event")
        public static let payloadTooLarge = Code(rawValue: "payload-too-large")
        public static let crypto = Code(rawValue: "crypto")
        /// A time later than this host's clock allows (its clock plus the allowed skew): asked
        /// for (`tick --now`), or already at the head, where a writer would inherit it.
        public static let timeAhead = Code(rawValue: "time-ahead")
        /// A relayed command whose caller signature does not verify under the caller's key,
        /// or whose key may not speak for the caller or append the event.
        public static let commandSignatureInvalid = Code(rawValue: "command-signature-invalid")
        /// A signed command dated outside the allowed skew of the appender's clock.
        public static let commandStale = Code(rawValue: "command-stale")
        /// A signed command the ledger already recorded: a replay.
        public static let commandReplayed = Code(rawValue: "command-replayed")
        /// Too many writes are already waiting for this process's writer (the group-commit
        /// queue is full); nothing was written. Retry shortly: a server answers 503 with
        /// `Retry-After`.
        public static let overloaded = Code(rawValue: "overloaded")
    }

    public let code: Code
    public let message: String
    /// The seq an error concerns, when there is one.
    public let seq: Int64?
    /// The stream an error concerns, when there is one.
    public let stream: String?

    public init(_ code: Code, _ message: String, seq: Int64? = nil, stream: String? = nil) {
        self.code = code
        self.message = message
        self.seq = seq
        self.stream = stream
    }

    public var description: String { message }
}
