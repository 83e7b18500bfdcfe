public import ApprovalLedger
public import Logging

/// The work a Slack interaction asks for, done after the route acknowledged it (Slack wants an
/// answer within 3 s): a vote, or the reason modal, then an ephemeral answer to the user. The
/// message itself is updated by `SlackPoster`, which sees the vote's event like any other.
public struct SlackInteractionHandler: Sendable {
    let configuration: SlackConfiguration
    let api: SlackWebAPI
    let voting: any SlackVoting
    let approvals: Approvals
    let logger: Logger

    public init(configuration: SlackConfiguration, api: SlackWebAPI, voting: any SlackVoting, approvals: Approvals, logger: Logger) {
        self.configuration = configuration
        self.api = api
        self.voting = voting
        self.approvals = approvals
        self.logger = logger
    }

    /// A press of Approve or Deny. Deny, and Approve where the rule requires a reason, open
    /// the reason modal; a linked user's plain Approve votes at once. `retried` (Slack's
    /// `X-Slack-Retry-Num`) opens no second modal.
    public func pressed(_ interaction: SlackInteraction, retried: Bool) async {
        do {
            let linked = try await voting.identity(of: interaction.account)
            let needsReason = try await reasonRequired(interaction.action)
            // An unlinked user is refused at once (and the attempt recorded), not shown a modal.
            if linked != nil, !interaction.action.approve || needsReason {
                guard !retried else { return }
                let state = try await approvals.request(interaction.action.requestID)
                let modal = ReasonModal(action: interaction.action, channel: interaction.channel, messageTs: interaction.messageTs)
                try await api.openView(triggerID: interaction.triggerID, view: modal.view(summary: state?.summary ?? interaction.action.requestID))
                return
            }
            let text = await vote(
                interaction.action, account: interaction.account, reason: "", evidence: interaction.evidence, idempotencyKey: interaction.idempotencyKey)
            try await api.respond(to: interaction.responseURL, text: text)
        } catch {
            logger.error("slack: answering \(interaction.account) on \(interaction.action.requestID): \(error)")
        }
    }

    /// The reason modal submitted: records the vote and tells the user in the channel, to them alone.
    public func submitted(_ modal: ReasonModal, reason: String, team: String, user: String, viewID: String) async {
        let account = "slack:\(team)/\(user)"
        let evidence = ["team": team, "user": user, "channel": modal.channel, "messageTs": modal.messageTs, "viewId": viewID]
        let text = await vote(modal.action, account: account, reason: reason, evidence: evidence, idempotencyKey: "slack:\(team)/\(user)/view/\(viewID)")
        do { try await api.postEphemeral(channel: modal.channel, user: user, text: text) } catch {
            logger.error("slack: answering \(account) on \(modal.action.requestID): \(error)")
        }
    }

    /// Records the vote; the sentence to answer with.
    func vote(_ action: SlackActionID, account: String, reason: String, evidence: [String: String], idempotencyKey: String) async -> String {
        do {
            let state = try await voting.vote(
                action.requestID, account: account, approve: action.approve, reason: reason, requestVersion: action.requestVersion, evidence: evidence,
                idempotencyKey: idempotencyKey)
            return SlackReplies.recorded(approve: action.approve, state: state)
        } catch let error as ApprovalError {
            return SlackReplies.refused(error, requestID: action.requestID, approve: action.approve, account: account, publicURL: configuration.publicURL)
        } catch {
            logger.error("slack: vote by \(account) on \(action.requestID) failed: \(error)")
            return SlackReplies.failed(error)
        }
    }

    /// True when the request's rule requires a reason for this vote.
    func reasonRequired(_ action: SlackActionID) async throws -> Bool {
        guard let state = try await approvals.request(action.requestID), let policy = try await approvals.currentPolicy()?.policy,
              let rule = policy.rule(named: state.ruleName)
        else { return false }
        return action.approve ? rule.reasonRequiredOnApprove : rule.reasonRequiredOnDeny
    }
}
