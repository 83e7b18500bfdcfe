public import LedgerFormat

/// How a request ended (or stands at the simulation's instant) under one policy.
public struct SimulatedOutcome: Sendable, Hashable {
    /// The rule that governs it; nil when no rule of the draft matches (refused at opening).
    public var rule: String?
    /// `pending`, `granted`, `denied`, `expired`, `cancelled`, `bypassed`, or `refused`.
    public var status: String
    /// Granted or denied by the rule alone (risk, timeout), not by votes.
    public var automatic: Bool
    public var decidedAt: Timestamp?
    /// Why the draft refuses to open it (`no-matching-rule`, `break-glass-not-allowed`).
    public var refusal: String?
    /// What a pending request still needs under the draft (only the draft's side has it).
    public var stillNeeded: ApprovalNeeds?

    init(_ state: RequestState) {
        rule = state.ruleName
        status = state.status.rawValue
        automatic = state.automatic
        decidedAt = state.decidedAt
    }

    init(refusedWith code: String) {
        status = "refused"
        automatic = false
        refusal = code
    }

    /// In words: "auto-approved", "granted", "still needs 1 dba", "refused (no-matching-rule)".
    public var summary: String {
        switch status {
        case "granted": return automatic ? "auto-approved" : "granted"
        case "denied": return automatic ? "auto-denied" : "denied"
        case "refused": return "refused (\(refusal ?? "-"))"
        case "pending":
            guard let needs = stillNeeded else { return "pending" }
            var parts = needs.groups.filter { $0.missing > 0 }.map { "\($0.missing) \($0.name)" }
            let extra = needs.missingTotal - needs.groups.reduce(0) { $0 + $1.missing }
            if extra > 0 { parts.append("\(extra) more approval\(extra == 1 ? "" : "s")") }
            return parts.isEmpty ? "pending" : "still needs " + parts.joined(separator: " and ")
        default: return status
        }
    }
}
