import ApprovalLedger

/// The events the benchmark appends: approval traffic spread over a few dozen request streams,
/// each with a small JSON payload (about 150 canonical bytes), as a deploy bot would write.
struct Workload {
    let streams: Int

    private static let types = ["request.opened", "vote.cast", "vote.cast", "execution.reported"]
    private static let environments = ["production", "staging", "canary"]
    private static let actions = ["deploy", "migrate-schema", "rotate-secret", "open-firewall"]

    /// The draft for the `index`-th event (0-based).
    func draft(_ index: Int) -> EventDraft {
        let request = index % streams
        var payload = JSONObject()
        payload["action"] = .string(Self.actions[request % Self.actions.count])
        payload["environment"] = .string(Self.environments[index % Self.environments.count])
        payload["resource"] = .string("svc-payments-\(request)")
        payload["requester"] = .string("deploy-bot@example.com")
        payload["summary"] = .string("Roll out release 2024.06.\(index % 97) to the \(Self.environments[index % 3]) fleet")
        payload["risk"] = .integer(Int64(index % 10))
        payload["n"] = .integer(Int64(index))
        return EventDraft(
            type: Self.types[index % Self.types.count], stream: "request:\(request)", payload: .object(payload))
    }

    /// Drafts `range`, in order.
    func drafts(_ range: Range<Int>) -> [EventDraft] { range.map(draft) }

    /// Mean canonical payload size over the first `count` drafts.
    func meanPayloadBytes(sample count: Int = 1000) -> Double {
        let total = (0..<count).reduce(0) { $0 + CanonicalJSON.encode(draft($1).payload).count }
        return Double(total) / Double(count)
    }
}
