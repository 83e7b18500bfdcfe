// The witness's errors, classified like every other layer's (ClassifiedError+Conformances.swift).

extension WitnessRefusal: ClassifiedError {
    public var stableCode: String { code.rawValue }
    public var failureMessage: String { message }

    /// The CLI's view; `ledger serve` answers the statuses c2sp.org/tlog-witness fixes
    /// (`httpStatus`) rather than the class's.
    public var failureClass: FailureClass {
        switch code {
        case .unknownLog: .notFound
        case .untrustedCheckpoint: .forbidden
        case .sizeConflict: .conflict
        default: .invalidInput
        }
    }
}

extension WitnessError: ClassifiedError {
    public var stableCode: String { code.rawValue }
    public var failureMessage: String { message }

    public var failureClass: FailureClass {
        switch code {
        case .notAWitness, .unknownLog: .notFound
        case .alreadyExists: .conflict
        case .wrongKey: .invalidInput
        default: .failed
        }
    }
}
