public import LedgerFormat

/// What the key that signed an event may do, as far as the approval rules care: the live
/// workflow and the verifier's replay judge a command by the same two facts.
public struct SignerAuthority: Sendable, Hashable {
    /// The key may vote (`approve`, or `admin`).
    public var mayVote: Bool
    /// The key may move the ledger's time: append what a clock produces (`clock`, or `admin`).
    public var keepsTime: Bool

    public init(mayVote: Bool, keepsTime: Bool) {
        self.mayVote = mayVote
        self.keepsTime = keepsTime
    }

    public init(capabilities: [Capability]) {
        mayVote = Capability.allows(capabilities, eventType: ApprovalEvents.voteCast)
        keepsTime = capabilities.contains(.admin) || capabilities.contains(.clock)
    }
}
