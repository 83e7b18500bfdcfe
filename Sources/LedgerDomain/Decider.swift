public import LedgerFormat

/// The approval rules as one pure function: given a request's state (nil before it exists),
/// a command, who issues it (the identity their key is registered to), the policy that
/// governs, and the time, return the events to append or a refusal. No I/O: the store
/// persists what this returns, and the verifier replays it.
public enum Decider {
    ///
    /// `mayVote` is whether the actor's key carries the `approve` (or `admin`) capability: a
    /// vote that the policy would count is still refused, and recorded, without it.
    public static func decide(
        state: RequestState?, command: ApprovalCommand, actor: String, policy: PublishedPolicy?, now: Timestamp,
        mayVote: Bool = true
    ) -> Decision {
        switch command {
        case .open(let request):
            return open(request, actor: actor, policy: policy, now: now, bypassReason: nil)
        case .bypass(let request, let reason):
            return open(request, actor: actor, policy: policy, now: now, bypassReason: reason)
        default:
            break
        }
        guard let state else { return .refused("not-found", "no such request") }
        guard let published = policy, let rule = published.policy.rule(named: state.ruleName) else {
            return .refused("policy-missing", "the policy version \(state.policyVersion) that governs \(state.id) (rule \(state.ruleName)) is not in this ledger")
        }
        let context = Context(state: state, rule: rule, policy: published.policy, actor: actor, now: now)
        switch command {
        case .open, .bypass: preconditionFailure("handled above")
        case .vote(let vote):
            let decision = context.vote(vote)
            guard decision.refusal == nil, !mayVote else { return decision }
            return context.rejectVote(vote, "not-eligible", "\(actor)'s key lacks the approve capability")
        case .comment(let text): return context.comment(text)
        case .cancel(let reason): return context.cancel(reason)
        case .tick: return context.tick()
        case .execute(let succeeded, let digest, let detail): return context.execute(succeeded: succeeded, digest: digest, detail: detail)
        case .rollback(let reason): return context.rollback(reason)
        case .recover(let detail): return context.recover(detail)
        case .closeReview(let accepted, let reason): return context.closeReview(accepted: accepted, reason: reason)
        }
    }

    static func open(_ request: OpenRequest, actor: String, policy: PublishedPolicy?, now: Timestamp, bypassReason: String?) -> Decision {
        guard let published = policy else {
            return .refused("no-policy", "no policy has been published in this ledger; publish one with `ledger policy publish FILE`")
        }
        for (name, value) in [("action", request.action), ("environment", request.environment)] where !Identifier.isValidToken(value) {
            return .refused("invalid-request", "\(name) '\(Identifier.printable(value))' must be \(Identifier.tokenRule)")
        }
        guard !request.resource.isEmpty, request.resource.utf8.count <= 512, Self.isPrintable(request.resource) else {
            return .refused("invalid-request", "resource must be 1-512 printable characters")
        }
        guard request.summary.utf8.count <= 4096 else {
            return .refused("invalid-request", "summary is longer than 4096 bytes")
        }
        if let digest = request.changeDigest, !Self.isDigest(digest) {
            return .refused("invalid-request", "change digest must be 64 lowercase hex characters (a SHA-256)")
        }
        let risk = RiskAssessment.assess(model: published.policy.risk, inputs: request.riskInputs, environment: request.environment, time: now)
        guard let rule = published.policy.rule(action: request.action, environment: request.environment, resource: request.resource, riskScore: risk.score) else {
            return .refused(
                "no-matching-rule",
                "no rule of policy '\(published.policy.name)' matches action \(request.action) on \(Identifier.printable(request.resource)) in \(request.environment) at risk \(risk.score); add a rule or correct the request")
        }
        // A bypass too: the replay re-derives a bypassed request's opening as a plain open, and
        // an emergency is reviewed afterwards from the links it gives (the incident, the diff).
        if let problem = rule.context.problem(request, rule: rule.name) {
            return .refused("context-required", problem)
        }
        var payload = JSONObject()
        payload["requestId"] = .string(request.requestID)
        payload["action"] = .string(request.action)
        payload["resource"] = .string(request.resource)
        payload["environment"] = .string(request.environment)
        payload["summary"] = .string(request.summary)
        payload["links"] = .array(request.links.map(JSONValue.string))
        if let digest = request.changeDigest { payload["changeDigest"] = .string(digest) }
        if let release = request.release { payload["release"] = .string(release) }
        var inputs = JSONObject()
        for (key, value) in request.riskInputs { inputs[key] = .string(value) }
        payload["riskInputs"] = .object(inputs)
        payload["risk"] = risk.jsonValue
        payload["riskExplanation"] = .string(risk.explanation)
        payload["policy"] = ["version": .integer(published.version), "hash": .string(published.hash), "rule": .string(rule.name)]
        payload["deadline"] = .string(now.adding(milliseconds: rule.ttl).description)
        var events = [DomainEvent(ApprovalEvents.opened, .object(payload))]

        if let reason = bypassReason {
            guard let glass = rule.breakGlass else {
                return .refused("break-glass-not-allowed", "rule \(rule.name) does not allow break-glass for this request; ask for approval instead")
            }
            guard !reason.trimmingSpaces.isEmpty else { return .refused("reason-required", "a break-glass bypass needs a reason") }
            events.append(DomainEvent(ApprovalEvents.bypassed, [
                "reason": .string(reason),
                "reviewDeadline": .string(now.adding(milliseconds: glass.reviewWithin).description),
                "reviewers": .array(glass.reviewers.map(JSONValue.string)),
            ]))
            return Decision(events: events, refusal: nil)
        }
        if let above = rule.autoDenyAbove, risk.score > above {
            events.append(DomainEvent(ApprovalEvents.denied, [
                "rule": .string(rule.name), "automatic": true, "deniers": [],
                "explanation": .string("auto-denied by rule \(rule.name): risk \(risk.score) is above \(above)"),
            ]))
        } else if let below = rule.autoApproveBelow, risk.score < below {
            events.append(DomainEvent(ApprovalEvents.granted, [
                "rule": .string(rule.name), "automatic": true, "approvers": [],
                "explanation": .string("auto-approved by rule \(rule.name): risk \(risk.score) is below \(below)"),
                "grant": grant(requestID: request.requestID, digest: request.changeDigest, rule: rule, now: now),
            ]))
        }
        return Decision(events: events, refusal: nil)
    }

    static func grant(requestID: String, digest: String?, rule: PolicyRule, now: Timestamp) -> JSONValue {
        var grant = JSONObject()
        grant["id"] = .string("\(requestID)/grant")
        grant["expiresAt"] = .string(now.adding(milliseconds: rule.grantTTL).description)
        grant["oneShot"] = .bool(rule.oneShot)
        if let digest { grant["changeDigest"] = .string(digest) }
        return .object(grant)
    }

    static func isDigest(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// No control characters and no bidi overrides: text that cannot disguise itself.
    public static func isPrintable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
                || (0x2066...0x2069).contains(scalar.value) || scalar.value == 0x200E || scalar.value == 0x200F)
        }
    }
}
