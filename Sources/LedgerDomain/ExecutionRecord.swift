/// One `execution.reported` event: a row of the `executions` projection.
public struct ExecutionRecord: Sendable, Hashable {
    /// The seq of the `execution.reported` event.
    public var seq: Int64
    public var requestID: String
    /// True when it ran under a grant (the request was approved); false after a break-glass
    /// bypass.
    public var approved: Bool
    public var succeeded: Bool
    public var timeMs: Int64

    public init(seq: Int64, requestID: String, approved: Bool, succeeded: Bool, timeMs: Int64) {
        self.seq = seq
        self.requestID = requestID
        self.approved = approved
        self.succeeded = succeeded
        self.timeMs = timeMs
    }
}
