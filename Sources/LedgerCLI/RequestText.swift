import ApprovalLedger

/// The human form of a request. Every untrusted string is escaped: prose (summary, reasons,
/// details) with `TerminalText.field`, so it cannot add lines or reorder text; names a reader
/// compares by eye (resource, links, release) with `Identifier.printable`, which also shows
/// every non-ASCII letter as a code point, so "svc/сheckout" with a Cyrillic "с" cannot pass
/// for "svc/checkout".
enum RequestText {
    static func print(_ state: RequestState) {
        let p = { (text: String) in Identifier.printable(text, limit: 200) }
        let prose = { (text: String) in TerminalText.field(text, limit: 500) }
        Output.line("\(state.id)  \(state.status.rawValue.uppercased())")
        Output.line("  action      \(state.action) on \(p(state.resource)) (\(state.environment))")
        Output.line("  summary     \(prose(state.summary))")
        for link in state.links { Output.line("  link        \(p(link))") }
        if let digest = state.changeDigest { Output.line("  change      \(digest)") }
        if let release = state.release { Output.line("  release     \(p(release))") }
        Output.line("  requester   \(state.requester)")
        Output.line("  risk        \(prose(state.riskExplanation))")
        Output.line("  rule        \(state.ruleName) (policy version \(state.policyVersion), \(state.policyHash.prefix(16))…)")
        Output.line("  opened      \(state.openedAt), deadline \(state.deadline), version \(state.version)")
        for vote in state.votes {
            Output.line("  vote        \(vote.voter) \(vote.approve ? "approve" : "deny")\(vote.reason.isEmpty ? "" : ": \(prose(vote.reason))") (\(vote.time))")
        }
        if state.escalationsApplied > 0 {
            Output.line("  escalated   \(state.escalationsApplied) step\(state.escalationsApplied == 1 ? "" : "s")\(state.addedGroups.isEmpty ? "" : "; may also approve: \(state.addedGroups.joined(separator: ", "))")")
        }
        if !state.rejectedAttempts.isEmpty { Output.line("  rejected    \(prose(state.rejectedAttempts.joined(separator: ", ")))") }
        if let explanation = state.decisionExplanation { Output.line("  decision    \(prose(explanation)) (\(state.decidedAt?.description ?? ""))") }
        if let grant = state.grant {
            Output.line("  grant       \(grant.id) until \(grant.expiresAt)\(grant.oneShot ? ", one-shot" : "")\(grant.changeDigest.map { ", bound to \($0.prefix(16))…" } ?? "")")
        }
        for execution in state.executions {
            Output.line("  executed    \(execution.succeeded ? "succeeded" : "FAILED") at \(execution.time)\(execution.detail.map { ": \(prose($0))" } ?? "")")
        }
        if !state.refusedExecutions.isEmpty { Output.line("  refused     executions: \(prose(state.refusedExecutions.joined(separator: ", ")))") }
        if let at = state.rolledBackAt { Output.line("  rolled back \(at)") }
        if let at = state.recoveredAt { Output.line("  recovered   \(at)") }
        if let review = state.review {
            let status = review.closedAt.map { "closed \($0): \(prose(review.outcome ?? ""))" } ?? (review.deadline < SystemClock.now() ? "OVERDUE (due \(review.deadline))" : "open, due \(review.deadline)")
            Output.line("  review      \(status)")
        }
    }
}
