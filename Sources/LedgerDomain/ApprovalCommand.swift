internal import LedgerFormat

/// What someone asks the approval workflow to do. `Decider.decide` turns a command, the
/// request's state and the policy into the events to append, or a refusal.
public enum ApprovalCommand: Sendable {
    case open(OpenRequest)
    case bypass(OpenRequest, reason: String)
    case vote(VoteCommand)
    case comment(String)
    case cancel(reason: String)
    case tick
    case execute(succeeded: Bool, changeDigest: String?, detail: String?)
    case rollback(reason: String)
    case recover(detail: String)
    case closeReview(accepted: Bool, reason: String)
}

/// The content of a new request.
public struct OpenRequest: Sendable, Hashable {
    public var requestID: String
    public var action: String
    public var resource: String
    public var environment: String
    public var summary: String
    public var links: [String]
    public var changeDigest: String?
    public var release: String?
    /// FACTOR=VALUE inputs to the risk model.
    public var riskInputs: [String: String]

    public init(
        requestID: String, action: String, resource: String, environment: String, summary: String, links: [String] = [],
        changeDigest: String? = nil, release: String? = nil, riskInputs: [String: String] = [:]
    ) {
        self.requestID = requestID
        self.action = action
        self.resource = resource
        self.environment = environment
        self.summary = summary
        self.links = links
        self.changeDigest = changeDigest
        self.release = release
        self.riskInputs = riskInputs
    }
}

/// A vote as cast: who claims to vote, whom the signing key belongs to, and what they saw.
public struct VoteCommand: Sendable, Hashable {
    public var approve: Bool
    public var reason: String
    /// The identity the voter claims (`--as`).
    public var claimedIdentity: String
    /// The request version the voter saw; nil means "the current one".
    public var requestVersion: Int64?
    /// The channel a relay carried the vote through for a voter without a key of its own
    /// (`token:…`, `slack:…`); nil when the voter's own key signed it.
    public var relayedVia: String?

    public init(approve: Bool, reason: String, claimedIdentity: String, requestVersion: Int64? = nil, relayedVia: String? = nil) {
        self.approve = approve
        self.reason = reason
        self.claimedIdentity = claimedIdentity
        self.requestVersion = requestVersion
        self.relayedVia = relayedVia
    }
}

/// A policy as published in the ledger: its content and where it was published.
public struct PublishedPolicy: Sendable, Hashable {
    public var policy: Policy
    /// The seq of its `policy.published` event: the policy version requests record.
    public var version: Int64
    public var hash: String

    public init(policy: Policy, version: Int64, hash: String) {
        self.policy = policy
        self.version = version
        self.hash = hash
    }
}

/// The events to append for a command, and, when it was refused, why. A refused vote or
/// execution still has events: the record of the attempt.
public struct Decision: Sendable {
    public var events: [DomainEvent]
    public var refusal: Refusal?

    public static func refused(_ code: String, _ message: String, recording event: DomainEvent? = nil) -> Decision {
        Decision(events: event.map { [$0] } ?? [], refusal: Refusal(code, message))
    }
}
