extension RequestState {
    /// The fields an auditor needs in every request record, in this order (docs/METRICS.md,
    /// M10). A request without context or without the reason for its outcome cannot be
    /// reviewed later, whatever its signatures say.
    public static let auditFields = ["summary", "links", "risk", "policy", "explanation", "grant", "reason"]

    /// The audit fields this request lacks: a summary, at least one context link, the risk
    /// explanation, the policy hash; once resolved, the explanation of the outcome; once
    /// granted, the grant; after a break-glass bypass, its reason.
    public var missingAuditFields: [String] {
        var missing: [String] = []
        if summary.trimmingSpaces.isEmpty { missing.append("summary") }
        if links.isEmpty { missing.append("links") }
        if riskLevel.isEmpty || riskExplanation.isEmpty { missing.append("risk") }
        if policyHash.isEmpty { missing.append("policy") }
        if status.isTerminal, (decisionExplanation ?? "").trimmingSpaces.isEmpty { missing.append("explanation") }
        if status == .granted, grant == nil { missing.append("grant") }
        if status == .bypassed, (review?.reason ?? "").trimmingSpaces.isEmpty { missing.append("reason") }
        return missing
    }
}
