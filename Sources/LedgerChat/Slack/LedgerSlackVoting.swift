public import ApprovalLedger
public import LedgerServer

/// `SlackVoting` over the server's ledger: identity links from the `$identities` stream,
/// votes through `Approvals.chatVote` inside the server's write gate, so each wakes the
/// poster and the long-poll waiters.
public struct LedgerSlackVoting: SlackVoting {
    let environment: ServerEnvironment

    public init(environment: ServerEnvironment) {
        self.environment = environment
    }

    public func vote(
        _ id: String, account: String, approve: Bool, reason: String, requestVersion: Int64?, evidence: [String: String], idempotencyKey: String
    ) async throws -> RequestState {
        let vote = ChatVote(account: account, approve: approve, reason: reason, requestVersion: requestVersion, evidence: evidence, idempotencyKey: idempotencyKey)
        let environment = environment
        return try await environment.write { try await environment.approvals.chatVote(id, vote, relay: environment.serverSigner) }
    }

    public func identity(of account: String) async throws -> String? {
        try await environment.ledger.linkedIdentity(account: account)
    }

    public func accounts(of identity: String) async throws -> [String] {
        try await environment.ledger.identityLinks().accounts(of: identity)
    }
}
