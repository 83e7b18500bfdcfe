import ApprovalLedger

/// The events the benchmark appends: a deploy bot's service-specific events (the `append`
/// capability; `request.*`, `vote.*` and the other workflow types go through the approval
/// commands, not a raw append) spread over a few dozen deployment streams, each with a small
/// JSON payload of about 150 canonical bytes.
struct Workload {
    let streams: Int

    private static let types = ["deploy.requested", "deploy.approved", "deploy.started", "deploy.finished"]
    private static let environments = ["production", "staging", "canary"]
    private static let actions = ["deploy", "migrate-schema", "rotate-secret", "open-firewall"]

    /// The draft for the `index`-th event (0-based).
    func draft(_ index: Int) -> EventDraft {
        let deployment = index % streams
        var payload = JSONObject()
        payload["action"] = .string(Self.actions[deployment % Self.actions.count])
        payload["environment"] = .string(Self.environments[index % Self.environments.count])
        payload["resource"] = .string("svc-payments-\(deployment)")
        payload["summary"] = .string("Roll out release 2024.06.\(index % 97) to the \(Self.environments[index % 3]) fleet")
        payload["risk"] = .integer(Int64(index % 10))
        payload["n"] = .integer(Int64(index))
        return EventDraft(
            type: Self.types[index % Self.types.count], stream: "deploy:\(deployment)", payload: .object(payload))
    }

    /// Drafts `range`, in order.
    func drafts(_ range: Range<Int>) -> [EventDraft] { range.map(draft) }

    /// Mean canonical payload size over the first `count` drafts.
    func meanPayloadBytes(sample count: Int = 1000) -> Double {
        let total = (0..<count).reduce(0) { $0 + CanonicalJSON.encode(draft($1).payload).count }
        return Double(total) / Double(count)
    }
}
