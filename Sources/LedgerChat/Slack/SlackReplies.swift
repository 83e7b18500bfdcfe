public import ApprovalLedger

/// The ephemeral sentences the gateway answers a Slack user with: what was recorded, or why
/// the vote was refused and what to do instead.
public enum SlackReplies {
    /// After a vote was recorded.
    public static func recorded(approve: Bool, state: RequestState) -> String {
        let verb = approve ? "approval" : "denial"
        let status = state.status == .pending ? "it is still pending" : "it is now \(state.status.rawValue)"
        return "Recorded your \(verb) of `\(SlackText.escaped(state.id))`: \(status)."
    }

    /// For a refusal by the approval rules; `own-key-required` names the command that signs
    /// the vote with the approver's own key (step-up).
    public static func refused(_ error: ApprovalError, requestID: String, approve: Bool, account: String, publicURL: String) -> String {
        let message = SlackText.escaped(error.message)
        switch error.code {
        case "own-key-required":
            return "This request's rule counts only votes signed with your own key, so a Slack button cannot vote on it (\(message)). Sign it yourself:\n"
                + "```ledger --server \(publicURL) --key YOUR-KEY.pem \(approve ? "approve" : "deny") \(requestID) --reason \"…\"```"
        case "identity-unlinked":
            return "Your Slack account `\(SlackText.escaped(account))` is not linked to a ledger identity, so your vote was refused (the attempt is recorded). "
                + "Ask a ledger admin to run `ledger identity link \(SlackText.escaped(account)) YOUR-IDENTITY`."
        default:
            return "Your vote was refused [\(SlackText.escaped(error.code))]: \(message)" + (error.recorded ? " (the attempt is recorded in the ledger)" : "")
        }
    }

    /// For a failure that is not a refusal (the ledger busy, a bug).
    public static func failed(_ error: any Error) -> String {
        if let classified = error as? any ClassifiedError {
            return "Your vote could not be recorded [\(classified.stableCode)]: \(SlackText.escaped(classified.failureMessage)). Try again."
        }
        return "Your vote could not be recorded; try again (the server log says why)."
    }
}
