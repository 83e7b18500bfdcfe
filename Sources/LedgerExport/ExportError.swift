/// Why an export, or the check of an evidence bundle, could not be done: a stable code, a
/// sentence that says what to do, and the path concerned when there is one.
public struct ExportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the kind of failure. New codes can be added without breaking callers.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// `--since`, `--until` or `--request` select nothing sensible.
        public static let invalidScope = Code(rawValue: "invalid-scope")
        /// No checkpoint can anchor the end of the export (no key, no suitable `--anchor`).
        public static let cannotAnchor = Code(rawValue: "cannot-anchor")
        /// The ledger holds an event that cannot be exported byte for byte.
        public static let notExportable = Code(rawValue: "not-exportable")
        /// The output cannot be written (exists already, no permission, disk full).
        public static let output = Code(rawValue: "output")
        /// The path given to `verify --bundle` is not an evidence bundle.
        public static let notABundle = Code(rawValue: "not-a-bundle")
    }

    public let code: Code
    public let message: String
    public let path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { message }
}
