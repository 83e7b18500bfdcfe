public import ApprovalLedger

/// The `/approvals` slash command: `/approvals` (or `list`) lists what awaits the caller,
/// `/approvals show ID` shows one request, `/approvals help` says so. Reads only; the answer
/// is ephemeral, returned in the HTTP response itself.
public struct SlackCommand: Sendable {
    let configuration: SlackConfiguration
    let voting: any SlackVoting
    let approvals: Approvals

    public init(configuration: SlackConfiguration, voting: any SlackVoting, approvals: Approvals) {
        self.configuration = configuration
        self.voting = voting
        self.approvals = approvals
    }

    static let usage = "`/approvals` lists the requests awaiting your vote; `/approvals show ID` shows one."

    /// The ephemeral answer (`response_type`, `text`, maybe `blocks`) to `text` typed by
    /// `user` of `team`.
    public func answer(team: String, user: String, text: String, now: Timestamp) async throws -> JSONValue {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        if words.first == "help" { return Self.ephemeral(Self.usage) }
        let account = "slack:\(team)/\(user)"
        guard let identity = try await voting.identity(of: account) else {
            return Self.ephemeral(
                "Your Slack account `\(SlackText.escaped(account))` is not linked to a ledger identity. Ask a ledger admin to run `ledger identity link \(SlackText.escaped(account)) YOUR-IDENTITY`, then try again.")
        }
        switch words.first {
        case nil, "list":
            let awaiting = try await approvals.awaiting(identity, limit: 20)
            guard !awaiting.isEmpty else { return Self.ephemeral("Nothing awaits your vote, \(SlackText.escaped(identity)).") }
            let lines = awaiting.map { item in
                "• `\(SlackText.escaped(item.state.id))` \(SlackText.escaped(SlackText.truncated(item.state.summary, to: 120))) (\(SlackText.escaped(item.state.environment)), risk \(item.state.riskScore)): "
                    + RequestMessage(state: item.state, needs: item.needs, publicURL: configuration.publicURL, now: now).progress
            }
            return Self.ephemeral(SlackText.truncated("Awaiting your vote, \(SlackText.escaped(identity)):\n" + lines.joined(separator: "\n"), to: 3000))
        case "show":
            guard words.count == 2 else { return Self.ephemeral(Self.usage) }
            guard let state = try await approvals.request(words[1]) else { return Self.ephemeral("No request `\(SlackText.escaped(words[1]))`.") }
            let message = RequestMessage(state: state, needs: try await approvals.stillNeeded(state.id), publicURL: configuration.publicURL, now: now)
            return ["response_type": "ephemeral", "text": .string(message.fallbackText), "blocks": .array(message.blocks)]
        default:
            return Self.ephemeral(Self.usage)
        }
    }

    static func ephemeral(_ text: String) -> JSONValue { ["response_type": "ephemeral", "text": .string(text)] }
}
