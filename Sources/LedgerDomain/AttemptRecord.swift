/// One refused attempt the ledger recorded as a security signal: a `vote.rejected` or an
/// `execution.refused` event. A row of the `attempts` projection.
public struct AttemptRecord: Sendable, Hashable {
    /// What was refused: a vote or an execution report.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case vote, execution
    }

    /// The seq of the event that records the attempt.
    public var seq: Int64
    public var requestID: String
    public var kind: Kind
    /// The identity whose key signed the attempt.
    public var actor: String
    /// The refusal code, e.g. `self-approval`, `not-eligible`, `grant-used`.
    public var code: String
    public var timeMs: Int64

    public init(seq: Int64, requestID: String, kind: Kind, actor: String, code: String, timeMs: Int64) {
        self.seq = seq
        self.requestID = requestID
        self.kind = kind
        self.actor = actor
        self.code = code
        self.timeMs = timeMs
    }
}
