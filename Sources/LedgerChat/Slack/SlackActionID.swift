/// What a button of a request's message asks for, carried in its `action_id` (and `value`):
/// `ledger-approve:VERSION:ID` or `ledger-deny:VERSION:ID`. The version is the request version
/// the message showed, so a vote names what the voter saw (a vote on a stale message is
/// refused `stale-version`, as on the CLI).
public struct SlackActionID: Sendable, Hashable {
    public var approve: Bool
    public var requestID: String
    public var requestVersion: Int64

    public init(approve: Bool, requestID: String, requestVersion: Int64) {
        self.approve = approve
        self.requestID = requestID
        self.requestVersion = requestVersion
    }

    static let approvePrefix = "ledger-approve"
    static let denyPrefix = "ledger-deny"

    /// As Block Kit carries it (at most 255 characters: request ids are at most 128).
    public var text: String { "\(approve ? Self.approvePrefix : Self.denyPrefix):\(requestVersion):\(requestID)" }

    /// Reads an `action_id`; nil for one no message of ours carries.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let version = Int64(parts[1]), version >= 0, !parts[2].isEmpty else { return nil }
        switch parts[0] {
        case Self.approvePrefix[...]: approve = true
        case Self.denyPrefix[...]: approve = false
        default: return nil
        }
        requestID = String(parts[2])
        requestVersion = version
    }
}
