public import LedgerFormat

/// The current state of one approval request, rebuilt by folding its stream's events.
public struct RequestState: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case pending, granted, denied, expired, cancelled, bypassed

        /// True once no vote can change the outcome.
        public var isTerminal: Bool { self != .pending }
    }

    public struct Vote: Sendable, Hashable {
        public var voter: String
        public var approve: Bool
        public var reason: String
        public var seq: Int64
        public var time: Timestamp
    }

    public struct Grant: Sendable, Hashable {
        public var id: String
        public var expiresAt: Timestamp
        public var changeDigest: String?
        public var oneShot: Bool
    }

    public struct Execution: Sendable, Hashable {
        public var succeeded: Bool
        public var time: Timestamp
        public var detail: String?
    }

    public struct Review: Sendable, Hashable {
        public var reason: String
        public var deadline: Timestamp
        public var closedAt: Timestamp?
        public var outcome: String?
    }

    public var id: String
    public var action: String
    public var resource: String
    public var environment: String
    public var summary: String
    public var links: [String]
    public var changeDigest: String?
    public var release: String?
    public var requester: String
    public var riskScore: Int
    public var riskLevel: String
    public var riskExplanation: String
    public var policyVersion: Int64
    public var policyHash: String
    public var ruleName: String
    public var openedAt: Timestamp
    public var openedSeq: Int64
    public var deadline: Timestamp
    /// The stream version of the last change to what the request asks for: votes must name
    /// at least this version.
    public var contentVersion: Int64
    /// The stream's latest version.
    public var version: Int64
    public var status: Status = .pending
    public var votes: [Vote] = []
    public var rejectedAttempts: [String] = []
    public var escalationsApplied = 0
    public var addedGroups: [String] = []
    public var decidedAt: Timestamp?
    public var decisionExplanation: String?
    public var automatic = false
    public var grant: Grant?
    public var executions: [Execution] = []
    public var refusedExecutions: [String] = []
    public var rolledBackAt: Timestamp?
    public var recoveredAt: Timestamp?
    public var review: Review?
    public var comments = 0

    /// Approving voters, in vote order.
    public var approvers: [String] { votes.filter(\.approve).map(\.voter) }
    /// Denying voters, in vote order.
    public var deniers: [String] { votes.filter { !$0.approve }.map(\.voter) }

    /// True when a break-glass review is open past its deadline at `now`.
    public func reviewOverdue(at now: Timestamp) -> Bool {
        guard let review, review.closedAt == nil else { return false }
        return now > review.deadline
    }
}
