public import LedgerFormat

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
        let p = event.payload
        guard let id = p["requestId"]?.stringValue, let action = p["action"]?.stringValue,
              let resource = p["resource"]?.stringValue, let environment = p["environment"]?.stringValue,
              let deadline = p["deadline"]?.stringValue.flatMap(Timestamp.init),
              let policy = p["policy"], let policyVersion = policy["version"]?.integerValue,
              let rule = policy["rule"]?.stringValue
        else { return nil }
        return RequestState(
            id: id, action: action, resource: resource, environment: environment,
            summary: p["summary"]?.stringValue ?? "", links: p["links"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            changeDigest: p["changeDigest"]?.stringValue, release: p["release"]?.stringValue, requester: event.actor,
            riskScore: Int(p["risk"]?["score"]?.integerValue ?? 0), riskLevel: p["risk"]?["level"]?.stringValue ?? "",
            riskExplanation: p["riskExplanation"]?.stringValue ?? "",
            policyVersion: policyVersion, policyHash: policy["hash"]?.stringValue ?? "", ruleName: rule,
            openedAt: event.time, openedSeq: event.seq, deadline: deadline, contentVersion: event.streamVersion,
            version: event.streamVersion)
    }

    /// Applies one event after `request.opened`.
    public mutating func apply(_ event: RequestEvent) {
        version = event.streamVersion
        let p = event.payload
        switch event.type {
        case ApprovalEvents.voteCast:
            votes.append(Vote(
                voter: event.actor, approve: p["decision"]?.stringValue == "approve", reason: p["reason"]?.stringValue ?? "",
                seq: event.seq, time: event.time))
        case ApprovalEvents.voteRejected:
            rejectedAttempts.append(p["code"]?.stringValue ?? "unknown")
        case ApprovalEvents.granted:
            status = .granted
            decide(event)
            if let grant = p["grant"], let id = grant["id"]?.stringValue, let expires = grant["expiresAt"]?.stringValue.flatMap(Timestamp.init) {
                self.grant = Grant(id: id, expiresAt: expires, changeDigest: grant["changeDigest"]?.stringValue, oneShot: grant["oneShot"]?.boolValue ?? true)
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
            for group in p["addGroups"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !addedGroups.contains(group) {
                addedGroups.append(group)
            }
        case ApprovalEvents.bypassed:
            status = .bypassed
            decidedAt = event.time
            decisionExplanation = "break-glass: " + (p["reason"]?.stringValue ?? "")
            review = Review(
                reason: p["reason"]?.stringValue ?? "", deadline: p["reviewDeadline"]?.stringValue.flatMap(Timestamp.init) ?? event.time)
        case ApprovalEvents.reviewClosed:
            review?.closedAt = event.time
            review?.outcome = p["outcome"]?.stringValue
        case ApprovalEvents.executed:
            executions.append(Execution(succeeded: p["outcome"]?.stringValue == "succeeded", time: event.time, detail: p["detail"]?.stringValue))
        case ApprovalEvents.executionRefused:
            refusedExecutions.append(p["code"]?.stringValue ?? "unknown")
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
        decisionExplanation = event.payload["explanation"]?.stringValue
        automatic = event.payload["automatic"]?.boolValue ?? false
    }
}
