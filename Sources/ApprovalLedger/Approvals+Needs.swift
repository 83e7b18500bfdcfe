import Foundation

extension Approvals {
    /// What the request `id` still needs to be granted, judged under the policy version it
    /// recorded; nil when it is not pending, not found, or its policy is not in the ledger.
    public func stillNeeded(_ id: String) async throws -> ApprovalNeeds? {
        try await ledger.transaction { tx in
            let lookup = PolicyLookup(tx: tx)
            guard let state = try CommandTransaction(tx: tx, lookup: lookup).state(id), state.status == .pending,
                  let published = try lookup.version(state.policyVersion)
            else { return nil }
            return ApprovalNeeds.of(state, policy: published.policy)
        }
    }
}
