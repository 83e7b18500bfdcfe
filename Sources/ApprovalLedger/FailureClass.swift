/// What kind of failure an error is, as a caller must act on it. Each class has one CLI exit
/// code and one HTTP status, so `ledger` and `ledger serve` answer the same failure the same
/// way, and a script or client can branch on the class without knowing every code.
public enum FailureClass: String, Sendable, Hashable, CaseIterable {
    /// The input is not acceptable (malformed JSON, a bad field, a bad time): fix it and retry.
    case invalidInput = "invalid-input"
    /// The input is too large for the ledger's limits.
    case tooLarge = "too-large"
    /// Nothing is there by that name (a request id, a key).
    case notFound = "not-found"
    /// The ledger's state conflicts with the command (it exists already, a version moved on).
    case conflict = "conflict"
    /// The caller (or the key acting) may not do this.
    case forbidden = "forbidden"
    /// The caller has not proved who it is (HTTP only: the CLI holds the key itself).
    case unauthenticated = "unauthenticated"
    /// The ledger cannot take it now (locked by another writer, disk full, read-only): retry later.
    case unavailable = "unavailable"
    /// The ledger or this host failed (storage, corruption, the crypto library).
    case failed = "failed"
    /// The approval rules refused the command; a refused vote or execution is also recorded.
    case refused = "refused"
    /// The approval rules refused the command's input (a missing reason, an invalid request).
    case refusedInput = "refused-input"
    /// A negative answer, not a fault: a request's deadline passed undecided.
    case negative = "negative"
    /// Waiting ended before the answer came.
    case timedOut = "timed-out"

    /// The `ledger` exit code: 1 a negative answer, 2 the command could not run, 3 the approval
    /// rules refused it, 124 a wait timed out (as timeout(1) exits).
    public var exitCode: Int32 {
        switch self {
        case .negative: 1
        case .refused, .refusedInput: 3
        case .timedOut: 124
        case .invalidInput, .tooLarge, .notFound, .conflict, .forbidden, .unauthenticated, .unavailable, .failed: 2
        }
    }

    /// The HTTP status `ledger serve` answers with. Refusals by the rules are 409 (the request's
    /// state decides them) or 422 (its content does); a deadline that passed is 409 too, since a
    /// vote can no longer change the request.
    public var httpStatus: Int {
        switch self {
        case .invalidInput: 400
        case .unauthenticated: 401
        case .forbidden: 403
        case .notFound: 404
        case .timedOut: 408
        case .conflict, .refused, .negative: 409
        case .tooLarge: 413
        case .refusedInput: 422
        case .failed: 500
        case .unavailable: 503
        }
    }
}
