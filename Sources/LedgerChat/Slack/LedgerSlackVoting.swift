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
        // Until identity links land on main (issue 16): no account is linked yet.
        throw ApprovalError(code: "identity-unlinked", message: "\(account) is not linked to a ledger identity", requestID: id, recorded: false)
    }

    public func identity(of account: String) async throws -> String? { nil }

    public func accounts(of identity: String) async throws -> [String] { [] }
}
