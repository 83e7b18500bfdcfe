/// Why the approval workflow refused a command: a stable code (the domain's refusal code,
/// e.g. `self-approval`, `grant-used`, or `timed-out`), a sentence, the request, and whether
/// the attempt itself was recorded in the ledger as a security signal.
public struct ApprovalError: Error, Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public let message: String
    public let requestID: String?
    /// True when a `vote.rejected` or `execution.refused` event now records the attempt.
    public let recorded: Bool

    public init(code: String, message: String, requestID: String?, recorded: Bool) {
        self.code = code
        self.message = message
        self.requestID = requestID
        self.recorded = recorded
    }

    public var description: String { message + (recorded ? " (this attempt is recorded in the ledger)" : "") }
}
