import ApprovalLedger

/// The human form of `ledger policy explain`: the rules tried in order, the risk score, and
/// what the matching rule requires.
enum PolicyExplanationText {
    static func print(_ explanation: PolicyExplanation) {
        let policy = explanation.policy
        let request = explanation.request
        let version = policy.version > 0 ? "version \(policy.version)" : "draft"
        Output.line("policy '\(f(policy.policy.name))' (\(version), hash \(policy.hash.prefix(12))…): \(f(request.action)) on \(f(request.resource)) in \(f(request.environment)) at \(explanation.time)")
        Output.line("risk \(TerminalText.field(explanation.risk.explanation, limit: 1000))")
        for contribution in explanation.risk.contributions {
            Output.line("  \(f(contribution.factor))=\(f(contribution.input)): value \(number(contribution.value)) × weight \(number(contribution.weight)) → +\(number(contribution.points))")
        }
        for check in explanation.checks {
            Output.line(check.matches ? "rule \(f(check.rule)): matches" : "rule \(f(check.rule)): no (\(check.reasons.map(f).joined(separator: "; ")))")
        }
        guard let rule = explanation.rule else {
            Output.line("no rule matches: `request open` would refuse it [no-matching-rule]")
            return
        }
        switch explanation.outcome {
        case "auto-approved": Output.line("outcome: auto-approved (risk \(explanation.risk.score) is below \(rule.autoApproveBelow ?? 0))")
        case "auto-denied": Output.line("outcome: auto-denied (risk \(explanation.risk.score) is above \(rule.autoDenyAbove ?? 0))")
        default: Output.line("outcome: needs approval")
        }
        let groups = rule.requiredByGroup.sorted { $0.key < $1.key }.map { group, count in
            "\(count) \(f(group)) (\(policy.policy.members(of: group).sorted().map(f).joined(separator: ", ")))"
        }
        if rule.requiredTotal == 0 {
            Output.line("  needs: no approvals")
        } else {
            Output.line("  needs: \(groups.isEmpty ? "" : groups.joined(separator: " and ") + "; ")\(rule.requiredTotal) approval\(rule.requiredTotal == 1 ? "" : "s") in all")
        }
        var votes: [String] = []
        votes.append(rule.distinctApprovers ? "distinct approvers" : "repeated approvals count")
        votes.append(rule.allowSelfApproval ? "self-approval allowed" : "no self-approval")
        if rule.ownKeyVotes { votes.append("own-key votes only") }
        let reasons = [rule.reasonRequiredOnApprove ? "approve" : nil, rule.reasonRequiredOnDeny ? "deny" : nil].compactMap { $0 }
        votes.append(reasons.isEmpty ? "no reason required" : "reason required to " + reasons.joined(separator: " and "))
        votes.append("\(rule.denyVeto) deny veto\(rule.denyVeto == 1 ? "" : "es")")
        Output.line("  votes: " + votes.joined(separator: ", "))
        Output.line("  ttl \(DurationText.format(rule.ttl)), then \(rule.onTimeout == .expire ? "expires" : "denied"); grant \(DurationText.format(rule.grantTTL)), \(rule.oneShot ? "one-shot" : "reusable")")
        for (index, step) in rule.escalation.enumerated() {
            let adds = step.addGroups.isEmpty ? "" : "; \(step.addGroups.map(f).joined(separator: ", ")) may approve"
            Output.line("  escalation \(index + 1): after \(DurationText.format(step.after)) notify \(step.notify.map(f).joined(separator: ", "))\(adds)")
        }
        if let below = rule.autoApproveBelow { Output.line("  auto-approves below risk \(below)") }
        if let above = rule.autoDenyAbove { Output.line("  auto-denies above risk \(above)") }
        if let glass = rule.breakGlass {
            Output.line("  break-glass allowed: review by \(glass.reviewers.map(f).joined(separator: ", ")) within \(DurationText.format(glass.reviewWithin))")
        }
    }

    private static func number(_ value: Double) -> String { ECMAScriptNumber.format((value * 100).rounded() / 100) }
    private static func f(_ text: String) -> String { TerminalText.field(text, limit: 80) }
}
