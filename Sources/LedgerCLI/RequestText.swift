import ApprovalLedger

/// The human form of a request. Every untrusted string goes through `Identifier.printable`,
/// so no control character or bidi override reaches the terminal.
enum RequestText {
    static func print(_ state: RequestState) {
        let p = { (text: String) in Identifier.printable(text, limit: 200) }
        Output.line("\(state.id)  \(state.status.rawValue.uppercased())")
        Output.line("  action      \(state.action) on \(p(state.resource)) (\(state.environment))")
        Output.line("  summary     \(p(state.summary))")
        for link in state.links { Output.line("  link        \(p(link))") }
        if let digest = state.changeDigest { Output.line("  change      \(digest)") }
        if let release = state.release { Output.line("  release     \(p(release))") }
        Output.line("  requester   \(state.requester)")
        Output.line("  risk        \(p(state.riskExplanation))")
        Output.line("  rule        \(state.ruleName) (policy version \(state.policyVersion), \(state.policyHash.prefix(16))…)")
        Output.line("  opened      \(state.openedAt), deadline \(state.deadline), version \(state.version)")
        for vote in state.votes {
            Output.line("  vote        \(vote.voter) \(vote.approve ? "approve" : "deny")\(vote.reason.isEmpty ? "" : ": \(p(vote.reason))") (\(vote.time))")
        }
        if state.escalationsApplied > 0 {
            Output.line("  escalated   \(state.escalationsApplied) step\(state.escalationsApplied == 1 ? "" : "s")\(state.addedGroups.isEmpty ? "" : "; may also approve: \(state.addedGroups.joined(separator: ", "))")")
        }
        if !state.rejectedAttempts.isEmpty { Output.line("  rejected    \(state.rejectedAttempts.joined(separator: ", "))") }
        if let explanation = state.decisionExplanation { Output.line("  decision    \(p(explanation)) (\(state.decidedAt?.description ?? ""))") }
        if let grant = state.grant {
            Output.line("  grant       \(grant.id) until \(grant.expiresAt)\(grant.oneShot ? ", one-shot" : "")\(grant.changeDigest.map { ", bound to \($0.prefix(16))…" } ?? "")")
        }
        for execution in state.executions {
            Output.line("  executed    \(execution.succeeded ? "succeeded" : "FAILED") at \(execution.time)\(execution.detail.map { ": \(p($0))" } ?? "")")
        }
        if !state.refusedExecutions.isEmpty { Output.line("  refused     executions: \(state.refusedExecutions.joined(separator: ", "))") }
        if let at = state.rolledBackAt { Output.line("  rolled back \(at)") }
        if let at = state.recoveredAt { Output.line("  recovered   \(at)") }
        if let review = state.review {
            let status = review.closedAt.map { "closed \($0): \(review.outcome ?? "")" } ?? (review.deadline < SystemClock.now() ? "OVERDUE (due \(review.deadline))" : "open, due \(review.deadline)")
            Output.line("  review      \(status)")
        }
    }
}
