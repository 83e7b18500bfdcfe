public import LedgerFormat

extension PolicySimulation {
    /// As `ledger policy simulate --format json` prints it and `POST /v1/policy/simulate` answers.
    public var jsonValue: JSONValue {
        var window = JSONObject.members(["now": .string(query.now.description)])
        if let since = query.since { window["since"] = .string(since.description) }
        if let until = query.until { window["until"] = .string(until.description) }
        if let environment = query.environment { window["environment"] = .string(environment) }
        if let action = query.action { window["action"] = .string(action) }
        return [
            "draft": ["name": .string(draft.policy.name), "hash": .string(draft.hash)],
            "window": .object(window),
            "summary": [
                "requests": .integer(Int64(requests.count)), "changed": .integer(Int64(changes.count)),
                "savedMs": .integer(savedMs), "costMs": .integer(costMs), "stillPending": .integer(Int64(stillPending)),
            ],
            "rules": .array(ruleCounts.map { count in
                var object = JSONObject.members(["recordedRule": .string(count.recordedRule), "requests": .integer(Int64(count.requests)), "changed": .integer(Int64(count.changed))])
                if let rule = count.draftRule { object["draftRule"] = .string(rule) }
                return .object(object)
            }),
            "changes": .array(changes.map(\.jsonValue)),
        ]
    }
}

extension RequestSimulation {
    public var jsonValue: JSONValue {
        var object = JSONObject.members([
            "requestId": .string(requestID), "action": .string(action), "environment": .string(environment), "resource": .string(resource),
            "openedAt": .string(openedAt.description), "recorded": recorded.jsonValue, "draft": draft.jsonValue,
            "votes": .array(votes.map(\.jsonValue)),
        ])
        if let latency { object["latency"] = latency.jsonValue }
        return .object(object)
    }
}

extension SimulatedOutcome {
    public var jsonValue: JSONValue {
        var object = JSONObject.members(["status": .string(status), "automatic": .bool(automatic), "summary": .string(summary)])
        if let rule { object["rule"] = .string(rule) }
        if let decidedAt { object["decidedAt"] = .string(decidedAt.description) }
        if let refusal { object["refusal"] = .string(refusal) }
        if let stillNeeded { object["stillNeeded"] = stillNeeded.jsonValue }
        return .object(object)
    }
}

extension VoteVerdict {
    public var jsonValue: JSONValue {
        var object = JSONObject.members(["counted": .bool(counted)])
        if let code { object["code"] = .string(code) }
        return .object(object)
    }
}

extension VoteChange {
    public var jsonValue: JSONValue {
        [
            "seq": .integer(seq), "voter": .string(voter), "decision": .string(approve ? "approve" : "deny"), "time": .string(time.description),
            "recorded": recorded.jsonValue, "draft": draft.jsonValue,
        ]
    }
}

extension LatencyChange {
    /// `kind` is `saved`, `cost`, `unbounded` or `saved-at-least`; `ms` is absent when unbounded.
    public var jsonValue: JSONValue {
        var object = JSONObject.members(["summary": .string(summary)])
        switch self {
        case .saved(let ms): object["kind"] = "saved"; object["ms"] = .integer(ms)
        case .cost(let ms): object["kind"] = "cost"; object["ms"] = .integer(ms)
        case .unbounded: object["kind"] = "unbounded"
        case .savedAtLeast(let ms): object["kind"] = "saved-at-least"; object["ms"] = .integer(ms)
        }
        return .object(object)
    }
}
