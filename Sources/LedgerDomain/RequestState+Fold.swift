internal import LedgerFormat

extension RequestState {
    /// Rebuilds a request from its stream's events, in order. Returns nil when the stream does
    /// not start with `request.opened`. Unknown event types are ignored, so newer tools can
    /// add types without breaking older readers.
    public static func fold(_ events: [RequestEvent]) -> RequestState? {
        guard let first = events.first, first.type == ApprovalEvents.opened, var state = opened(first) else { return nil }
        for event in events.dropFirst() { state.apply(event) }
        return state
    }

    static func opened(_ event: RequestEvent) -> RequestState? {
        let p = event.members
        guard let id = p.requestId, let action = p.action, let resource = p.resource, let environment = p.environment,
              let deadline = p.deadline, let policyVersion = p.policy.version, let rule = p.policy.rule
        else { return nil }
        return RequestState(
            id: id, action: action, resource: resource, environment: environment,
            summary: p.summary ?? "", links: p.links ?? [], changeDigest: p.changeDigest, release: p.release, requester: event.actor,
            riskScore: Int(p.risk.score ?? 0), riskLevel: p.risk.level ?? "", riskExplanation: p.riskExplanation ?? "",
            policyVersion: policyVersion, policyHash: p.policy.hash ?? "", ruleName: rule,
            openedAt: event.time, openedSeq: event.seq, deadline: deadline, contentVersion: event.streamVersion,
            version: event.streamVersion)
    }

    /// Applies one event after `request.opened`.
    public mutating func apply(_ event: RequestEvent) {
        version = event.streamVersion
        let p = event.members
        switch event.type {
        case ApprovalEvents.voteCast:
            votes.append(Vote(
                voter: event.actor, approve: p.decision == "approve", reason: p.reason ?? "",
                seq: event.seq, time: event.time))
        case ApprovalEvents.voteRejected:
            rejectedAttempts.append(p.code ?? "unknown")
        case ApprovalEvents.granted:
            status = .granted
            decide(event)
            if let id = p.grant.id, let expires = p.grant.expiresAt {
                grant = Grant(id: id, expiresAt: expires, changeDigest: p.grant.changeDigest, oneShot: p.grant.oneShot ?? true)
            }
        case ApprovalEvents.denied:
            status = .denied
            decide(event)
        case ApprovalEvents.expired:
            status = .expired
            decide(event)
        case ApprovalEvents.cancelled:
            status = .cancelled
            decide(event)
        case ApprovalEvents.escalated:
            escalationsApplied += 1
            for group in p.addGroups ?? [] where !addedGroups.contains(group) {
                addedGroups.append(group)
            }
        case ApprovalEvents.bypassed:
            status = .bypassed
            decidedAt = event.time
            decisionExplanation = "break-glass: " + (p.reason ?? "")
            review = Review(reason: p.reason ?? "", deadline: p.reviewDeadline ?? event.time)
        case ApprovalEvents.reviewClosed:
            review?.closedAt = event.time
            review?.outcome = p.outcome
        case ApprovalEvents.executed:
            executions.append(Execution(succeeded: p.outcome == "succeeded", time: event.time, detail: p.detail))
        case ApprovalEvents.executionRefused:
            refusedExecutions.append(p.code ?? "unknown")
        case ApprovalEvents.rolledBack:
            rolledBackAt = event.time
        case ApprovalEvents.recovered:
            recoveredAt = event.time
        case ApprovalEvents.commented:
            comments += 1
        default:
            break
        }
    }

    private mutating func decide(_ event: RequestEvent) {
        decidedAt = event.time
        decisionExplanation = event.members.explanation
        automatic = event.members.automatic ?? false
    }
}
