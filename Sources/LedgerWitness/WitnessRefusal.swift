/// Why a witness will not cosign a checkpoint, as c2sp.org/tlog-witness names the cases: each
/// has its HTTP status, so `ledger serve` and `ledger witness cosign` refuse alike.
public struct WitnessRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable identifier for the case. New codes can be added without breaking callers.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The body is not an old size line, proof lines, a blank line and a checkpoint note. 400.
        public static let malformedRequest = Code(rawValue: "malformed-request")
        /// The old size is larger than the checkpoint's. 400.
        public static let oldSizeTooLarge = Code(rawValue: "old-size-too-large")
        /// The witness trusts no key for the checkpoint's origin. 404.
        public static let unknownLog = Code(rawValue: "unknown-log")
        /// No trusted log key signed the checkpoint, or a trusted key's line does not verify. 403.
        public static let untrustedCheckpoint = Code(rawValue: "untrusted-checkpoint")
        /// The old size is not the size the witness last cosigned for the log. 409.
        public static let sizeConflict = Code(rawValue: "size-conflict")
        /// A checkpoint of size 0 whose root is not the empty tree's. 422.
        public static let invalidEmptyRoot = Code(rawValue: "invalid-empty-root")
        /// A proof sent with an old size of 0, which needs none. 422.
        public static let unexpectedProof = Code(rawValue: "unexpected-proof")
        /// The checkpoint is not consistent with what the witness cosigned: a proof that does not
        /// verify, or the same size with another root. Possible evidence of a split view. 422.
        public static let inconsistent = Code(rawValue: "inconsistent-checkpoint")
    }

    public let code: Code
    public let message: String
    /// The size the witness last cosigned for the log: the 409 body. Set for `sizeConflict` only.
    public let currentSize: UInt64?

    public init(_ code: Code, _ message: String, currentSize: UInt64? = nil) {
        self.code = code
        self.message = message
        self.currentSize = currentSize
    }

    /// The status c2sp.org/tlog-witness requires for the case.
    public var httpStatus: Int {
        switch code {
        case .unknownLog: 404
        case .untrustedCheckpoint: 403
        case .sizeConflict: 409
        case .invalidEmptyRoot, .unexpectedProof, .inconsistent: 422
        default: 400
        }
    }

    public var description: String { message }
}
