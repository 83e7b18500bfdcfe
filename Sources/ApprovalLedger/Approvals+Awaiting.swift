import Foundation

extension Approvals {
    /// Pending requests `identity` may still vote on, newest first: a member of a group the
    /// rule lets vote (escalations included) who has not voted yet, and not the requester
    /// unless the rule allows self-approval. Judged under the policy version each request
    /// recorded, as the vote itself would be; `ApprovalNeeds` says what each still lacks.
    /// - Returns: each request's state with what it still needs.
    public func awaiting(_ identity: String, limit: Int = 1000) async throws -> [(state: RequestState, needs: ApprovalNeeds)] {
        try await ledger.transaction { tx in
            let lookup = PolicyLookup(tx: tx)
            let commands = CommandTransaction(tx: tx, lookup: lookup)
            var found: [(state: RequestState, needs: ApprovalNeeds)] = []
            for id in try tx.requestIDs(status: [RequestState.Status.pending.rawValue]) {
                guard let state = try commands.state(id), state.status == .pending,
                      let published = try lookup.version(state.policyVersion),
                      let rule = published.policy.rule(named: state.ruleName),
                      let needs = ApprovalNeeds.of(state, policy: published.policy)
                else { continue }
                let member = needs.eligibleGroups.contains { published.policy.members(of: $0).contains(identity) }
                let voted = state.votes.contains { $0.voter == identity }
                let selfVote = state.requester == identity && !rule.allowSelfApproval
                if member, !voted, !selfVote { found.append((state, needs)) }
            }
            return Array(found.sorted { $0.state.openedSeq > $1.state.openedSeq }.prefix(limit))
        }
    }
}
