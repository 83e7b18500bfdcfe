public import ApprovalLedger

/// What the gateway needs of the ledger's identity links and chat votes: the one seam between
/// Slack and the approval rules, so the routes and the poster hold no approval logic.
public protocol SlackVoting: Sendable {
    /// Records a vote by the Slack account `account` (`slack:T…/U…`), relayed by the server's
    /// key, with Slack's evidence; an unlinked account's attempt is recorded as refused.
    /// - Returns: the request as it then stands (a retry with the same `idempotencyKey`
    ///   appends nothing and returns it too).
    /// - Throws: `ApprovalError` for a refusal (`identity-unlinked`, `not-eligible`,
    ///   `own-key-required`, `already-resolved`…).
    func vote(
        _ id: String, account: String, approve: Bool, reason: String, requestVersion: Int64?, evidence: [String: String], idempotencyKey: String
    ) async throws -> RequestState

    /// The ledger identity `account` is linked to, if any.
    func identity(of account: String) async throws -> String?

    /// The Slack accounts linked to `identity`.
    func accounts(of identity: String) async throws -> [String]
}
