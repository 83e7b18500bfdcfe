public import LedgerFormat

/// Whether one vote counted, and if not, the code it was refused with.
public struct VoteVerdict: Sendable, Hashable {
    public var counted: Bool
    public var code: String?

    /// `code` is kept only for a vote that does not count.
    public init(counted: Bool, code: String?) {
        self.counted = counted
        self.code = counted ? nil : code
    }

    /// As the ledger recorded it: a `vote.cast` counted, a `vote.rejected` names its code.
    init(recorded event: RequestEvent) {
        self.init(counted: event.type == ApprovalEvents.voteCast, code: event.members.code)
    }

    /// "counted" or "refused (not-eligible)".
    public var summary: String { counted ? "counted" : "refused (\(code ?? "-"))" }
}

/// A recorded vote the draft judges otherwise.
public struct VoteChange: Sendable, Hashable {
    public var seq: Int64
    public var voter: String
    public var approve: Bool
    public var time: Timestamp
    public var recorded: VoteVerdict
    public var draft: VoteVerdict
}
