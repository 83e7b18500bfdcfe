/// Why a witness's state directory cannot be used as asked: the store's failures, as opposed
/// to `WitnessRefusal` (the protocol's answers to a request).
public struct WitnessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of failure. New codes can be added without breaking callers.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The directory has no `witness.json`: run `ledger witness init` first.
        public static let notAWitness = Code(rawValue: "not-a-witness")
        /// `init` on a directory that is a witness already, or `add-log` for a known origin.
        public static let alreadyExists = Code(rawValue: "already-exists")
        /// No log with that origin is trusted.
        public static let unknownLog = Code(rawValue: "unknown-log")
        /// The private key given is not the one the witness was set up with.
        public static let wrongKey = Code(rawValue: "wrong-key")
        /// A state file does not parse: it was edited or damaged.
        public static let corruptState = Code(rawValue: "corrupt-state")
        /// The file system refused an operation; the message carries the system's words.
        public static let io = Code(rawValue: "witness-io")
    }

    public let code: Code
    public let message: String
    /// The file concerned, when there is one.
    public let path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { message }
}
