// Every layer's error type, classified in one place: the one target that sees them all.

extension LedgerError: ClassifiedError {
    public var stableCode: String { code.rawValue }
    public var failureMessage: String { message }

    public var failureClass: FailureClass {
        switch code {
        case .notFound: .notFound
        case .alreadyExists, .versionConflict, .idempotencyConflict, .commandReplayed: .conflict
        case .invalidEvent, .timeAhead, .commandStale: .invalidInput
        case .payloadTooLarge: .tooLarge
        case .unknownKey, .revokedKey, .keyNotAllowed, .commandSignatureInvalid: .forbidden
        case .locked, .diskFull, .readOnly, .overloaded: .unavailable
        default: .failed
        }
    }
}

extension ApprovalError: ClassifiedError {
    /// The refusals that judge what the command says rather than the request's state.
    static let inputCodes: Set<String> = ["invalid-request", "empty-comment", "reason-required", "no-matching-rule"]

    public var stableCode: String { code }
    public var failureMessage: String { description }

    public var failureClass: FailureClass {
        switch code {
        case "timed-out": .timedOut
        case "deadline-passed": .negative
        case let code where Self.inputCodes.contains(code): .refusedInput
        default: .refused
        }
    }
}

extension Refusal: ClassifiedError {
    public var stableCode: String { code }
    public var failureMessage: String { message }
    public var failureClass: FailureClass { ApprovalError.inputCodes.contains(code) ? .refusedInput : .refused }
}

extension FormatError: ClassifiedError {
    public var stableCode: String { code.rawValue }
    public var failureMessage: String { message }
    public var failureClass: FailureClass { .invalidInput }
}

extension JSONParseError: ClassifiedError {
    public var stableCode: String { code.rawValue }
    public var failureMessage: String { description }
    public var failureClass: FailureClass { code == .tooLarge ? .tooLarge : .invalidInput }
}

extension CryptoError: ClassifiedError {
    public var stableCode: String { code.rawValue }
    public var failureMessage: String { description }
    public var failureClass: FailureClass { code == .openSSL ? .failed : .invalidInput }
}

extension ExportError: ClassifiedError {
    public var stableCode: String { code.rawValue }
    public var failureMessage: String { message }

    public var failureClass: FailureClass {
        switch code {
        case .invalidScope, .cannotAnchor, .notABundle: .invalidInput
        default: .failed
        }
    }
}

extension PolicyError: ClassifiedError {
    public var stableCode: String { "invalid-policy" }
    public var failureMessage: String { description }
    public var failureClass: FailureClass { .invalidInput }
}
