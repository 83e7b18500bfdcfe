public import ApprovalLedger

/// A button press on a request's message (`block_actions`), read from Slack's payload.
public struct SlackInteraction: Sendable, Hashable {
    public var team: String
    public var user: String
    public var action: SlackActionID
    /// Slack's timestamp of this action: the same press delivered twice carries the same one.
    public var actionTs: String
    public var channel: String
    public var messageTs: String
    public var triggerID: String
    public var responseURL: String

    /// `slack:T…/U…`, the account a vote is relayed for.
    public var account: String { "slack:\(team)/\(user)" }

    /// The interaction in a `block_actions` payload; nil when it is not a press of our buttons.
    public init?(blockActions payload: JSONValue) {
        guard payload["type"]?.stringValue == "block_actions", let team = payload["team"]?["id"]?.stringValue ?? payload["user"]?["team_id"]?.stringValue,
              let user = payload["user"]?["id"]?.stringValue, let first = payload["actions"]?.arrayValue?.first,
              let actionID = first["action_id"]?.stringValue, let action = SlackActionID(actionID),
              let channel = payload["channel"]?["id"]?.stringValue ?? payload["container"]?["channel_id"]?.stringValue,
              let messageTs = payload["container"]?["message_ts"]?.stringValue ?? payload["message"]?["ts"]?.stringValue,
              let triggerID = payload["trigger_id"]?.stringValue, let responseURL = payload["response_url"]?.stringValue
        else { return nil }
        self.team = team
        self.user = user
        self.action = action
        self.actionTs = first["action_ts"]?.stringValue ?? messageTs
        self.channel = channel
        self.messageTs = messageTs
        self.triggerID = triggerID
        self.responseURL = responseURL
    }

    /// The evidence the relayed vote carries (`origin.evidence`).
    public var evidence: [String: String] {
        ["team": team, "user": user, "channel": channel, "actionTs": actionTs, "messageTs": messageTs]
    }

    /// One key per press: Slack's retry of it, or a second delivery, records nothing more.
    public var idempotencyKey: String { "slack:\(team)/\(user)/action/\(action.requestID)/\(actionTs)" }
}
