/// A vote cast by pressing a button in a chat (Slack), carried by the server's relay key.
public struct ChatVote: Sendable, Hashable {
    /// The account that pressed: `slack:<team>/<user>`.
    public var account: String
    public var approve: Bool
    public var reason: String
    /// The request version the message showed.
    public var requestVersion: Int64?
    /// What the chat reported (team, user, channel, action timestamps), recorded in the
    /// event's origin.
    public var evidence: [String: String]
    /// Unique per action the chat delivered (e.g. `slack:` + the action's own timestamp and
    /// user), so a redelivery is recognised and not counted twice.
    public var idempotencyKey: String

    public init(account: String, approve: Bool, reason: String, requestVersion: Int64? = nil, evidence: [String: String], idempotencyKey: String) {
        self.account = account
        self.approve = approve
        self.reason = reason
        self.requestVersion = requestVersion
        self.evidence = evidence
        self.idempotencyKey = idempotencyKey
    }
}

extension Approvals {
    /// Records a chat vote as a relayed event (`origin.via` = the account, with its evidence),
    /// for the identity the account is linked to in the same transaction. An unlinked
    /// account's attempt is recorded too, as the relay's own event, and refused by the rules
    /// (`identity-unlinked`), like any refused vote. A redelivered action (its idempotency key
    /// already recorded) appends nothing and returns the request as it stands.
    ///
    /// - Throws: `ApprovalError` with the rules' refusal code (`identity-unlinked`,
    ///   `not-eligible`, `own-key-required`, `already-resolved`, …; recorded), `LedgerError`
    ///   for an unknown request or a relay key that may not relay.
    public func chatVote(_ id: String, _ vote: ChatVote, relay: Signer) async throws -> RequestState {
        guard IdentityLink.isAccount(vote.account) else {
            throw ApprovalError(code: "invalid-request", message: "a chat vote comes from an account \(IdentityLink.accountRule)", requestID: id, recorded: false)
        }
        let command = VoteCommand(approve: vote.approve, reason: vote.reason, claimedIdentity: vote.account, requestVersion: vote.requestVersion)
        if let violation = TextLimits.violation(.vote(command)) {
            throw ApprovalError(code: "invalid-request", message: violation, requestID: id, recorded: false)
        }
        let outcome = try await ledger.transaction { tx -> CommandTransaction.Outcome in
            let commands = CommandTransaction(tx: tx, lookup: PolicyLookup(tx: tx))
            if try tx.event(idempotencyKey: vote.idempotencyKey) != nil {
                return CommandTransaction.Outcome(state: try commands.state(id), refusal: nil, appended: [])
            }
            let linked = try tx.identityLinks().identity(of: vote.account)
            let origin = EventOrigin.relayed(via: vote.account, evidence: vote.evidence)
            let signer = relay.speaking(for: linked ?? relay.identity, origin: origin)
            var command = command
            command.claimedIdentity = linked ?? vote.account
            return try commands.apply(id, .vote(command), signer: signer, idempotencyKey: vote.idempotencyKey)
        }
        return try settle(id, outcome)
    }
}
