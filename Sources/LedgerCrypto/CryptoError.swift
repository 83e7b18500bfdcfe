/// An error from the crypto layer: a stable code, a sentence saying what to do, and, when
/// OpenSSL produced the failure, OpenSSL's own message.
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of failure. New codes can be added without breaking callers.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// libcrypto reported a failure; `CryptoError.openSSLMessage` holds its words.
        public static let openSSL = Code(rawValue: "openssl")
        /// The bytes are not a valid Ed25519 key of the expected kind.
        public static let invalidKey = Code(rawValue: "invalid-key")
        /// The text is not a PEM block this library reads.
        public static let invalidPEM = Code(rawValue: "invalid-pem")
        /// A private key file can be read by group or others.
        public static let insecureKeyFile = Code(rawValue: "insecure-key-file")
        /// A key file could not be read or written.
        public static let keyFileIO = Code(rawValue: "key-file-io")
    }

    public let code: Code
    public let message: String
    /// What OpenSSL's error queue said (`ERR_error_string_n`), when the failure came from it.
    public let openSSLMessage: String?

    public init(_ code: Code, _ message: String, openSSLMessage: String? = nil) {
        self.code = code
        self.message = message
        self.openSSLMessage = openSSLMessage
    }

    public var description: String {
        guard let openSSLMessage, !openSSLMessage.isEmpty else { return message }
        return "\(message) (OpenSSL: \(openSSLMessage))"
    }
}
