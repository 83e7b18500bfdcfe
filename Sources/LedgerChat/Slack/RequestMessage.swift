public import ApprovalLedger

/// The Slack message that shows one request, rendered from its state alone (pure): what is
/// asked, by whom, its risk and why, its links, what it still needs and by when, and, while it
/// is pending, the Approve and Deny buttons. `chat.postMessage` posts it and `chat.update`
/// replaces it on every change, so the channel always shows the request as the ledger has it.
public struct RequestMessage: Sendable {
    public var state: RequestState
    /// What the request still needs (nil once the rule is gone from the policy).
    public var needs: ApprovalNeeds?
    /// The server's external URL (links to the request).
    public var publicURL: String
    /// When it is rendered: decides whether a break-glass review is overdue.
    public var now: Timestamp

    public init(state: RequestState, needs: ApprovalNeeds?, publicURL: String, now: Timestamp) {
        self.state = state
        self.needs = needs
        self.publicURL = publicURL
        self.now = now
    }

    /// The one-line text Slack shows in notifications and where blocks cannot be shown.
    public var fallbackText: String {
        SlackText.truncated("\(statusWord): \(SlackText.escaped(state.summary)) (\(state.action) on \(state.resource) in \(state.environment))", to: 3000)
    }

    /// `{"text": …, "blocks": […]}`, the members `chat.postMessage` and `chat.update` take.
    public var jsonValue: JSONValue {
        ["text": .string(fallbackText), "blocks": .array(blocks)]
    }

    /// The Block Kit blocks.
    public var blocks: [JSONValue] {
        var blocks: [JSONValue] = [
            ["type": "header", "text": plain(SlackText.truncated("\(statusEmoji) \(state.summary)", to: 150))],
            [
                "type": "section",
                "fields": .array([
                    markdown("*Action*\n`\(SlackText.escaped(SlackText.truncated(state.action, to: 200)))`"),
                    markdown("*Resource*\n`\(SlackText.escaped(SlackText.truncated(state.resource, to: 200)))`"),
                    markdown("*Environment*\n\(SlackText.escaped(state.environment))"),
                    markdown("*Requester*\n\(SlackText.escaped(state.requester))"),
                    markdown("*Risk*\n\(state.riskScore) (\(SlackText.escaped(state.riskLevel)))"),
                    markdown("*Deadline*\n\(SlackText.date(state.deadline.millisecondsSinceEpoch, fallback: state.deadline.description))"),
                ]),
            ],
        ]
        if !state.riskExplanation.isEmpty {
            blocks.append(section("*Why this risk*\n" + SlackText.escaped(SlackText.truncated(state.riskExplanation, to: 2800))))
        }
        if !state.links.isEmpty {
            let links = state.links.prefix(10).map { SlackText.link($0, label: Self.linkLabel($0)) }
            blocks.append(section("*Links*\n" + links.joined(separator: "  ·  ")))
        }
        blocks.append(section(SlackText.truncated(statusText, to: 3000)))
        if state.status == .pending {
            blocks.append([
                "type": "actions", "block_id": "ledger-vote",
                "elements": [
                    button("Approve", SlackActionID(approve: true, requestID: state.id, requestVersion: state.version), style: "primary"),
                    button("Deny", SlackActionID(approve: false, requestID: state.id, requestVersion: state.version), style: "danger"),
                ],
            ])
        }
        blocks.append([
            "type": "context",
            "elements": [
                markdown(
                    SlackText.truncated(
                        "`\(SlackText.escaped(state.id))` · version \(state.version) · rule \(SlackText.escaped(state.ruleName)) · policy v\(state.policyVersion) · "
                            + SlackText.link("\(publicURL)/v1/requests/\(state.id)", label: "in the ledger"), to: 2000)),
            ],
        ])
        return blocks
    }

    /// Progress, outcome and what happened since: the part that changes.
    var statusText: String {
        var lines: [String] = []
        switch state.status {
        case .pending:
            lines.append("*Pending* · " + progress)
        case .granted:
            lines.append("*Granted*" + (state.approvers.isEmpty ? "" : " by " + state.approvers.map(SlackText.escaped).joined(separator: ", ")))
        case .denied:
            lines.append("*Denied*" + (state.deniers.isEmpty ? "" : " by " + state.deniers.map(SlackText.escaped).joined(separator: ", ")))
        case .expired: lines.append("*Expired* undecided")
        case .cancelled: lines.append("*Cancelled*")
        case .bypassed: lines.append(":rotating_light: *Break-glass bypass*: executed without approval")
        }
        if state.status != .pending, let explanation = state.decisionExplanation, !explanation.isEmpty {
            lines.append(SlackText.escaped(SlackText.truncated(explanation, to: 600)))
        }
        for vote in state.votes {
            let reason = vote.reason.isEmpty ? "" : ": " + SlackText.escaped(SlackText.truncated(vote.reason, to: 200))
            lines.append("\(vote.approve ? ":white_check_mark:" : ":x:") \(SlackText.escaped(vote.voter)) \(vote.approve ? "approved" : "denied")\(reason)")
        }
        if state.escalationsApplied > 0 {
            lines.append(":arrow_double_up: escalated \(state.escalationsApplied)×" + (state.addedGroups.isEmpty ? "" : "; now also " + state.addedGroups.joined(separator: ", ")))
        }
        if !state.rejectedAttempts.isEmpty {
            lines.append(":no_entry: \(state.rejectedAttempts.count) refused vote attempt\(state.rejectedAttempts.count == 1 ? "" : "s") (\(Set(state.rejectedAttempts).sorted().joined(separator: ", ")))")
        }
        if let grant = state.grant, state.executions.isEmpty {
            lines.append("Grant `\(SlackText.escaped(grant.id))` valid until \(SlackText.date(grant.expiresAt.millisecondsSinceEpoch, fallback: grant.expiresAt.description))")
        }
        for execution in state.executions {
            lines.append(execution.succeeded ? ":rocket: executed" : ":boom: execution failed" + (execution.detail.map { ": " + SlackText.escaped(SlackText.truncated($0, to: 200)) } ?? ""))
        }
        if !state.refusedExecutions.isEmpty { lines.append(":no_entry: \(state.refusedExecutions.count) refused execution report(s)") }
        if state.rolledBackAt != nil { lines.append(":rewind: rolled back") }
        if state.recoveredAt != nil { lines.append(":adhesive_bandage: recovered") }
        if let review = state.review {
            if let outcome = review.outcome {
                lines.append("Review closed: \(SlackText.escaped(outcome))")
            } else {
                lines.append((state.reviewOverdue(at: now) ? ":warning: *Review overdue* since " : "Review due ") + SlackText.date(review.deadline.millisecondsSinceEpoch, fallback: review.deadline.description))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "1 of 2: sre ✓, dba pending".
    var progress: String {
        guard let needs else { return "rule \(SlackText.escaped(state.ruleName)) is no longer in the policy" }
        let groups = needs.groups.map { group in
            group.missing == 0 ? "\(SlackText.escaped(group.name)) ✓" : group.required > 1
                ? "\(SlackText.escaped(group.name)) \(group.approvedBy.count)/\(group.required)" : "\(SlackText.escaped(group.name)) pending"
        }
        return "\(needs.approvals) of \(needs.requiredTotal)" + (groups.isEmpty ? "" : ": " + groups.joined(separator: ", "))
    }

    var statusWord: String {
        switch state.status {
        case .pending: "Approval requested"
        case .granted: "Granted"
        case .denied: "Denied"
        case .expired: "Expired"
        case .cancelled: "Cancelled"
        case .bypassed: "Break-glass"
        }
    }

    var statusEmoji: String {
        switch state.status {
        case .pending: "⏳"
        case .granted: "✅"
        case .denied: "❌"
        case .expired: "⌛"
        case .cancelled: "🚫"
        case .bypassed: "🚨"
        }
    }

    /// What a link is, from its URL: the kinds a request's context names (diff, runbook, dashboard).
    static func linkLabel(_ url: String) -> String {
        let lower = url.lowercased()
        if lower.contains("runbook") { return "runbook" }
        if lower.contains("dashboard") || lower.contains("grafana") { return "dashboard" }
        if lower.contains("/pull/") || lower.contains("/merge_requests/") || lower.contains("/compare/") || lower.contains("diff") || lower.contains("/commit/") {
            return "diff"
        }
        return SlackText.truncated(url.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? url, to: 60)
    }

    func plain(_ text: String) -> JSONValue { ["type": "plain_text", "text": .string(text.isEmpty ? " " : text), "emoji": true] }
    func markdown(_ text: String) -> JSONValue { ["type": "mrkdwn", "text": .string(text.isEmpty ? " " : text)] }
    func section(_ text: String) -> JSONValue { ["type": "section", "text": markdown(text)] }

    func button(_ label: String, _ action: SlackActionID, style: String) -> JSONValue {
        ["type": "button", "text": plain(label), "action_id": .string(action.text), "value": .string(action.text), "style": .string(style)]
    }
}
