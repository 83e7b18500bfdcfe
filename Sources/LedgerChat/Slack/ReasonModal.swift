public import ApprovalLedger

/// The modal (`views.open`) that asks for a vote's reason: every Deny, and Approve where the
/// request's rule requires a reason (`reason_required`). What the vote is about travels in
/// `private_metadata`, which Slack hands back unchanged in the `view_submission`.
public struct ReasonModal: Sendable, Hashable {
    public var action: SlackActionID
    /// The channel and ts of the request's message, for the evidence and the ephemeral answer.
    public var channel: String
    public var messageTs: String

    public static let callbackID = "ledger-vote-reason"
    static let blockID = "reason"
    static let inputID = "reason-input"

    public init(action: SlackActionID, channel: String, messageTs: String) {
        self.action = action
        self.channel = channel
        self.messageTs = messageTs
    }

    /// The view object `views.open` takes.
    public func view(summary: String) -> JSONValue {
        [
            "type": "modal",
            "callback_id": .string(Self.callbackID),
            "private_metadata": .string(String(decoding: CanonicalJSON.encode(metadata), as: UTF8.self)),
            "title": ["type": "plain_text", "text": .string(action.approve ? "Approve request" : "Deny request")],
            "submit": ["type": "plain_text", "text": .string(action.approve ? "Approve" : "Deny")],
            "close": ["type": "plain_text", "text": "Cancel"],
            "blocks": [
                ["type": "section", "text": ["type": "mrkdwn", "text": .string(SlackText.truncated("*\(SlackText.escaped(summary))*\n`\(SlackText.escaped(action.requestID))`", to: 3000))]],
                [
                    "type": "input", "block_id": .string(Self.blockID),
                    "label": ["type": "plain_text", "text": .string(action.approve ? "Why do you approve?" : "Why do you deny?")],
                    "element": ["type": "plain_text_input", "action_id": .string(Self.inputID), "multiline": true, "max_length": .integer(Int64(TextLimits.reasonBytes / 4))],
                ],
            ],
        ]
    }

    var metadata: JSONValue {
        [
            "id": .string(action.requestID), "v": .integer(action.requestVersion), "approve": .bool(action.approve),
            "channel": .string(channel), "ts": .string(messageTs),
        ]
    }

    /// The modal a `view_submission`'s `view` came from, with the reason typed into it; nil
    /// for a view that is not ours.
    public static func submitted(_ view: JSONValue) -> (modal: ReasonModal, reason: String)? {
        guard view["callback_id"]?.stringValue == callbackID, let text = view["private_metadata"]?.stringValue,
              let metadata = try? JSONParser.parse(text), let id = metadata["id"]?.stringValue, let version = metadata["v"]?.integerValue,
              let approve = metadata["approve"]?.boolValue, let channel = metadata["channel"]?.stringValue, let ts = metadata["ts"]?.stringValue
        else { return nil }
        let reason = view["state"]?["values"]?[blockID]?[inputID]?["value"]?.stringValue ?? ""
        return (ReasonModal(action: SlackActionID(approve: approve, requestID: id, requestVersion: version), channel: channel, messageTs: ts), reason)
    }
}
