/// One `vote.cast` event: a row of the `votes` projection.
public struct VoteRecord: Sendable, Hashable {
    /// The seq of the `vote.cast` event.
    public var seq: Int64
    public var requestID: String
    public var voter: String
    public var approve: Bool
    public var timeMs: Int64

    public init(seq: Int64, requestID: String, voter: String, approve: Bool, timeMs: Int64) {
        self.seq = seq
        self.requestID = requestID
        self.voter = voter
        self.approve = approve
        self.timeMs = timeMs
    }
}
