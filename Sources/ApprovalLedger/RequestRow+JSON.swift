extension RequestRow {
    /// A request as `ledger request list --format json` and `GET /v1/requests` list it;
    /// `now` decides `reviewOverdue`.
    public func jsonValue(now: String) -> JSONValue {
        var object = JSONObject()
        object["requestId"] = .string(requestID)
        object["status"] = .string(status)
        object["action"] = .string(action)
        object["resource"] = .string(resource)
        object["environment"] = .string(environment)
        object["requester"] = .string(requester)
        object["riskScore"] = .integer(Int64(riskScore))
        object["rule"] = .string(rule)
        object["openedAt"] = .string(openedAt)
        object["deadline"] = .string(deadline)
        object["decidedAt"] = decidedAt.map(JSONValue.string) ?? .null
        object["approvers"] = .array(approvers.map(JSONValue.string))
        object["rejectedAttempts"] = .integer(Int64(rejectedAttempts))
        object["reviewOverdue"] = .bool(reviewDeadline.map { reviewClosedAt == nil && $0 < now } ?? false)
        return .object(object)
    }
}
