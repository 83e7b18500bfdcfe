/// Why bytes are not a valid ledger-format object (envelope, payload, checkpoint).
public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of failure.
    public enum Code: String, Sendable, Hashable {
        case invalidJSON = "invalid-json"
        case notCanonical = "not-canonical"
        case missingField = "missing-field"
        case unknownField = "unknown-field"
        case invalidField = "invalid-field"
        case unsupportedVersion = "unsupported-version"
        case badSignature = "bad-signature"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
