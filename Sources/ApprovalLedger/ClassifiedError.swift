/// An error with a stable code and a failure class: what the CLI and the server turn every
/// library error into (one line with `[code]` and an exit code; RFC 9457 problem details with
/// `code` and an HTTP status).
///
/// Conformers must keep `stableCode` stable across releases (scripts and clients match on
/// it) and make `failureMessage` a sentence that says what to do next.
public protocol ClassifiedError: Error, Sendable {
    /// The stable code, e.g. `not-found`, `self-approval`, `invalid-json`.
    var stableCode: String { get }
    /// How a caller must act on it; decides the exit code and the HTTP status.
    var failureClass: FailureClass { get }
    /// The human sentence (it may quote untrusted input: escape it before a terminal shows it).
    var failureMessage: String { get }
}
