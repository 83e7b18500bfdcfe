public import ApprovalLedger

/// Why a `--webhooks` file was refused: a stable code, a sentence naming the file, the
/// subscription and the member, and what to write instead. `ledger serve` exits 2 on it.
public struct WebhookConfigurationError: ClassifiedError, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The file could not be read, or is not YAML.
        public static let unreadable = Code(rawValue: "webhooks-file-unreadable")
        /// The YAML does not have the shape of a webhooks file (a member missing, unknown or of
        /// the wrong type, a bad value).
        public static let invalid = Code(rawValue: "webhooks-file-invalid")
        /// A secret written in the file itself instead of a `secret_file`.
        public static let inlineSecret = Code(rawValue: "webhook-secret-inline")
        /// The secret file cannot be read, or others may read it.
        public static let secretFile = Code(rawValue: "webhook-secret-file")
        /// The secret file does not hold a `whsec_` secret of the right size.
        public static let secretInvalid = Code(rawValue: "webhook-secret-invalid")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "[\(code.rawValue)] \(message)" }
    public var stableCode: String { code.rawValue }
    public var failureMessage: String { message }
    public var failureClass: FailureClass { .invalidInput }
}
