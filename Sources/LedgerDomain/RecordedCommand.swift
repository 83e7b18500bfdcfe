internal import LedgerFormat

/// The command a recorded event answers, read back from the event: what the verifier feeds
/// the `Decider` to re-derive the event. Events that no command produces directly (grants,
/// denials, expiry, escalation) are the outcome of a previous command in the same transaction,
/// or of a `tick`.
public enum RecordedCommand {
    /// The command behind `event`, or nil when the event is an outcome (or not a workflow
    /// event at all). A payload too damaged to read yields nil as well; the replay then finds
    /// that the event was not produced by the rules.
    public static func command(for event: RequestEvent) -> ApprovalCommand? {
        let p = event.payload
        func text(_ name: String) -> String? { p[name]?.stringValue }
        switch event.type {
        case ApprovalEvents.opened:
            return openRequest(p).map(ApprovalCommand.open)
        case ApprovalEvents.voteCast:
            guard let decision = text("decision") else { return nil }
            return .vote(VoteCommand(
                approve: decision == "approve", reason: text("reason") ?? "", claimedIdentity: event.actor,
                requestVersion: p["requestVersion"]?.integerValue, relayedVia: event.relayedVia))
        case ApprovalEvents.voteRejected:
            guard let attempted = text("attempted"), let claimed = text("claimedIdentity") else { return nil }
            return .vote(VoteCommand(
                approve: attempted == "approve", reason: text("reason") ?? "", claimedIdentity: claimed,
                requestVersion: p["requestVersion"]?.integerValue, relayedVia: event.relayedVia))
        case ApprovalEvents.commented:
            return text("text").map(ApprovalCommand.comment)
        case ApprovalEvents.cancelled:
            return text("reason").map { .cancel(reason: $0) }
        case ApprovalEvents.executed:
            guard let outcome = text("outcome") else { return nil }
            return .execute(succeeded: outcome == "succeeded", changeDigest: text("changeDigest"), detail: text("detail"))
        case ApprovalEvents.executionRefused:
            guard let outcome = text("attemptedOutcome") else { return nil }
            return .execute(succeeded: outcome == "succeeded", changeDigest: text("changeDigest"), detail: text("detail"))
        case ApprovalEvents.rolledBack:
            return text("reason").map { .rollback(reason: $0) }
        case ApprovalEvents.recovered:
            return text("detail").map { .recover(detail: $0) }
        case ApprovalEvents.reviewClosed:
            guard let outcome = text("outcome"), let reason = text("reason") else { return nil }
            return .closeReview(accepted: outcome == "accepted", reason: reason)
        default:
            return nil
        }
    }

    /// The request as its opener asked for it (everything else in the payload is derived).
    static func openRequest(_ p: JSONValue) -> OpenRequest? {
        guard let id = p["requestId"]?.stringValue, let action = p["action"]?.stringValue,
              let resource = p["resource"]?.stringValue, let environment = p["environment"]?.stringValue,
              let summary = p["summary"]?.stringValue, let links = p["links"]?.arrayValue,
              let inputs = p["riskInputs"]?.objectValue
        else { return nil }
        var riskInputs: [String: String] = [:]
        for member in inputs.members {
            guard let value = member.value.stringValue else { return nil }
            riskInputs[member.key] = value
        }
        return OpenRequest(
            requestID: id, action: action, resource: resource, environment: environment, summary: summary,
            links: links.compactMap(\.stringValue), changeDigest: p["changeDigest"]?.stringValue,
            release: p["release"]?.stringValue, riskInputs: riskInputs)
    }
}
