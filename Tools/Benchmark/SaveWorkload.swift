import ApprovalLedger

/// The durable per-save workload ours and the peer (`Tools/peer/eventsourcing_bench.py`) both
/// run: one stream (aggregate) per approval request, an `approval.requested` event when it is
/// opened and an `approval.approved` event when it is approved, each appended in its own
/// durable transaction. The approval names the version it expects the stream at, as the peer's
/// aggregate does, so neither side reads the stream back before writing. The payloads carry
/// the same fields as the peer's events.
enum SaveWorkload {
    private static let environments = ["production", "staging", "canary"]

    static func stream(_ number: Int) -> String { "approval-\(number)" }

    static func requested(_ number: Int) -> EventDraft {
        let environment = environments[number % environments.count]
        var payload = JSONObject()
        payload["action"] = .string("deploy")
        payload["resource"] = .string("svc-payments-\(number % 40)")
        payload["environment"] = .string(environment)
        payload["requester"] = .string("deploy-bot")
        payload["summary"] = .string("Roll out release 2024.06.\(number % 97) to the \(environment) fleet")
        payload["risk"] = .integer(Int64(number % 10))
        return EventDraft(type: "approval.requested", stream: stream(number), payload: .object(payload), expectedVersion: .noStream)
    }

    static func approved(_ number: Int) -> EventDraft {
        var payload = JSONObject()
        payload["approver"] = .string("sre-oncall")
        payload["reason"] = .string("canary error rate flat for 30 min")
        return EventDraft(type: "approval.approved", stream: stream(number), payload: .object(payload), expectedVersion: .exactly(1))
    }
}
