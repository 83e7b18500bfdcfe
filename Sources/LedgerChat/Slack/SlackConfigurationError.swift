public import ApprovalLedger

/// Why `ledger serve --slack FILE` refused its configuration: a stable code, a sentence that
/// says what to change, and the file it was reading.
public struct SlackConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The configuration file cannot be read.
        case unreadable = "slack-config-unreadable"
        /// It is not the YAML document docs/CHAT.md describes (a missing, unknown or malformed key).
        case invalid = "slack-config-invalid"
        /// A secret was written into the configuration itself instead of a file it names.
        case inlineSecret = "slack-secret-inline"
        /// A secret file group or others may read or write.
        case insecureSecretFile = "slack-secret-file-insecure"
        /// A secret file is missing, unreadable, empty or not a regular file.
        case unreadableSecretFile = "slack-secret-file-unreadable"
    }

    public let code: Code
    public let message: String
    /// The file the problem is in (the configuration, or the secret file it names).
    public let path: String

    public init(_ code: Code, _ message: String, path: String) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { "\(path): \(message)" }
}

extension SlackConfigurationError: ClassifiedError {
    public var stableCode: String { code.rawValue }
    public var failureClass: FailureClass { .invalidInput }
    public var failureMessage: String { description }
}
