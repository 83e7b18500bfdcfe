public import LedgerFormat

/// Why a policy would judge a request as it does: the rules before the one that matches and
/// what each fails on, the risk score factor by factor, and what the matching rule requires.
/// The rule, the score and any automatic decision come from the `Decider` itself, opening the
/// request as the workflow would; nothing here decides on its own.
public struct PolicyExplanation: Sendable {
    /// One rule of the policy, in order, up to the one that matches.
    public struct RuleCheck: Sendable, Hashable {
        public var rule: String
        public var matches: Bool
        /// What the request fails on, for a rule that does not match.
        public var reasons: [String]
    }

    public var policy: PublishedPolicy
    public var request: OpenRequest
    public var time: Timestamp
    public var risk: RiskAssessment
    /// Rules in order, up to and including the one that matches (every rule when none does).
    public var checks: [RuleCheck]
    /// The rule that governs the request; nil when none matches (the request is refused).
    public var rule: PolicyRule?
    /// `auto-approved`, `auto-denied`, `needs-approval` or `refused` (no rule matches).
    public var outcome: String

    /// Explains how `policy` would judge `request` opened at `time`.
    /// - Throws: `Refusal` `invalid-request` when the request could not be opened at all (a
    ///   bad action or environment, a risk input the model does not read), as `request open`
    ///   refuses it.
    public static func explain(_ request: OpenRequest, policy: PublishedPolicy, at time: Timestamp) throws(Refusal) -> PolicyExplanation {
        if let problem = policy.policy.risk.inputProblem(request.riskInputs) { throw Refusal("invalid-request", problem) }
        let decision = Decider.decide(state: nil, command: .open(request), actor: "", policy: policy, now: time)
        if let refusal = decision.refusal, refusal.code != "no-matching-rule" { throw refusal }
        let risk = RiskAssessment.assess(model: policy.policy.risk, inputs: request.riskInputs, environment: request.environment, time: time)
        let opened = decision.events.first.flatMap { RequestPayload($0.payload).policy.rule }
        var checks: [RuleCheck] = []
        for rule in policy.policy.rules {
            let matches = rule.name == opened
            checks.append(RuleCheck(rule: rule.name, matches: matches, reasons: matches ? [] : mismatches(rule.match, request, score: risk.score)))
            if matches { break }
        }
        let outcome: String
        switch decision.events.dropFirst().first?.type {
        case nil: outcome = opened == nil ? "refused" : "needs-approval"
        case ApprovalEvents.granted?: outcome = "auto-approved"
        default: outcome = "auto-denied"
        }
        return PolicyExplanation(
            policy: policy, request: request, time: time, risk: risk, checks: checks, rule: opened.flatMap { policy.policy.rule(named: $0) },
            outcome: outcome)
    }

    /// What of `match` the request fails, one phrase per part.
    static func mismatches(_ match: RuleMatch, _ request: OpenRequest, score: Int) -> [String] {
        func globs(_ list: [Glob]) -> String { list.map(\.pattern).joined(separator: "|") }
        var reasons: [String] = []
        if !match.actions.contains(where: { $0.matches(request.action) }) { reasons.append("action \(request.action) is not \(globs(match.actions))") }
        if !match.environments.contains(where: { $0.matches(request.environment) }) {
            reasons.append("environment \(request.environment) is not \(globs(match.environments))")
        }
        if !match.resources.contains(where: { $0.matches(request.resource) }) {
            reasons.append("resource \(Identifier.printable(request.resource)) is not \(globs(match.resources))")
        }
        if !(match.riskMin...match.riskMax).contains(score) { reasons.append("risk \(score) is outside \(match.riskMin)-\(match.riskMax)") }
        return reasons
    }
}
