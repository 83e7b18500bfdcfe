/// Why a message signature or a content digest was refused, with a stable code.
///
/// The codes are what the server's 401 problems say (`docs/SERVER.md`); new codes may be added
/// without breaking callers.
public struct HTTPSignatureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of failure.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// `Signature-Input` or `Signature` is missing, not a structured-field dictionary, or the
        /// two do not match label for label.
        public static let malformedSignature = Code(rawValue: "signature-malformed")
        /// A covered component this implementation does not derive (a parameterised component,
        /// `@status`, `@query-param`), or one named twice.
        public static let unsupportedComponent = Code(rawValue: "component-unsupported")
        /// A covered header field is absent from the message.
        public static let missingComponent = Code(rawValue: "component-missing")
        /// A component value that cannot appear in a signature base (a line break, non-ASCII).
        public static let invalidComponentValue = Code(rawValue: "component-invalid")
        /// `alg` is present and is not `ed25519`.
        public static let unsupportedAlgorithm = Code(rawValue: "algorithm-unsupported")
        /// The Ed25519 signature does not verify over the signature base.
        public static let invalidSignature = Code(rawValue: "signature-invalid")
        /// `Content-Digest` is absent where a body needs one.
        public static let missingDigest = Code(rawValue: "digest-missing")
        /// `Content-Digest` is not a structured-field dictionary of byte sequences.
        public static let malformedDigest = Code(rawValue: "digest-malformed")
        /// `Content-Digest` names no algorithm this implementation computes (only `sha-256`).
        public static let unsupportedDigestAlgorithm = Code(rawValue: "digest-algorithm-unsupported")
        /// `Content-Digest` does not match the body.
        public static let digestMismatch = Code(rawValue: "digest-mismatch")
    }

    public let code: Code
    /// A sentence for a human: what was wrong and, where it helps, what to do.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
